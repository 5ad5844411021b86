// The edge between exercises and a running lab: its facts (IPVS, published ports, image
// names), the values {{...}} placeholders take, and the CheckEnvironment the checks run in.
import http from 'node:http';
import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import { SpecError } from '../errors.js';
import { hasIpvs } from '../lab/kernel.js';
import type { LabPaths } from '../lab/paths.js';
import { nodeContainer, type RunningLab } from '../lab/running-lab.js';
import { FIRST_MANAGER } from '../plan/topology.js';
import { labImageNames } from '../registry/reference.js';
import { imageEnvName } from '../spec/defaults.js';
import type { LabSpec } from '../spec/types.js';
import { resolveImageFlags } from '../stacks/resolve-image.js';
import { takeSnapshot } from '../swarm/snapshot.js';
import type { CheckEnvironment, HttpAnswer } from './checks.js';
import type { TemplateValues } from './template.js';
import type { ExerciseSource } from './types.js';

export interface ExerciseLab {
  spec: LabSpec;
  paths: LabPaths;
  engine: Engine;
  running: RunningLab;
  ipvs: boolean;
  /** The nodes' CPU (the engine's: nodes run on its kernel), as `docker info` names it. */
  architecture: string;
}

export async function openExerciseLab(engine: Engine, spec: LabSpec, paths: LabPaths, running: RunningLab): Promise<ExerciseLab> {
  const [ipvs, info] = await Promise.all([hasIpvs(engine, running), engine.info()]);
  return { spec, paths, engine, running, ipvs, architecture: info.architecture };
}

/** The logical images the exercise names that the lab maps to nothing, as problems (bad input: exit 2). */
export function requireImages(spec: LabSpec, source: ExerciseSource): void {
  const missing = source.exercise.images.filter((name) => !spec.images[name]);
  if (missing.length === 0) return;
  throw new SpecError(
    missing.map((name) => ({
      field: `swarmlab.yaml: images.${name}`,
      problem: `exercise ${source.exercise.id} uses the image "${name}", which this lab maps to nothing`,
      fix: `add images: {${name}: REFERENCE} to swarmlab.yaml, or set ${imageEnvName(name)}`,
    })),
  );
}

/**
 * What {{...}} means for this exercise in this lab. `managerPorts`: the host port of each port
 * of the first manager, as published (or, before the lab exists, as the spec asks).
 */
export function templateValues(
  source: ExerciseSource,
  lab: Pick<ExerciseLab, 'spec' | 'paths' | 'ipvs' | 'architecture'>,
  managerPorts: Map<number, number>,
): TemplateValues {
  const values: TemplateValues = {
    'lab.name': lab.spec.name,
    'lab.dir': lab.paths.dir,
    // The registry as this machine reaches it (swarmlab push's side; the nodes say registry:5000).
    'lab.registry': `127.0.0.1:${lab.spec.registryPort}`,
    // Without IPVS the routing mesh and VIPs do not work: publish on the node, resolve by DNS.
    'lab.publishMode': lab.ipvs ? 'ingress' : 'host',
    'lab.endpointMode': lab.ipvs ? 'vip' : 'dnsrr',
    // For `docker service create/update` in setups: the course's images are amd64 only (resolve-image.ts).
    'lab.resolveImage': resolveImageFlags(lab.architecture).join(' '),
    'exercise.dir': path.dirname(source.file),
  };
  for (const [container, host] of managerPorts) values[`lab.port.${container}`] = host;
  for (const name of source.exercise.images) {
    const ref = lab.spec.images[name];
    if (!ref) continue;
    values[`images.${name}`] = ref;
    values[`registry.${name}`] = labImageNames(ref, '127.0.0.1').cluster;
  }
  return values;
}

/** The first manager's published ports (container port -> host port) of a running lab. */
export function publishedManagerPorts(running: RunningLab): Map<number, number> {
  return new Map((running.inventory.nodes.get(FIRST_MANAGER)?.ports ?? []).map((p) => [p.containerPort, p.hostPort] as const));
}

function httpGet(port: number, pathname: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: pathname, timeout: 5000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 65536) body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('no answer within 5 s')));
    request.on('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'ECONNREFUSED' ? 'connection refused' : err.code === 'ECONNRESET' ? 'connection reset' : err.message)),
    );
  });
}

export function checkEnvironment(lab: ExerciseLab): CheckEnvironment {
  const managerPorts = publishedManagerPorts(lab.running);
  return {
    snapshot: () => takeSnapshot(lab.engine, lab.running.inventory.containers),
    runInNode: (node, script) => lab.engine.exec(nodeContainer(lab.running, node, lab.spec.name), ['sh', '-c', script]),
    httpGet,
    managerHostPort: (port) => managerPorts.get(port),
    facts: { ipvs: lab.ipvs },
  };
}
