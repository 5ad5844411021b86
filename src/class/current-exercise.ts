// What `class reset` needs to know of a student beyond their lab: the exercise they were on,
// from the progress record in their lab directory (it survives down and up).
import path from 'node:path';
import { readProgress } from '../exercise/progress.js';
import { labPaths } from '../lab/paths.js';
import type { StudentLab } from './plan.js';

/** The student's current exercise (the one `exercise start` made current), if any. */
export async function currentExerciseOf(classDir: string, student: StudentLab): Promise<string | undefined> {
  const paths = labPaths(path.join(path.resolve(classDir), student.dir), student.lab);
  return (await readProgress(paths.stateDir, student.lab)).progress.current;
}
