// Where exercises come from: the built-in course (the package's course/ folder, files named
// NN-<id>.yaml in course order) and the lab directory's exercises/*.yaml. A lab's exercise
// with a course exercise's id takes its place, so an instructor can adapt one exercise.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpecError, type SpecProblem } from '../errors.js';
import { decodeExercise } from './decode.js';
import type { ExerciseSource } from './types.js';

/** The package's course/ folder (next to dist/ once built, next to src/ in tests). */
export const COURSE_DIR = fileURLToPath(new URL('../../course/', import.meta.url));
export const LAB_EXERCISES_DIR = 'exercises';

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
  const add = async (files: string[], origin: ExerciseSource['origin']) => {
    for (const [index, file] of files.entries()) {
      const { source, problems } = await loadExerciseFile(file, origin);
      if (!source) {
        catalog.broken.push({ file, problems });
        continue;
      }
      const same = catalog.exercises.findIndex((e) => e.exercise.id === source.exercise.id);
      if (origin === 'course') source.order = index + 1;
      if (same >= 0) catalog.exercises[same] = { ...source, order: catalog.exercises[same]!.order };
      else catalog.exercises.push(source);
    }
  };
  await add(await yamlFiles(courseDir), 'course');
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
