// What the swarm says about its nodes, read on a manager with `docker node ls`.
import type { Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { managerStatus, nodeAvailability, nodeState, type SwarmNode } from './node-model.js';

export const NODE_LS_FORMAT = '{{.ID}}\t{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}';

export function parseNodeList(text: string): SwarmNode[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id = '', hostname = '', state = '', availability = '', status = ''] = line.split('\t');
      return {
        id,
        hostname,
        role: status ? 'manager' : 'worker',
        state: nodeState(state),
        availability: nodeAvailability(availability),
        managerStatus: managerStatus(status),
      };
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
  const ready = new Set(nodes.filter((n) => n.state === 'ready').map((n) => n.hostname));
  return wanted.filter((name) => !ready.has(name));
}

/** Names the swarm lists more than once: a node that was recreated and joined again. */
export function duplicatedNames(nodes: SwarmNode[]): string[] {
  const seen = new Map<string, number>();
  for (const n of nodes) seen.set(n.hostname, (seen.get(n.hostname) ?? 0) + 1);
  return [...seen].filter(([, count]) => count > 1).map(([name]) => name);
}

/**
 * Entries the swarm keeps for nodes that are gone: Down ones of names no longer in the lab,
 * and, for a name listed twice, every entry but the one the node itself says is its own
 * (the old entry may still read Ready until the manager misses its heartbeats).
 */
export function staleEntries(nodes: SwarmNode[], wanted: string[], currentIds: Map<string, string>): SwarmNode[] {
  return nodes.filter((n) => {
    if (!wanted.includes(n.hostname)) return n.state === 'down';
    const current = currentIds.get(n.hostname);
    return current !== undefined && n.id !== current;
  });
}

/** A node's own swarm state (inactive, pending, active, error, locked); undefined when its daemon does not answer. */
export async function localSwarmState(engine: Engine, container: string): Promise<string | undefined> {
  const result = await engine.exec(container, ['docker', 'info', '--format', '{{.Swarm.LocalNodeState}}']).catch(() => undefined);
  return result?.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** The swarm node ID a node's daemon holds. */
export async function ownNodeId(engine: Engine, container: string): Promise<string | undefined> {
  const result = await engine.exec(container, ['docker', 'info', '--format', '{{.Swarm.NodeID}}']);
  return result.exitCode === 0 && result.stdout.trim() ? result.stdout.trim() : undefined;
}

export async function removeSwarmNode(engine: Engine, managerContainer: string, node: SwarmNode): Promise<void> {
  const result = await engine.exec(managerContainer, ['docker', 'node', 'rm', '--force', node.id]);
  if (result.exitCode !== 0) throw new LabError(`cannot remove the stale node entry ${node.hostname} (${node.id}): ${result.stderr.trim()}`);
}
