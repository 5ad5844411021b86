// What the swarm says about its nodes, read on a manager with `docker node ls`.
import type { Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';

export interface SwarmNode {
  /** Hostname: equal to the swarmlab node name. */
  name: string;
  role: 'manager' | 'worker';
  /** Ready | Down | Unknown | Disconnected */
  state: string;
  /** Active | Pause | Drain */
  availability: string;
  /** Leader | Reachable | Unreachable, or empty for a worker. */
  managerStatus: string;
}

export const NODE_LS_FORMAT = '{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}';

export function parseNodeList(text: string): SwarmNode[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name = '', state = '', availability = '', managerStatus = ''] = line.split('\t');
      return { name, state, availability, managerStatus, role: managerStatus ? 'manager' : 'worker' };
    });
}

export async function listSwarmNodes(engine: Engine, managerContainer: string): Promise<SwarmNode[]> {
  const result = await engine.exec(managerContainer, ['docker', 'node', 'ls', '--format', NODE_LS_FORMAT]);
  if (result.exitCode !== 0) throw new LabError(`cannot list swarm nodes on ${managerContainer}: ${result.stderr.trim()}`);
  return parseNodeList(result.stdout);
}

/**
 * The view of each wanted node: Ready when the swarm lists a node of that name as Ready.
 * A name listed twice (a node that left and joined again) counts as Ready if any entry is.
 */
export function missingOrNotReady(nodes: SwarmNode[], wanted: string[]): string[] {
  const ready = new Set(nodes.filter((n) => n.state === 'Ready').map((n) => n.name));
  return wanted.filter((name) => !ready.has(name));
}
