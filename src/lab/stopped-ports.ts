// Host ports held by other labs' stopped containers. The engine lists no ports for a stopped
// container, yet it takes its bindings back when it starts (a node a drill killed, healed later):
// whoever chooses or judges a lab's ports (up's plan, doctor) must count them as taken.
import type { ContainerInfo, Engine } from '../engine/engine.js';
import { LABEL_LAB } from '../plan/labels.js';

/** The containers, with the host ports of other labs' stopped ones read from their bindings. */
export async function withStoppedLabsPorts(engine: Engine, containers: ContainerInfo[], lab: string): Promise<ContainerInfo[]> {
  return Promise.all(
    containers.map(async (c) =>
      c.state !== 'running' && c.ports.length === 0 && c.labels[LABEL_LAB] !== undefined && c.labels[LABEL_LAB] !== lab
        ? { ...c, ports: await engine.portBindings(c.id) }
        : c,
    ),
  );
}
