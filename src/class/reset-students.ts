// `class reset`: a student's lab taken down and brought up again, and the exercise they were on
// set up again, as `exercise start` sets it up.

import { chooseStudents } from './choose-students.js';
import { currentExerciseOf } from './current-exercise.js';
import { openClass } from './open-class.js';
import type { StudentLab } from './plan.js';
import { runForStudents } from './run-for-students.js';

/** How one student's reset ended, once their lab is fresh. */
export interface StudentReset {
  student: StudentLab;
  /** The exercise they were on, if they had started one. */
  exercise?: string;
  /** Whether that exercise's setup ran again without a failure. */
  setUp: boolean;
}

/**
 * Resets the students `typed` names. Returns the students when their down or up failed (none
 * is set up again then); else `reported` has heard of each one as it was done.
 */
export async function resetStudents(classDir: string, typed: string, reported: (reset: StudentReset) => void): Promise<{ failed?: StudentLab[] }> {
  const opened = await openClass(classDir);
  const students = chooseStudents(opened.students, typed, 'STUDENT');
  opened.engines();
  const { envOf } = opened;
  const failed = [
    ...(await runForStudents(classDir, students, 'down', ['down'], 1, { envOf })).failed,
    ...(await runForStudents(classDir, students, 'up', ['up'], 1, { envOf })).failed,
  ];
  if (failed.length > 0) return { failed: students };
  // A fresh lab has none of what the current exercise's setup made (services, secrets, a
  // drained node): it is made again, as `exercise start` makes it, so the student goes on
  // where they were instead of meeting checks that fail for a reason they did not cause.
  for (const student of students) {
    const exercise = await currentExerciseOf(classDir, student);
    if (!exercise) {
      reported({ student, setUp: false });
      continue;
    }
    const setup = await runForStudents(classDir, [student], `exercise start ${exercise}`, ['exercise', 'start', exercise], 1, { envOf });
    reported({ student, exercise, setUp: setup.failed.length === 0 });
  }
  return {};
}
