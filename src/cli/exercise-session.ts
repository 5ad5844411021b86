// What every `swarmlab exercise` subcommand starts from: the lab (spec and paths), the
// catalog, the student's progress, the exercise asked for, and, for those that need it, the
// running lab with the values of the exercise's placeholders in it.
import type { Engine } from '../engine/engine.js';
import { SpecError } from '../errors.js';
import { type Catalog, findExercise, loadCatalog, loadExerciseFile } from '../exercise/catalog.js';
import { type ExerciseLab, openExerciseLab, publishedManagerPorts, requireImages, templateValues } from '../exercise/exercise-lab.js';
import { type Progress, readProgress, writeProgress } from '../exercise/progress.js';
import type { StepTarget } from '../exercise/run-steps.js';
import { runSwarmlab } from '../exercise/run-swarmlab.js';
import type { TemplateValues } from '../exercise/template.js';
import type { ExerciseSource } from '../exercise/types.js';
import type { ExerciseArgs } from './exercise-options.js';
import { type LabArgs, type ResolvedLab, resolveLab } from './lab-options.js';
import { openRunningLab } from './running.js';

export interface Session {
  lab: ResolvedLab;
  catalog: Catalog;
  progress: Progress;
  saveProgress(change: (p: Progress) => Progress): Promise<void>;
}

export async function openSession(args: LabArgs): Promise<Session> {
  const lab = await resolveLab(args);
  const [catalog, read] = await Promise.all([loadCatalog(lab.paths.dir), readProgress(lab.paths.stateDir, lab.spec.name)]);
  if (read.warning) process.stderr.write(`warning: ${read.warning}\n`);
  const progress = read.progress;
  const session: Session = {
    lab,
    catalog,
    progress,
    async saveProgress(change) {
      // Read again: a `check --watch` in another terminal may have written since.
      session.progress = change((await readProgress(lab.paths.stateDir, lab.spec.name)).progress);
      await writeProgress(lab.paths.stateDir, session.progress);
    },
  };
  return session;
}

/** The exercise named by ID, or by --file, or the current one. */
export async function chooseExercise(session: Session, id: string | undefined, file?: string): Promise<ExerciseSource> {
  if (file) {
    const { source, problems } = await loadExerciseFile(file, 'file');
    if (!source) throw new SpecError(problems);
    return source;
  }
  const chosen = id ?? session.progress.current;
  if (!chosen)
    throw new SpecError([
      {
        field: 'ID',
        problem: `no exercise given and none started in lab "${session.lab.spec.name}"`,
        fix: `name one (swarmlab exercise list), or start one: swarmlab exercise start ID; another lab: --name LAB`,
      },
    ]);
  return findExercise(session.catalog, chosen);
}

/** The session and the exercise the arguments name; its images must be mapped (exit 2 otherwise). */
export async function openExercise(args: ExerciseArgs & { file?: string }): Promise<{ session: Session; source: ExerciseSource }> {
  const session = await openSession(args);
  const source = await chooseExercise(session, args.id, args.file);
  requireImages(session.lab.spec, source);
  return { session, source };
}

export function stepTarget(session: Session, engine: Engine, running: StepTarget['running']): StepTarget {
  return { dir: session.lab.paths.dir, lab: session.lab.spec.name, engine, running, swarmlab: runSwarmlab };
}

export interface RunningExercise {
  exerciseLab: ExerciseLab;
  values: TemplateValues;
  target: StepTarget;
}

/** The running lab, its facts, and the values of the exercise's placeholders in it. */
export async function inRunningLab(session: Session, source: ExerciseSource, engine: Engine): Promise<RunningExercise> {
  // Checks see a lab without a swarm too (the first exercise forms it); snapshots find a manager themselves.
  const running = await openRunningLab(engine, session.lab.spec.name, { swarm: false });
  const exerciseLab = await openExerciseLab(engine, session.lab.spec, session.lab.paths, running);
  return {
    exerciseLab,
    values: templateValues(source, exerciseLab, publishedManagerPorts(running)),
    target: stepTarget(session, engine, async () => running),
  };
}
