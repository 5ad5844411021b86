// What `class up` makes sure of on the class's engines before it writes or starts anything:
// each engine has the runtime the class asks for, and the class's block of host ports is not
// another class's. Each is refused once, in one line, instead of once per student.

import type { ContainerInfo } from '../engine/engine.js';
import { SpecError, type SpecProblem } from '../errors.js';
import { LABEL_LAB } from '../plan/labels.js';
import { runtimeProblem } from '../spec/validate.js';
import { type ClassEngine, engineOf } from './class-engines.js';
import type { ClassSpec, StudentLab } from './plan.js';
import { nextFreeBasePort, portBlockProblem, portClashes, takenPorts } from './port-block.js';

/** Where the class's runtime came from, for the refusal: the flag, or class.yaml. */
export interface RuntimeOrigin {
  field: string;
  leaveOut: string;
}

export async function checkClassEngines(
  spec: ClassSpec,
  students: StudentLab[],
  engines: Map<string, ClassEngine>,
  runtimeOrigin: RuntimeOrigin,
): Promise<void> {
  // Each student as placed on the engine engineOf finds for it (the first, when its own is not named).
  const placed = students.map((s) => ({ ...s, engine: engineOf(engines, s).name }));
  const used = [...new Set(placed.map((s) => s.engine))].map((name) => engines.get(name)!);
  const [runtimes, containers] = await Promise.all([
    Promise.all(used.map(async (e) => [e.name, spec.runtime === undefined ? [] : (await e.client.info()).runtimes] as const)),
    Promise.all(used.map(async (e) => [e.name, await e.client.listContainers({})] as const)),
  ]);
  const problems: SpecProblem[] = [];
  for (const [name, have] of runtimes) {
    const missing = runtimeProblem(spec.runtime, have, runtimeOrigin.field, runtimeOrigin.leaveOut);
    if (missing) problems.push(used.length > 1 ? { ...missing, problem: `engine ${name}: ${missing.problem}` } : missing);
  }
  if (problems.length > 0) throw new SpecError(problems);
  const clashes = portClashes(placed, new Map<string, ContainerInfo[]>(containers));
  if (clashes.length === 0) return;
  const ownLabs = new Set(students.map((s) => s.lab));
  const taken = new Set<number>();
  for (const [, list] of containers) for (const port of takenPorts(list.filter((c) => !ownLabs.has(c.labels[LABEL_LAB] ?? ''))).keys()) taken.add(port);
  throw new SpecError([portBlockProblem(spec, clashes, nextFreeBasePort(spec, taken))]);
}
