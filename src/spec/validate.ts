// Rules on a whole spec. Every problem is collected, so a user fixes them all in one go.
import type { SpecProblem } from '../errors.js';
import { IMAGE_NAME_PATTERN } from './decode.js';
import { unknownCutsProblem } from './node-cuts.js';
import type { LabSpec } from './types.js';

export const MANAGER_COUNTS = [1, 3, 5, 7];
export const MAX_WORKERS = 50;
export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,29}$/;

// Docker's reference grammar, reduced to what a pull accepts: [registry[:port]/]path[:tag][@digest].
const IMAGE_REFERENCE =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
/** The runtime Sysbox installs: nodes under it run Docker-in-Docker unprivileged. */
export const SYSBOX_RUNTIME = 'sysbox-runc';
/**
 * A runtime a lab may name: Sysbox's, by the name it is registered under (sysbox-runc unless
 * the host's daemon.json says otherwise). Nodes under it get no privileges at all, which only
 * Sysbox makes work; a node under plain runc without them could not run its dockerd.
 */
export const RUNTIME_PATTERN = /^sysbox[a-z0-9_.-]{0,58}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isImageReference(text: string): boolean {
  return IMAGE_REFERENCE.test(text);
}

/** How each field is named to the user: `swarmlab.yaml: workers` or `--workers`. */
export type FieldNamer = (field: keyof LabSpec) => string;

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

export function validateSpec(spec: LabSpec, nameOf: FieldNamer): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (field: keyof LabSpec, problem: string, fix: string) => problems.push({ field: nameOf(field), problem, fix });

  if (!NAME_PATTERN.test(spec.name)) {
    add('name', `${JSON.stringify(spec.name)} is not a valid lab name`, 'use 1-30 lowercase letters, digits or dashes, starting with a letter');
  }
  if (!MANAGER_COUNTS.includes(spec.managers)) {
    add('managers', `must be 1, 3, 5 or 7 (got ${spec.managers})`, 'use an odd count so the managers keep a Raft quorum');
  }
  if (!Number.isInteger(spec.workers) || spec.workers < 0 || spec.workers > MAX_WORKERS) {
    add('workers', `must be a whole number from 0 to ${MAX_WORKERS} (got ${spec.workers})`, `pick 0..${MAX_WORKERS}`);
  }
  for (const field of ['nodeImage', 'registryImage'] as const) {
    if (!isImageReference(spec[field])) {
      add(field, `${JSON.stringify(spec[field])} is not an image reference`, 'write it as repository[:tag], e.g. docker:29.7-dind');
    }
  }
  if (spec.launcher !== 'api' && spec.launcher !== 'compose') {
    add(
      'launcher',
      `must be api or compose (got ${JSON.stringify(spec.launcher)})`,
      'leave it out (api: the Engine API, the default), or write launcher: compose',
    );
  }
  const cuts = unknownCutsProblem(spec.nodeCuts);
  if (cuts) add('nodeCuts', cuts.problem, cuts.fix);
  if (spec.runtime !== undefined && !RUNTIME_PATTERN.test(spec.runtime)) {
    add(
      'runtime',
      `${JSON.stringify(spec.runtime)} is not a Sysbox runtime (nodes run unprivileged only under Sysbox)`,
      `use ${SYSBOX_RUNTIME}, as docker info lists it under Runtimes where Sysbox is installed, or leave runtime out`,
    );
  }
  if (!IPV4.test(spec.bindAddress)) {
    add('bindAddress', `${JSON.stringify(spec.bindAddress)} is not an IPv4 address`, 'use 127.0.0.1 (or 0.0.0.0 to share the lab on your network)');
  }
  if (!isPort(spec.registryPort)) {
    add('registryPort', `must be a port from 1 to 65535 (got ${spec.registryPort})`, 'pick a free port, e.g. 5000');
  }
  if (!isPort(spec.apiPort)) {
    add('apiPort', `must be a port from 1 to 65535 (got ${spec.apiPort})`, 'pick a free port, e.g. 2376');
  }
  const hostPorts = new Map<number, string>([[spec.registryPort, 'registryPort']]);
  if (spec.apiPort === spec.registryPort)
    add('apiPort', `host port ${spec.apiPort} is used twice (also by registryPort)`, 'give the API its own port, e.g. 2376');
  hostPorts.set(spec.apiPort, 'apiPort');
  spec.ports.forEach((port, index) => {
    if (!isPort(port.host) || !isPort(port.container)) {
      add('ports', `entry ${index + 1} (${port.host}:${port.container}) has a port outside 1..65535`, 'use ports from 1 to 65535');
      return;
    }
    const taken = hostPorts.get(port.host);
    if (taken) {
      add('ports', `host port ${port.host} is used twice (also by ${taken})`, 'give every published port its own host port');
    }
    hostPorts.set(port.host, `ports entry ${port.host}:${port.container}`);
  });
  return problems;
}

/** The logical images: names exercises can write, references a pull accepts. `fieldOf` names where each came from. */
export function validateImages(images: Record<string, string>, fieldOf: (name: string) => string): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const [name, ref] of Object.entries(images)) {
    if (!IMAGE_NAME_PATTERN.test(name)) {
      problems.push({
        field: fieldOf(name),
        problem: `${JSON.stringify(name)} is not an image name`,
        fix: 'use 1-30 lowercase letters, digits or dashes, starting with a letter',
      });
    } else if (!isImageReference(ref)) {
      problems.push({
        field: fieldOf(name),
        problem: `${JSON.stringify(ref)} is not an image reference`,
        fix: 'write it as repository[:tag], e.g. gihyodocker/echo:latest',
      });
    }
  }
  return problems;
}

/**
 * A runtime the lab asks for must be one the engine has (`docker info`'s Runtimes): refused
 * before anything is made, naming the field it came from. Undefined when it is there or none is asked.
 */
export function runtimeProblem(
  runtime: string | undefined,
  engineRuntimes: string[],
  field: string,
  leaveOut = field.startsWith('--') ? `leave out ${field}` : 'remove runtime from swarmlab.yaml',
): SpecProblem | undefined {
  if (runtime === undefined || engineRuntimes.includes(runtime)) return undefined;
  return {
    field,
    problem: `this engine has no runtime ${runtime} (it has ${engineRuntimes.join(', ') || 'none listed'})`,
    fix:
      runtime === SYSBOX_RUNTIME
        ? `install Sysbox on the engine's host (https://github.com/nestybox/sysbox), or ${leaveOut} to run nodes privileged`
        : `install Sysbox on the engine's host and name the runtime as docker info lists it, or ${leaveOut}`,
  };
}
