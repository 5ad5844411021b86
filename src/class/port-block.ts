// A class's block of host ports (basePort + 10*NN + 0..3 per student) against what already
// publishes ports on its engines: another class's labs on the same block would fail every
// student's up, each with three lines about registryPort; this says it once, before anything
// is made, with a block that is free. Pure: the caller lists the containers.
import type { ContainerInfo } from '../engine/engine.js';
import type { SpecProblem } from '../errors.js';
import { LABEL_LAB } from '../plan/labels.js';
import { type ClassSpec, planClass, type StudentLab } from './plan.js';

/** Every host port a student's lab publishes. */
export function studentPorts(student: StudentLab): number[] {
  return [student.registryPort, student.apiPort, ...student.ports.map((p) => p.host)];
}

/** Host addresses that hold a port of a lab bound to 127.0.0.1 (where class labs bind). */
function clashesWithLoopback(hostIp: string): boolean {
  return hostIp === '127.0.0.1' || hostIp === '0.0.0.0' || hostIp === '' || hostIp === '::';
}

/** Host ports published on `containers` that a class lab on 127.0.0.1 cannot have, with who holds each (a lab's name, else `container NAME`). */
export function takenPorts(containers: ContainerInfo[]): Map<number, string> {
  const taken = new Map<number, string>();
  for (const c of containers) {
    const holder = c.labels[LABEL_LAB] ?? `container ${c.name}`;
    for (const p of c.ports) if (clashesWithLoopback(p.hostIp)) taken.set(p.hostPort, holder);
  }
  return taken;
}

export interface PortClash {
  student: string;
  port: number;
  holder: string;
}

/**
 * The students' ports that something other than the student's own lab holds, on the student's
 * engine. `containersOn`: every container of an engine, by the engine's name.
 */
export function portClashes(students: StudentLab[], containersOn: Map<string, ContainerInfo[]>): PortClash[] {
  const clashes: PortClash[] = [];
  for (const student of students) {
    const others = (containersOn.get(student.engine) ?? []).filter((c) => c.labels[LABEL_LAB] !== student.lab);
    const taken = takenPorts(others);
    for (const port of studentPorts(student)) {
      const holder = taken.get(port);
      if (holder) clashes.push({ student: student.id, port, holder });
    }
  }
  return clashes;
}

/** Suggested blocks start at a round hundred, so that they read well on the cards. */
const SUGGESTION_STEP = 100;

/**
 * The first base port above `spec.basePort`, at a round hundred, whose whole block is free of
 * `taken`; undefined when none fits below 65536.
 */
export function nextFreeBasePort(spec: ClassSpec, taken: Set<number>): number | undefined {
  const span = 10 * spec.students + 3;
  for (let base = (Math.floor(spec.basePort / SUGGESTION_STEP) + 1) * SUGGESTION_STEP; base + span <= 65535; base += SUGGESTION_STEP) {
    const students = planClass({ ...spec, basePort: base });
    if (students.every((s) => studentPorts(s).every((p) => !taken.has(p)))) return base;
  }
  return undefined;
}

/** `a, b, c and 4 more`: a line stays a line in a big class. */
function listed(names: string[], most = 6): string {
  return names.length <= most ? names.join(', ') : `${names.slice(0, most).join(', ')} and ${names.length - most} more`;
}

/** ` of class P` when every lab is named as a class names its labs (P-sNN) with one prefix. */
function classOf(labs: string[]): string {
  const prefixes = new Set(labs.map((lab) => /^(.+)-s\d{2}$/.exec(lab)?.[1]));
  const [prefix] = prefixes;
  return prefixes.size === 1 && prefix !== undefined ? ` of class ${prefix}` : '';
}

/** One problem for all the clashes: which ports, who holds them, and --base-port as the fix. */
export function portBlockProblem(spec: ClassSpec, clashes: PortClash[], nextBase: number | undefined): SpecProblem {
  const ports = [...new Set(clashes.map((c) => c.port))].sort((a, b) => a - b);
  const holders = [...new Set(clashes.map((c) => c.holder))].sort();
  const labs = holders.filter((h) => !h.startsWith('container '));
  const others = holders.filter((h) => h.startsWith('container '));
  const byWhom = [...(labs.length > 0 ? [`the lab${labs.length === 1 ? '' : 's'} ${listed(labs)}${classOf(labs)}`] : []), ...others].join(' and ');
  const which = ports.length === 1 ? `port ${ports[0]}` : `${ports.length} ports (${ports[0]}..${ports.at(-1)})`;
  const students = [...new Set(clashes.map((c) => c.student))];
  return {
    field: '--base-port',
    problem: `${which} of this class's block (base ${spec.basePort}; students ${listed(students)}) ${ports.length === 1 ? 'is' : 'are'} taken by ${byWhom}`,
    fix: [
      nextBase !== undefined ? `pick a free block, e.g. --base-port ${nextBase}` : 'pick another --base-port',
      labs.length > 0 ? 'or take those labs down first (swarmlab class down in their class directory)' : 'or stop those containers',
    ].join(', '),
  };
}
