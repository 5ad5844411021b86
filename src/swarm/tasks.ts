// Tasks as `docker service ps` reports them, grouped by node name (never node IDs: nodes are
// named by their hostnames, so the swarm's NODE column already says manager, worker01, ...).
import type { Engine } from '../engine/engine.js';
import { execInNode } from './exec-in-node.js';

export interface SwarmTask {
  name: string;
  node: string;
  desiredState: string;
  currentState: string;
  error: string;
  image: string;
}

export const TASK_FORMAT = '{{.Name}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Image}}';

export function parseTaskLines(text: string): SwarmTask[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name = '', node = '', desiredState = '', currentState = '', error = '', image = ''] = line.split('\t');
      return { name: name.trim().replace(/^\\_ /, ''), node, desiredState, currentState, error, image };
    });
}

/** Tasks by node name, nodes in name order, tasks in name order; unassigned tasks under "". */
export function groupByNode(tasks: SwarmTask[]): Map<string, SwarmTask[]> {
  const groups = new Map<string, SwarmTask[]>();
  for (const task of [...tasks].sort((a, b) => a.node.localeCompare(b.node) || a.name.localeCompare(b.name, undefined, { numeric: true }))) {
    groups.set(task.node, [...(groups.get(task.node) ?? []), task]);
  }
  return groups;
}

export async function servicesOfStack(engine: Engine, manager: string, stack: string): Promise<string[]> {
  const argv = ['docker', 'service', 'ls', '--filter', `label=com.docker.stack.namespace=${stack}`, '--format', '{{.Name}}'];
  const out = await execInNode(engine, manager, argv, { what: 'docker service ls' });
  return out.split('\n').filter(Boolean);
}

export async function allServices(engine: Engine, manager: string): Promise<string[]> {
  return (await execInNode(engine, manager, ['docker', 'service', 'ls', '--format', '{{.Name}}'], { what: 'docker service ls' })).split('\n').filter(Boolean);
}

export async function listTasks(engine: Engine, manager: string, services: string[]): Promise<SwarmTask[]> {
  if (services.length === 0) return [];
  const argv = ['docker', 'service', 'ps', '--no-trunc', '--format', TASK_FORMAT, ...services];
  return parseTaskLines(await execInNode(engine, manager, argv, { what: 'docker service ps' }));
}
