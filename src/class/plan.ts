// A class: N student labs, each a lab directory of its own (students/sNN/, with its
// swarmlab.yaml, stack/, registry-data/ and progress), named <prefix>-sNN, each with a block of
// host ports of its own so that a student's card can say them before anything runs. Pure.
import { stringify } from 'yaml';
import type { SpecProblem } from '../errors.js';
import { defaultSpec } from '../spec/defaults.js';
import { unknownCutsProblem } from '../spec/node-cuts.js';
import { MANAGER_COUNTS, MAX_WORKERS, NAME_PATTERN, RUNTIME_PATTERN, SYSBOX_RUNTIME } from '../spec/validate.js';

export interface ClassSpec {
  prefix: string;
  students: number;
  managers: number;
  workers: number;
  /** Student sNN's ports are basePort + 10*NN + 0 (registry), 1 (manager's 80), 2 (manager's 9000), 3 (the Engine API, on 127.0.0.1). */
  basePort: number;
  /** The engines the labs go to, as given: docker context names or URLs ("default": this machine's). */
  engines: string[];
  /** Which engine each student's lab is on (see placement.ts). */
  placement: Record<string, string>;
  /** Every lab pulls through its engine's shared mirror (`class up --mirror`). */
  mirror?: boolean;
  /**
   * The images the instructor chose (SWARMLAB_NODE_IMAGE, SWARMLAB_REGISTRY_IMAGE,
   * SWARMLAB_IMAGE_<NAME> when `class up` ran), written into every student's swarmlab.yaml: a
   * student's shell has none of the instructor's variables, and without them an exercise's `up`
   * would ask for the default docker:dind image.
   */
  nodeImage?: string;
  registryImage?: string;
  images?: Record<string, string>;
  /** The engine runtime every lab's nodes run under, unprivileged (`class up --runtime sysbox-runc`). */
  runtime?: string;
  /** What every lab's nodes leave out (`class up --node-cuts`), when the class chose: written into each swarmlab.yaml. */
  nodeCuts?: string[];
}

/** The images of `env` that differ from the defaults, over those `recorded` by an earlier class up. Pure. */
export function classImages(
  env: Record<string, string | undefined>,
  recorded?: Pick<ClassSpec, 'nodeImage' | 'registryImage' | 'images'>,
): Pick<ClassSpec, 'nodeImage' | 'registryImage' | 'images'> {
  const base = defaultSpec();
  const chosen = defaultSpec(env);
  const images = { ...recorded?.images, ...Object.fromEntries(Object.entries(chosen.images).filter(([name, ref]) => base.images[name] !== ref)) };
  const nodeImage = chosen.nodeImage !== base.nodeImage ? chosen.nodeImage : recorded?.nodeImage;
  const registryImage = chosen.registryImage !== base.registryImage ? chosen.registryImage : recorded?.registryImage;
  return {
    ...(nodeImage ? { nodeImage } : {}),
    ...(registryImage ? { registryImage } : {}),
    ...(Object.keys(images).length > 0 ? { images } : {}),
  };
}

export interface StudentLab {
  /** s01, s02, ... */
  id: string;
  lab: string;
  /** Relative to the class directory. */
  dir: string;
  registryPort: number;
  /** Host port (127.0.0.1) of the lab's Engine API, for its docker context. */
  apiPort: number;
  ports: { host: number; container: number }[];
  /** The engine its lab is on. */
  engine: string;
}

export const CLASS_FILE = 'class.yaml';
export const MAX_STUDENTS = 99;
export const DEFAULT_BASE_PORT = 20000;

export function studentId(n: number): string {
  return `s${String(n).padStart(2, '0')}`;
}

export function validateClass(spec: ClassSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (!Number.isInteger(spec.students) || spec.students < 1 || spec.students > MAX_STUDENTS) {
    problems.push({ field: '--students', problem: `must be a whole number from 1 to ${MAX_STUDENTS} (got ${spec.students})`, fix: 'e.g. --students 24' });
  }
  if (!MANAGER_COUNTS.includes(spec.managers))
    problems.push({ field: '--managers', problem: `must be 1, 3, 5 or 7 (got ${spec.managers})`, fix: 'use an odd count' });
  if (!Number.isInteger(spec.workers) || spec.workers < 0 || spec.workers > MAX_WORKERS) {
    problems.push({ field: '--workers', problem: `must be a whole number from 0 to ${MAX_WORKERS} (got ${spec.workers})`, fix: 'e.g. --workers 3' });
  }
  // A lab name is <prefix>-sNN, at most 30 characters like every lab name.
  if (!NAME_PATTERN.test(`${spec.prefix}-s99`)) {
    problems.push({
      field: '--prefix',
      problem: `${JSON.stringify(spec.prefix)} does not make lab names like ${spec.prefix}-s01`,
      fix: 'use 1-26 lowercase letters, digits or dashes, starting with a letter',
    });
  }
  if (spec.engines.length === 0) problems.push({ field: '--engine', problem: 'no engine given', fix: 'name one, e.g. --engine default' });
  if (spec.engines.some((e) => e.trim() === ''))
    problems.push({ field: '--engine', problem: 'is empty', fix: 'name a docker context or a URL, e.g. --engine default' });
  const cuts = unknownCutsProblem(spec.nodeCuts ?? []);
  if (cuts) problems.push({ field: '--node-cuts', ...cuts });
  if (spec.runtime !== undefined && !RUNTIME_PATTERN.test(spec.runtime)) {
    problems.push({
      field: '--runtime',
      problem: `${JSON.stringify(spec.runtime)} is not a Sysbox runtime (nodes run unprivileged only under Sysbox)`,
      fix: `use --runtime ${SYSBOX_RUNTIME} where Sysbox is installed (swarmlab doctor says), or --runtime none`,
    });
  }
  const last = spec.basePort + 10 * spec.students + 3;
  if (!Number.isInteger(spec.basePort) || spec.basePort < 1024 || last > 65535) {
    problems.push({
      field: '--base-port',
      problem: `the ports would run from ${spec.basePort + 10} to ${last}`,
      fix: `pick a base port from 1024 to ${65535 - 10 * spec.students - 3}`,
    });
  }
  return problems;
}

export function planClass(spec: ClassSpec): StudentLab[] {
  return Array.from({ length: spec.students }, (_, i) => {
    const id = studentId(i + 1);
    const base = spec.basePort + 10 * (i + 1);
    return {
      id,
      lab: `${spec.prefix}-${id}`,
      dir: `students/${id}`,
      registryPort: base,
      apiPort: base + 3,
      engine: spec.placement[id] ?? spec.engines[0] ?? 'default',
      ports: [
        { host: base + 1, container: 80 },
        { host: base + 2, container: 9000 },
      ],
    };
  });
}

/** The student's swarmlab.yaml: the class's shape and the student's own ports. */
export function studentSpecFile(spec: ClassSpec, student: StudentLab): string {
  return `# Written by swarmlab class up: lab ${student.lab} of class ${spec.prefix}.\n${stringify({
    apiVersion: 'swarmlab/v1alpha1',
    kind: 'Lab',
    name: student.lab,
    managers: spec.managers,
    workers: spec.workers,
    registryPort: student.registryPort,
    apiPort: student.apiPort,
    ports: student.ports.map((p) => `${p.host}:${p.container}`),
    ...(spec.mirror ? { mirror: true } : {}),
    ...(spec.nodeImage ? { nodeImage: spec.nodeImage } : {}),
    ...(spec.registryImage ? { registryImage: spec.registryImage } : {}),
    ...(spec.images ? { images: spec.images } : {}),
    ...(spec.runtime ? { runtime: spec.runtime } : {}),
    ...(spec.nodeCuts ? { nodeCuts: spec.nodeCuts } : {}),
  })}`;
}

/**
 * What a change of the class would leave behind: the recorded students whose labs the new spec
 * names otherwise (a new --prefix), gives other ports (a new --base-port), or drops (fewer
 * --students). Their labs, if they exist, would run on outside the class, and `class down`
 * would miss them. With the flag that caused it and the value that keeps them.
 */
export function labsLeftBehind(recorded: ClassSpec, next: ClassSpec): { students: StudentLab[]; field: string; keep: string } | undefined {
  const nextById = new Map(planClass(next).map((s) => [s.id, s] as const));
  const students = planClass(recorded).filter((r) => {
    const s = nextById.get(r.id);
    return !s || s.lab !== r.lab || s.registryPort !== r.registryPort;
  });
  if (students.length === 0) return undefined;
  if (next.prefix !== recorded.prefix) return { students, field: '--prefix', keep: `--prefix ${recorded.prefix}` };
  if (next.basePort !== recorded.basePort) return { students, field: '--base-port', keep: `--base-port ${recorded.basePort}` };
  return { students, field: '--students', keep: `--students ${recorded.students}` };
}

/** The refusal of a change that would leave these existing labs outside the class. */
export function leftBehindProblem(labs: string[], field: string, keep: string): SpecProblem {
  return {
    field,
    problem: `would leave ${labs.join(', ')} running outside the class (class down would no longer remove ${labs.length === 1 ? 'it' : 'them'})`,
    fix: `swarmlab class down first, or keep ${keep}`,
  };
}
