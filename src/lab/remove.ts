// Tearing a lab down: everything carrying the lab's label, and nothing else.
import { rm } from 'node:fs/promises';
import type { Engine } from '../engine/engine.js';
import { LABEL_LAB } from '../plan/labels.js';
import type { LabPaths } from './paths.js';

export interface Removed {
  containers: number;
  networks: number;
  volumes: number;
  purged: string[];
}

export async function removeLab(engine: Engine, lab: string, options: { purge: boolean; paths?: LabPaths }): Promise<Removed> {
  const owned = { [LABEL_LAB]: lab };
  const containers = await engine.listContainers(owned);
  await Promise.all(containers.map((c) => engine.removeContainer(c.id)));
  // Networks and volumes only after their containers are gone, or the engine says "in use".
  const [networks, volumes] = await Promise.all([engine.listNetworks(owned), engine.listVolumes(owned)]);
  await Promise.all([...networks.map((n) => engine.removeNetwork(n.id)), ...volumes.map((v) => engine.removeVolume(v.name))]);
  const purged: string[] = [];
  if (options.purge && options.paths) {
    // registry-data/ holds what users pushed: deleted only when they ask with --purge.
    await rm(options.paths.registryDataDir, { recursive: true, force: true });
    await rm(options.paths.stateDir, { recursive: true, force: true });
    purged.push(options.paths.registryDataDir, options.paths.stateDir);
  }
  return { containers: containers.length, networks: networks.length, volumes: volumes.length, purged };
}
