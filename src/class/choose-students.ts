// The students an instructor names on a command line (class exec --students, reset, cards,
// web --rotate). Pure.
import { SpecError } from '../errors.js';
import type { StudentLab } from './plan.js';

/** A student as an instructor may type one: s01, s1, S01, 1 and 01 are all s01. */
function studentIdOf(typed: string): string {
  const number = /^[sS]?(\d{1,2})$/.exec(typed)?.[1];
  return number ? `s${number.padStart(2, '0')}` : typed;
}

/**
 * The students named in a comma-separated list (all when none), or a SpecError naming the
 * unknown; `field` is how the command took the list (--students, or reset's STUDENT).
 */
export function chooseStudents(students: StudentLab[], names: string | undefined, field = '--students'): StudentLab[] {
  if (!names) return students;
  const typed = names
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const wanted = typed.map(studentIdOf);
  const unknown = typed.filter((_, i) => !students.some((s) => s.id === wanted[i]));
  if (unknown.length > 0)
    throw new SpecError([{ field, problem: `no student ${unknown.join(', ')} in this class`, fix: `use ${students[0]!.id}..${students.at(-1)!.id}` }]);
  return students.filter((s) => wanted.includes(s.id));
}
