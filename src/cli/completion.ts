// Shell completion beyond yargs' own (commands and flags): lab names after --name, node names
// after --node and where a command takes a node. `words` are what was typed after the program
// name, the last one being the word under the cursor. Pure, but for `labFacts`.
import type { Engine } from '../engine/engine.js';
import { LABEL_LAB, LABEL_NODE } from '../plan/labels.js';

export type CompletionNeed = 'labs' | 'nodes' | undefined;

/** Commands whose first positional is a node of the lab. */
const NODE_COMMANDS: string[][] = [
  ['logs'],
  ['chaos', 'stop'],
  ['chaos', 'pause'],
  ['chaos', 'partition'],
  ['chaos', 'slow'],
  ['chaos', 'heal'],
  ['node', 'rm'],
  ['node', 'promote'],
  ['node', 'demote'],
  ['node', 'backup'],
  ['node', 'restore'],
];

/** Flags that take a value: the word after one is that value, not a positional. */
const VALUE_FLAGS = new Set(['--dir', '--name', '--node', '--tail', '--timeout', '--delay', '--workers', '--managers', '--stack', '--port']);

export function completionNeed(words: string[]): CompletionNeed {
  const previous = words.at(-2);
  if (previous === '--name') return 'labs';
  if (previous === '--node') return 'nodes';
  const current = words.at(-1) ?? '';
  if (current.startsWith('-')) return undefined;
  const positionals: string[] = [];
  for (let i = 0; i < words.length - 1; i++) {
    const word = words[i]!;
    if (VALUE_FLAGS.has(word)) i++;
    else if (!word.startsWith('-')) positionals.push(word);
  }
  return NODE_COMMANDS.some((command) => command.length === positionals.length && command.every((w, i) => positionals[i] === w)) ? 'nodes' : undefined;
}

/** The value of a flag among the typed words. */
export function flagValue(words: string[], flag: string): string | undefined {
  const at = words.lastIndexOf(flag);
  return at >= 0 && at < words.length - 2 ? words[at + 1] : undefined;
}

/** Lab names on the engine, or the node names of one lab. */
export async function labFacts(engine: Engine, need: 'labs' | 'nodes', lab: string): Promise<string[]> {
  if (need === 'labs') return [...new Set((await engine.listContainers({})).map((c) => c.labels[LABEL_LAB]).filter((l): l is string => !!l))].sort();
  const nodes = (await engine.listContainers({ [LABEL_LAB]: lab })).map((c) => c.labels[LABEL_NODE]).filter((n): n is string => !!n);
  return nodes.sort();
}
