// A task's state in the swarm API's words (swarmkit's TaskState, lower case), as the snapshot
// reads it from `docker inspect` of the tasks. `docker service ps` rows (swarm/tasks.ts) keep the
// CLI's own words ("Running 3 minutes ago"), printed as they are.

export const TASK_STATES = [
  'new',
  'pending',
  'assigned',
  'accepted',
  'preparing',
  'ready',
  'starting',
  'running',
  'complete',
  'shutdown',
  'failed',
  'rejected',
  'remove',
  'orphaned',
] as const;

/** `unknown`: a word this swarmlab does not know (a newer engine's), said as such rather than kept as text. */
export type TaskState = (typeof TASK_STATES)[number] | 'unknown';

const KNOWN = new Set<string>(TASK_STATES);

export function taskState(text: string): TaskState {
  const word = text.trim().toLowerCase();
  return KNOWN.has(word) ? (word as TaskState) : 'unknown';
}
