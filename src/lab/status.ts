// A lab's status: its containers (by label) joined with what the swarm says of each node.
import type { Engine } from '../engine/engine.js';
import { LABEL_ROLE } from '../plan/labels.js';
import { listSwarmNodes, type SwarmNode } from '../swarm/nodes.js';
import { firstManager, readInventory, registryHostAddress } from './inventory.js';

export interface NodeStatus {
  name: string;
  role: string;
  container: string;
  containerState: string;
  /** What the swarm says: Ready, Down, ..., or "not in swarm". */
  state: string;
  availability: string;
  managerStatus: string;
}

export interface LabStatus {
  lab: string;
  /** True when every node container runs and every node is Ready in the swarm. */
  up: boolean;
  registry: { host: string | null; inCluster: string; state: string };
  nodes: NodeStatus[];
  /** Why the lab is not up, one line each. */
  problems: string[];
  /** Its nodes run but form no swarm (`up --no-swarm`, or every node left). */
  noSwarm: boolean;
}

/** `knownSwarm`: the node list when the caller has just read it (after `up`), saving an exec. */
export async function readStatus(engine: Engine, lab: string, knownSwarm?: SwarmNode[]): Promise<LabStatus> {
  const inventory = await readInventory(engine, lab);
  const problems: string[] = [];
  if (inventory.containers.length === 0) problems.push(`lab "${lab}" has no containers: run swarmlab up`);
  const manager = firstManager(inventory);
  let swarm: SwarmNode[] = [];
  let noSwarm = false;
  if (knownSwarm) {
    swarm = knownSwarm;
  } else if (manager?.state === 'running') {
    swarm = await listSwarmNodes(engine, manager.name).catch((err: Error) => {
      problems.push(
        (noSwarm = /not a swarm manager/.test(err.message))
          ? `no swarm: ${manager.labels['dev.swarmlab.node'] ?? 'the first manager'} is not a swarm manager; fix: form it by hand (swarmlab docker swarm init), or swarmlab up`
          : err.message,
      );
      return [];
    });
  } else if (inventory.containers.length > 0) {
    problems.push('the first manager is not running');
  }
  const byName = new Map(swarm.map((n) => [n.name, n] as const));
  const nodes: NodeStatus[] = [...inventory.nodes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, container]) => {
      const inSwarm = byName.get(name);
      return {
        name,
        role: container.labels[LABEL_ROLE] ?? 'unknown',
        container: container.name,
        containerState: container.state,
        state: inSwarm?.state ?? 'not in swarm',
        availability: inSwarm?.availability ?? '',
        managerStatus: inSwarm?.managerStatus ?? '',
      };
    });
  for (const n of nodes) {
    if (n.containerState !== 'running') problems.push(`${n.name}: container is ${n.containerState}`);
    else if (n.state !== 'Ready' && !noSwarm) problems.push(`${n.name}: ${n.state}`);
  }
  if (inventory.containers.length > 0 && inventory.registry?.state !== 'running') problems.push('the registry is not running');
  return {
    lab,
    up: problems.length === 0,
    registry: { host: registryHostAddress(inventory) ?? null, inCluster: 'registry:5000', state: inventory.registry?.state ?? 'missing' },
    nodes,
    problems,
    noSwarm,
  };
}
