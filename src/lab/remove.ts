// Tearing a lab down: everything carrying the lab's label, and nothing else.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Engine, NamedObject } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { leaveLabNetwork } from '../mirror/mirror.js';
import { LABEL_LAB } from '../plan/labels.js';
import { trace } from '../trace.js';
import { removeApiTls } from './api-tls.js';
import { removeContext } from './docker-context.js';
import type { LabPaths } from './paths.js';

export interface Removed {
  containers: number;
  networks: number;
  volumes: number;
  purged: string[];
  /** The lab's docker context: removed, there was none, or one of its name that swarmlab did not make (left alone). */
  context: 'removed' | 'none' | 'foreign';
}

export async function removeLab(engine: Engine, lab: string, options: { purge: boolean; paths?: LabPaths }): Promise<Removed> {
  const owned = { [LABEL_LAB]: lab };
  const containers = await engine.listContainers(owned);
  await Promise.all(containers.map((c) => engine.removeContainer(c.id)));
  trace('down: containers removed');
  // Networks and volumes only after their containers are gone, or the engine says "in use".
  const [networks, volumes] = await Promise.all([engine.listNetworks(owned), engine.listVolumes(owned)]);
  // The engine's mirror may have joined a network; it is not the lab's, so it only leaves.
  await Promise.all(networks.map((n) => leaveLabNetwork(engine, n.name)));
  await Promise.all([...networks.map((n) => removeLabNetwork(engine, n)), ...volumes.map((v) => engine.removeVolume(v.name))]);
  trace('down: network and volumes removed');
  const purged: string[] = [];
  const paths = options.paths;
  // The context and the certificates it holds go with the lab (a new lab gets a new CA).
  const context = paths ? await removeContext(lab) : 'none';
  if (paths) await removeApiTls(paths);
  if (options.purge && paths) {
    // registry-data/ holds what users pushed: emptied only when they ask with --purge. The
    // folder itself stays (the repository keeps it, with a .gitkeep, as a lab directory).
    const entries = await readdir(paths.registryDataDir).catch(() => [] as string[]);
    await Promise.all(entries.filter((e) => e !== '.gitkeep').map((e) => rm(path.join(paths.registryDataDir, e), { recursive: true, force: true })));
    await rm(paths.stateDir, { recursive: true, force: true });
    purged.push(paths.registryDataDir, paths.stateDir);
  }
  return { containers: containers.length, networks: networks.length, volumes: volumes.length, purged, context };
}

/**
 * The lab's network, or one line saying what still holds it and how to free it: a container
 * someone connected to it (never touched: it is not the lab's), or an endpoint the engine
 * itself failed to release (seen with Docker 20.10 after containers were killed by hand).
 */
async function removeLabNetwork(engine: Engine, network: NamedObject): Promise<void> {
  try {
    await engine.removeNetwork(network.id);
  } catch (err) {
    if (!/active endpoints/i.test((err as Error).message)) throw err;
    const attached = (await engine.listContainers({})).filter((c) => c.networks?.includes(network.name)).map((c) => c.name);
    if (attached.length > 0) {
      throw new LabError(`network ${network.name} is still used by ${attached.join(', ')}, not made by this lab`, {
        fix: `docker network disconnect ${network.name} ${attached.length === 1 ? attached[0] : 'CONTAINER (each of them)'}, then swarmlab down again`,
      });
    }
    throw new LabError(`network ${network.name} still has endpoints that the engine never released (no container is attached)`, {
      fix: 'restart the Docker engine, then swarmlab down again',
    });
  }
}
