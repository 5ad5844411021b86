// A new prefix, base port or fewer students would orphan the labs that exist under the old ones.
import { SpecError } from '../errors.js';
import { LABEL_LAB } from '../plan/labels.js';
import { classEngines, engineOf } from './class-engines.js';
import { type ClassSpec, labsLeftBehind, leftBehindProblem } from './plan.js';

/** Refuses, naming them, the labs of `recorded` that `next` would leave behind and that exist on their engines. */
export async function refuseLeavingLabsBehind(recorded: ClassSpec, next: ClassSpec): Promise<void> {
  const left = labsLeftBehind(recorded, next);
  if (!left) return;
  const clients = classEngines(recorded.engines);
  const existing = await Promise.all(
    left.students.map(async (s) => ((await engineOf(clients, s).client.listContainers({ [LABEL_LAB]: s.lab })).length > 0 ? s.lab : undefined)),
  );
  const labs = existing.filter((lab): lab is string => lab !== undefined);
  if (labs.length > 0) throw new SpecError([leftBehindProblem(labs, left.field, left.keep)]);
}
