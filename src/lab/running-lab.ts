// What commands that work inside a lab (push, deploy, docker, ps) need: the lab, up.
import type { Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { firstManager, readInventory, registryHostAddress, type LabInventory } from './inventory.js';

export interface RunningLab {
  inventory: LabInventory;
  /** Container of the first manager: swarm commands run there. */
  manager: string;
  /** The registry as the host reaches it, e.g. 127.0.0.1:5000. */
  registryHost: string;
  registryHostPort: number;
}

export async function requireRunningLab(engine: Engine, lab: string): Promise<RunningLab> {
  await engine.info();
  const inventory = await readInventory(engine, lab);
  const manager = firstManager(inventory);
  const registryHost = registryHostAddress(inventory);
  if (!manager || manager.state !== 'running' || !registryHost || inventory.registry?.state !== 'running') {
    throw new LabError(`lab "${lab}" is not up; fix: swarmlab up --name ${lab} (swarmlab status --name ${lab} tells what is missing)`);
  }
  return { inventory, manager: manager.name, registryHost, registryHostPort: Number(registryHost.split(':').pop()) };
}

/** The container of a node by its node name; a one-line error listing the real names otherwise. */
export function nodeContainer(running: RunningLab, node: string, lab: string): string {
  const container = running.inventory.nodes.get(node);
  if (!container) {
    const names = [...running.inventory.nodes.keys()].sort().join(', ');
    throw new LabError(`lab "${lab}" has no node "${node}"; fix: use one of ${names}`);
  }
  return container.name;
}
