// "1 node", "3 nodes": counts in messages, said once.

/** `n` and the noun, in the plural unless n is 1 (nouns here take an s). */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
