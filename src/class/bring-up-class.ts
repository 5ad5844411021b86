// `class up`: the class the flags ask for, checked, placed on its engines, recorded in
// class.yaml, and each student's lab brought up (or repaired). The command line prints.
import type { EngineTarget } from '../engine/engine.js';
import { SpecError } from '../errors.js';
import { ensureLogins } from '../web/logins.js';
import { classEngines, engineOf, engineRooms, studentEnvironment } from './class-engines.js';
import { type ClassUpFlags, classSpecOf, classUpProblems, runtimeOriginOf } from './class-up-spec.js';
import { refuseLeavingLabsBehind } from './labs-left-behind.js';
import { labEstimateBytes, placeStudents } from './placement.js';
import { planClass, type StudentLab } from './plan.js';
import { checkClassEngines } from './preflight.js';
import { prepareStudents } from './prepare-students.js';
import { readClass, writeClass } from './roster.js';
import { type RunHere, runForStudents } from './run-for-students.js';
import { startMirrors } from './start-mirrors.js';

export interface ClassUpIo {
  /** A student's `up` in this process, on the engine given (the student's). */
  upHere: (engine: EngineTarget) => RunHere;
  /** Where the lines besides each student's progress line go (the mirrors started). */
  say: (line: string) => void;
  /**
   * Runs the students' ups with a signal that Ctrl-C aborts (the command line's, cli/interruptible.ts):
   * each lab coming up in this process stops and cleans up by itself (as a child does), and the
   * students not started yet are not started. Only around the ups: before them, Ctrl-C just ends.
   */
  interruptible: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>;
}

export interface ClassUp {
  students: StudentLab[];
  /** The students whose lab did not come up. */
  failed: string[];
  /** Whether Ctrl-C stopped the ups. */
  interrupted: boolean;
}

export async function bringUpClass(classDir: string, flags: ClassUpFlags, io: ClassUpIo): Promise<ClassUp> {
  const recorded = await readClass(classDir);
  const spec = classSpecOf(flags, recorded, process.env);
  const problems = classUpProblems(flags, recorded, spec);
  if (problems.length > 0) throw new SpecError(problems);
  if (recorded) await refuseLeavingLabsBehind(recorded, spec);
  const clients = classEngines(spec.engines);
  const ids = planClass(spec).map((s) => s.id);
  const placed = placeStudents(ids, await engineRooms(clients), labEstimateBytes(spec.managers, spec.workers), spec.placement);
  if (placed.problems.length > 0) throw new SpecError(placed.problems);
  const placedSpec = { ...spec, placement: placed.placement };
  // Before anything is written: the runtime on every engine, and the port block free of other labs.
  await checkClassEngines(placedSpec, planClass(placedSpec), clients, runtimeOriginOf(flags));
  await writeClass(classDir, placedSpec);
  const students = planClass(placedSpec);
  // Each student's login for the class server (the cards print them); kept across down and up.
  await ensureLogins(
    classDir,
    students.map((s) => s.id),
  );
  await prepareStudents(classDir, placedSpec, students);
  const envOf = (student: StudentLab) => studentEnvironment(engineOf(clients, student));
  if (placedSpec.mirror) await startMirrors(classDir, students, envOf, io.say);
  // Every lab comes up in this process, on its student's engine (a child each costs a Node start).
  const here = (student: StudentLab) => io.upHere(engineOf(clients, student));
  return io.interruptible(async (signal) => {
    const argv = ['up', '--timeout', String(flags.timeoutSeconds)];
    const { failed } = await runForStudents(classDir, students, 'up', argv, flags.concurrency, { here, signal });
    return { students, failed, interrupted: signal.aborted };
  });
}
