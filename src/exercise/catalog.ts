// Where exercises come from: the built-in courses (the package's course/ folder, files named
// NN-<id>.yaml in course order: the seeds' course there, the operations course in course/ops/)
// and the lab directory's exercises/*.yaml. A lab's exercise with a course exercise's id takes
// its place, so an instructor can adapt one exercise. Ids are unique across the courses.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpecError, type SpecProblem } from '../errors.js';
import { decodeExercise } from './decode.js';
import type { ExerciseSource } from './types.js';

/** The package's course/ folder (next to dist/ once built, next to src/ in tests). */
export const COURSE_DIR = fileURLToPath(new URL('../../course/', import.meta.url));
export const LAB_EXERCISES_DIR = 'exercises';

/** The built-in courses, in the order they are taught, each in its folder under course/. */
export const COURSES = [
  { name: 'basics', title: "Swarm from the ground up (the seeds' course)", dir: '.' },
  { name: 'ops', title: 'Swarm operations: the failures a real swarm has', dir: 'ops' },
] as const;
export type CourseName = (typeof COURSES)[number]['name'];
export const COURSE_NAMES: readonly CourseName[] = COURSES.map((c) => c.name);

export interface Catalog {
  exercises: ExerciseSource[];
  /** Files that did not decode, with their problems. */
  broken: { file: string; problems: SpecProblem[] }[];
}

async function yamlFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

export async function loadExerciseFile(file: string, origin: ExerciseSource['origin']): Promise<{ source?: ExerciseSource; problems: SpecProblem[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      problems: [{ field: file, problem: code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`, fix: 'give the path of an exercise file (.yaml)' }],
    };
  }
  const decoded = decodeExercise(text, path.basename(file));
  return decoded.exercise ? { source: { exercise: decoded.exercise, file, origin }, problems: [] } : { problems: decoded.problems };
}

export async function loadCatalog(labDir: string, courseDir: string = COURSE_DIR): Promise<Catalog> {
  const catalog: Catalog = { exercises: [], broken: [] };
  const add = async (files: string[], origin: ExerciseSource['origin'], course?: CourseName) => {
    for (const [index, file] of files.entries()) {
      const { source, problems } = await loadExerciseFile(file, origin);
      if (!source) {
        catalog.broken.push({ file, problems });
        continue;
      }
      const same = catalog.exercises.findIndex((e) => e.exercise.id === source.exercise.id);
      if (origin === 'course') Object.assign(source, { order: index + 1, course });
      if (same >= 0) catalog.exercises[same] = { ...source, order: catalog.exercises[same]!.order, course: catalog.exercises[same]!.course };
      else catalog.exercises.push(source);
    }
  };
  for (const course of COURSES) await add(await yamlFiles(path.join(courseDir, course.dir)), 'course', course.name);
  await add(await yamlFiles(path.join(path.resolve(labDir), LAB_EXERCISES_DIR)), 'lab');
  return catalog;
}

/** The exercise with this id, or a SpecError naming the known ones (or the broken file's problems). */
export function findExercise(catalog: Catalog, id: string): ExerciseSource {
  const found = catalog.exercises.find((e) => e.exercise.id === id);
  if (found) return found;
  const broken = catalog.broken.find(
    (b) =>
      path
        .basename(b.file)
        .replace(/^\d+-/, '')
        .replace(/\.ya?ml$/, '') === id,
  );
  if (broken) throw new SpecError(broken.problems);
  throw new SpecError([
    {
      field: 'ID',
      problem: `no exercise ${JSON.stringify(id)}`,
      fix: `use one of ${catalog.exercises.map((e) => e.exercise.id).join(', ')} (swarmlab exercise list)`,
    },
  ]);
}

/** The exercises of one course, or of every course, in course order; the lab's own exercises with either. */
export function courseExercises(catalog: Catalog, course: CourseName | 'all'): ExerciseSource[] {
  return catalog.exercises.filter((e) => course === 'all' || e.course === course || e.course === undefined);
}

/** The courses with an exercise among `ids` (those a student has started), in course order; the first course when none. */
export function startedCourses(catalog: Catalog, ids: string[]): CourseName[] {
  const started = new Set(ids);
  const courses = COURSE_NAMES.filter((course) => catalog.exercises.some((e) => e.course === course && started.has(e.exercise.id)));
  return courses.length > 0 ? courses : [COURSE_NAMES[0]!];
}
