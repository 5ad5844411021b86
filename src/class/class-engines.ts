// The engines of a class: each name (a docker context, or a URL) resolved once, with its
// client (a student's `up` runs in this process on it), the environment that sends a child
// swarmlab to it (`mirror up`, and the commands besides up), and the memory it has for labs.
import { readFile } from 'node:fs/promises';
import { endpointNamed } from '../engine/current-endpoint.js';
import { DockerEngine } from '../engine/docker-engine.js';
import { childEnvironment, type EngineEndpoint, runsOnThisMachine } from '../engine/endpoint.js';
import type { EngineRoom } from './placement.js';
import type { StudentLab } from './plan.js';

export interface ClassEngine {
  name: string;
  endpoint: EngineEndpoint;
  client: DockerEngine;
}

export function classEngines(names: string[]): Map<string, ClassEngine> {
  return new Map(
    names.map((name) => {
      const endpoint = endpointNamed(name);
      return [name, { name, endpoint, client: DockerEngine.at(endpoint) }];
    }),
  );
}

export function engineOf(engines: Map<string, ClassEngine>, student: StudentLab): ClassEngine {
  return engines.get(student.engine) ?? [...engines.values()][0]!;
}

/** What makes a child swarmlab (and its compose and docker children) use the student's engine. */
export function studentEnvironment(engine: ClassEngine): Record<string, string> {
  return { ...childEnvironment(engine.endpoint), SWARMLAB_ENGINE_SOURCE: `engine ${engine.name} of the class` };
}

async function hostAvailableBytes(): Promise<number | undefined> {
  const meminfo = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const kb = /^MemAvailable:\s+(\d+) kB$/m.exec(meminfo)?.[1];
  return kb ? Number(kb) * 1024 : undefined;
}

/**
 * The memory each engine has for labs. Engines on this machine share what it has available, in
 * equal parts; a remote engine is counted at half its machine's memory (what the rest of it
 * uses is not known from here).
 */
export async function engineRooms(engines: Map<string, ClassEngine>): Promise<EngineRoom[]> {
  const infos = await Promise.all([...engines.values()].map(async (e) => ({ e, info: await e.client.info() })));
  const local = infos.filter(({ e }) => runsOnThisMachine(e.endpoint));
  const available = await hostAvailableBytes();
  return infos.map(({ e, info }) => ({
    name: e.name,
    freeBytes: runsOnThisMachine(e.endpoint) && available !== undefined ? available / local.length : info.memTotal / 2,
  }));
}
