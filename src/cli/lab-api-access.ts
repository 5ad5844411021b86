// What `context` and `env` share: a lab that runs on this machine's engine and publishes its
// managers' Engine API, or one line saying why not.

import { currentEndpoint } from '../engine/current-endpoint.js';
import type { Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { contextsApply } from '../lab/docker-context.js';
import { type LabInventory, readInventory } from '../lab/inventory.js';
import { type ManagerApi, managerApis } from '../lab/lab-api.js';
import { FIRST_MANAGER } from '../plan/topology.js';

export interface LabApis {
  inventory: LabInventory;
  /** Running managers with their API's host port, the first manager first. */
  apis: ManagerApi[];
}

export async function requireLabApis(engine: Engine, lab: string): Promise<LabApis> {
  const endpoint = currentEndpoint();
  if (!contextsApply(endpoint)) {
    throw new LabError(`lab "${lab}" runs on the engine at ${endpoint.host}, whose 127.0.0.1 is not this machine's`, {
      fix: 'run swarmlab on the machine of that engine to reach the lab with your own docker CLI',
    });
  }
  await engine.info();
  const inventory = await readInventory(engine, lab);
  if (inventory.containers.length === 0 || inventory.nodes.get(FIRST_MANAGER) === undefined) {
    throw new LabError(`lab "${lab}" is not up`, { fix: `swarmlab up --name ${lab}` });
  }
  const apis = managerApis(inventory);
  if (apis.length === 0) {
    // The first manager runs but publishes no API: the lab was made by an earlier swarmlab.
    const made = inventory.nodes.get(FIRST_MANAGER)?.state === 'running';
    throw new LabError(made ? `lab "${lab}" was made before labs had an Engine API` : `lab "${lab}" has no manager running`, {
      fix: made ? `swarmlab down --name ${lab}, then swarmlab up --name ${lab}` : `swarmlab start --name ${lab} (swarmlab status --name ${lab} says more)`,
    });
  }
  return { inventory, apis };
}
