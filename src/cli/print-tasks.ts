import type { SwarmTask } from '../swarm/tasks.js';
import { table } from './output.js';

export function formatTasks(groups: Map<string, SwarmTask[]>): string {
  if (groups.size === 0) return 'No tasks.';
  const rows: string[][] = [];
  for (const [node, tasks] of groups) {
    for (const [i, t] of tasks.entries()) rows.push([i === 0 ? node || '(unassigned)' : '', t.name, t.desiredState, t.currentState, t.error]);
  }
  return table(['NODE', 'TASK', 'DESIRED', 'CURRENT', 'ERROR'], rows);
}
