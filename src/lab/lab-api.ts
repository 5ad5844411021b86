// Where a lab's managers serve their Engine API on this machine, read from their port bindings.
// Pure.

import { LABEL_NODE, LABEL_ROLE } from '../plan/labels.js';
import { API_INNER_PORT } from '../plan/topology.js';
import type { LabInventory } from './inventory.js';

export interface ManagerApi {
  node: string;
  container: string;
  hostPort: number;
}

/** Every manager that runs and publishes its API, the first manager first. */
export function managerApis(inventory: LabInventory): ManagerApi[] {
  return inventory.containers
    .filter((c) => c.labels[LABEL_ROLE] === 'manager' && c.state === 'running')
    .flatMap((c) => {
      const binding = c.ports.find((p) => p.containerPort === API_INNER_PORT);
      const node = c.labels[LABEL_NODE];
      return binding && node ? [{ node, container: c.name, hostPort: binding.hostPort }] : [];
    })
    .sort((a, b) => (a.node === 'manager' ? -1 : b.node === 'manager' ? 1 : a.node.localeCompare(b.node)));
}

export function apiHost(api: ManagerApi): string {
  return `tcp://127.0.0.1:${api.hostPort}`;
}

/** The host port a context's address names (tcp://127.0.0.1:PORT). */
export function portOfHost(host: string | undefined): number | undefined {
  const match = /:(\d+)$/.exec(host ?? '');
  return match ? Number(match[1]) : undefined;
}
