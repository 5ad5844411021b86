// Join tokens are secrets: whoever holds one can add a node to the swarm. They live in memory
// only, travel on stdin, and any text that leaves swarmlab passes through redactTokens first.
const TOKEN = /SWMTKN-[A-Za-z0-9-]+/g;

export function redactTokens(text: string): string {
  return text.replace(TOKEN, 'SWMTKN-<redacted>');
}
