// `class exec -- exercise start ID` in every lab: refused at once, in one line, when the class's
// labs are not in the exercise's shape, rather than once per student (a lab made in another shape
// is never reshaped by start). Pure.
import type { SpecProblem } from '../errors.js';
import type { Catalog } from '../exercise/catalog.js';
import { shapeMismatch } from '../exercise/prepare-lab.js';
import type { ClassSpec } from './plan.js';

/** Why the class's labs cannot start the exercise `argv` starts, or undefined (another command, or one they can). */
export function classShapeProblem(argv: string[], catalog: Catalog, spec: Pick<ClassSpec, 'managers' | 'workers'>): SpecProblem | undefined {
  if (argv[0] !== 'exercise' || argv[1] !== 'start' || !argv[2]) return undefined;
  const exercise = catalog.exercises.find((e) => e.exercise.id === argv[2])?.exercise;
  // An unknown id is each lab's own error to say (a student's lab may have exercises of its own).
  if (!exercise) return undefined;
  const mismatch = shapeMismatch(exercise.lab, spec.managers, spec.workers);
  if (!mismatch) return undefined;
  const { managers, workers } = exercise.lab;
  return {
    field: 'COMMAND',
    problem: `exercise ${exercise.id} cannot start in this class's labs: ${mismatch}`,
    fix: `swarmlab class down, then swarmlab class up --managers ${managers}${workers !== undefined ? ` --workers ${Math.max(workers, spec.workers)}` : ''} (every lab in its shape)`,
  };
}
