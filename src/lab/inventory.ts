// What a lab has on the engine right now, found by its labels (never by name alone).
import type { ContainerInfo, Engine } from '../engine/engine.js';
import { LABEL_LAB, LABEL_NODE, LABEL_ROLE } from '../plan/labels.js';
import { FIRST_MANAGER, REGISTRY_INNER_PORT } from '../plan/topology.js';

export interface LabInventory {
  lab: string;
  containers: ContainerInfo[];
  registry?: ContainerInfo;
  /** Node containers by node name. */
  nodes: Map<string, ContainerInfo>;
}

export async function readInventory(engine: Engine, lab: string): Promise<LabInventory> {
  return inventoryOf(lab, await engine.listContainers({ [LABEL_LAB]: lab }));
}

/** The inventory of a lab from its containers (already filtered by the lab's label). */
export function inventoryOf(lab: string, containers: ContainerInfo[]): LabInventory {
  const nodes = new Map<string, ContainerInfo>();
  for (const c of containers) {
    const node = c.labels[LABEL_NODE];
    if (node && c.labels[LABEL_ROLE] !== 'registry') nodes.set(node, c);
  }
  return { lab, containers, registry: containers.find((c) => c.labels[LABEL_ROLE] === 'registry'), nodes };
}

/** The host binding of the registry's port, as the engine reports it. */
export function registryBinding(inventory: LabInventory): ContainerInfo['ports'][number] | undefined {
  return inventory.registry?.ports.find((p) => p.containerPort === REGISTRY_INNER_PORT);
}

/** The registry as the host reaches it, e.g. 127.0.0.1:5000, read from its port binding. */
export function registryHostAddress(inventory: LabInventory): string | undefined {
  const binding = registryBinding(inventory);
  if (!binding) return undefined;
  const host = binding.hostIp === '' || binding.hostIp === '0.0.0.0' ? '127.0.0.1' : binding.hostIp;
  return `${host}:${binding.hostPort}`;
}

/** The container of the manager that ran `swarm init`: swarm commands run there. */
export function firstManager(inventory: LabInventory): ContainerInfo | undefined {
  return inventory.nodes.get(FIRST_MANAGER);
}
