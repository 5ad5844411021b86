// Every lab on the engine, found by the lab label on containers (no state file to drift).
import type { Engine } from '../engine/engine.js';
import { LABEL_LAB, LABEL_ROLE } from '../plan/labels.js';
import { firstManager, inventoryOf, registryBinding } from './inventory.js';

export interface LabSummary {
  name: string;
  /** up: every container runs; stopped: none does; partial: some do. */
  state: 'up' | 'stopped' | 'partial';
  managers: number;
  workers: number;
  registry: string | null;
  /** Ports published from the first manager, host:container. */
  ports: string[];
}

export async function listLabs(engine: Engine): Promise<LabSummary[]> {
  const containers = await engine.listContainers({});
  const labs = new Map<string, typeof containers>();
  for (const c of containers) {
    const lab = c.labels[LABEL_LAB];
    if (lab) labs.set(lab, [...(labs.get(lab) ?? []), c]);
  }
  return [...labs.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, members]) => {
      const inventory = inventoryOf(name, members);
      const running = members.filter((c) => c.state === 'running').length;
      const manager = firstManager(inventory);
      // As bound: a lab shared on 0.0.0.0 shows so here (status shows the address to use).
      const binding = registryBinding(inventory);
      return {
        name,
        state: running === members.length ? 'up' : running === 0 ? 'stopped' : 'partial',
        managers: members.filter((c) => c.labels[LABEL_ROLE] === 'manager').length,
        workers: members.filter((c) => c.labels[LABEL_ROLE] === 'worker').length,
        registry: binding ? `${binding.hostIp || '0.0.0.0'}:${binding.hostPort}` : null,
        ports: (manager?.ports ?? []).map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}->${p.containerPort}`).sort(),
      };
    });
}
