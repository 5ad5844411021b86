// Stopping a lab keeps everything: the containers, the node volumes (and so the swarm), the
// registry's data. Starting it again needs no new `up`: every node keeps its address, so the
// swarm finds itself again.
import type { Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { FIRST_MANAGER } from '../plan/topology.js';
import type { SwarmNode } from '../swarm/node-model.js';
import { listSwarmNodes, missingOrNotReady } from '../swarm/nodes.js';
import { pollUntil } from '../wait/poll.js';
import { readInventory } from './inventory.js';

export async function stopLab(engine: Engine, lab: string, timeoutSeconds: number): Promise<number> {
  const inventory = await readInventory(engine, lab);
  const running = inventory.containers.filter((c) => c.state === 'running');
  await Promise.all(running.map((c) => engine.stopContainer(c.id, timeoutSeconds)));
  return running.length;
}

/** Runs a lab container again. A node frozen by `chaos pause` is thawed: the engine refuses to start a paused container. */
export function startOrThaw(engine: Engine, id: string, state: string | undefined): Promise<void> {
  return state === 'paused' ? engine.unpauseContainer(id) : engine.startContainer(id);
}

export async function startLab(engine: Engine, lab: string, timeoutMs: number, report: (s: string) => void): Promise<SwarmNode[]> {
  const inventory = await readInventory(engine, lab);
  const manager = inventory.nodes.get(FIRST_MANAGER);
  if (inventory.containers.length === 0) throw new LabError(`lab "${lab}" does not exist`, { fix: `swarmlab up --name ${lab}` });
  if (!manager || !inventory.registry) throw new LabError(`lab "${lab}" is missing containers`, { fix: `swarmlab up --name ${lab} (it repairs the lab)` });
  await Promise.all(inventory.containers.map((c) => startOrThaw(engine, c.id, c.state)));
  const wanted = [...inventory.nodes.keys()];
  return pollUntil<SwarmNode[]>(
    async () => {
      const nodes = await listSwarmNodes(engine, manager.name).catch((err: Error) => err);
      if (nodes instanceof Error) return { notYet: `manager: ${nodes.message}` };
      const pending = missingOrNotReady(nodes, wanted);
      report(`${wanted.length - pending.length}/${wanted.length} Ready`);
      return pending.length === 0 ? { done: nodes } : { notYet: `not Ready: ${pending.join(', ')}` };
    },
    { what: 'every node to be Ready again', timeoutMs, intervalMs: 250 },
  );
}
