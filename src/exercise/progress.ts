// A student's progress in one lab: which exercise is current, and per exercise when it was
// started, checked, passed, solved or reset, and how many hints were shown. Kept in
// .swarmlab/<lab>/progress.json, beside the compose file, so it survives `down` and `up`
// (only `down --purge` removes it). The update functions are pure; read/write are the edge.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckOutcome } from './checks.js';

export interface ExerciseProgress {
  startedAt?: string;
  /** When every check first passed. */
  passedAt?: string;
  /** Seconds from the latest start to the first pass. */
  secondsToPass?: number;
  /** Check runs. */
  attempts: number;
  lastCheckAt?: string;
  lastPassed?: boolean;
  /** The first failing check of the last run and its message. */
  failing?: { id: string; message: string };
  /** Hints shown per check id (the first one comes with `check`). */
  hintsShown: Record<string, number>;
  /** When the reference solution was run (an instructor, or a student who gave up). */
  solvedAt?: string;
  resetAt?: string;
}

export interface Progress {
  version: 1;
  lab: string;
  /** The exercise `check` and `hint` use when no ID is given. */
  current?: string;
  exercises: Record<string, ExerciseProgress>;
}

export const PROGRESS_FILE = 'progress.json';

export function emptyProgress(lab: string): Progress {
  return { version: 1, lab, exercises: {} };
}

function entry(progress: Progress, id: string): ExerciseProgress {
  return progress.exercises[id] ?? { attempts: 0, hintsShown: {} };
}

function withEntry(progress: Progress, id: string, change: (e: ExerciseProgress) => ExerciseProgress, current = progress.current): Progress {
  return { ...progress, current, exercises: { ...progress.exercises, [id]: change(entry(progress, id)) } };
}

export function recordStart(progress: Progress, id: string, now: Date): Progress {
  return withEntry(progress, id, (e) => ({ ...e, startedAt: now.toISOString() }), id);
}

export function recordCheck(progress: Progress, id: string, outcomes: CheckOutcome[], now: Date): Progress {
  const passed = outcomes.every((o) => o.passed);
  const failing = outcomes.find((o) => !o.passed);
  return withEntry(progress, id, (e) => {
    const firstPass = passed && !e.passedAt;
    const hintsShown = { ...e.hintsShown };
    for (const o of outcomes) if (o.hint) hintsShown[o.id] = Math.max(hintsShown[o.id] ?? 0, 1);
    return {
      ...e,
      attempts: e.attempts + 1,
      lastCheckAt: now.toISOString(),
      lastPassed: passed,
      failing: failing ? { id: failing.id, message: failing.message } : undefined,
      hintsShown,
      ...(firstPass
        ? { passedAt: now.toISOString(), secondsToPass: e.startedAt ? Math.round((now.getTime() - Date.parse(e.startedAt)) / 1000) : undefined }
        : {}),
    };
  });
}

/** Counts one more hint shown for the check; returns the new progress and the index of the hint to show. */
export function nextHint(progress: Progress, id: string, checkId: string, hintCount: number): { progress: Progress; index: number } {
  const shown = entry(progress, id).hintsShown[checkId] ?? 0;
  const index = Math.min(shown, hintCount - 1);
  return { progress: withEntry(progress, id, (e) => ({ ...e, hintsShown: { ...e.hintsShown, [checkId]: Math.min(shown + 1, hintCount) } })), index };
}

export function recordSolve(progress: Progress, id: string, now: Date): Progress {
  return withEntry(progress, id, (e) => ({ ...e, solvedAt: now.toISOString() }));
}

export function recordReset(progress: Progress, id: string, now: Date): Progress {
  return withEntry(progress, id, (e) => ({ ...e, resetAt: now.toISOString(), lastPassed: undefined, failing: undefined }));
}

/**
 * The lab's progress record; a new one when there is none. A record that cannot be read is
 * moved aside (never overwritten), and `warning` says where.
 */
export async function readProgress(stateDir: string, lab: string): Promise<{ progress: Progress; warning?: string }> {
  const file = path.join(stateDir, PROGRESS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { progress: emptyProgress(lab) };
  }
  try {
    const parsed = JSON.parse(text) as Progress;
    if (parsed.version === 1 && typeof parsed.exercises === 'object' && parsed.exercises !== null) return { progress: parsed };
  } catch {
    // Not JSON: handled below like a record of another version.
  }
  const aside = `${file}.unreadable-${Date.now()}`;
  await rename(file, aside);
  return { progress: emptyProgress(lab), warning: `${file} could not be read; it was moved to ${aside} and a new record started` };
}

/** Written to a temporary file and renamed, so a Ctrl-C never leaves half a file. */
export async function writeProgress(stateDir: string, progress: Progress): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const file = path.join(stateDir, PROGRESS_FILE);
  await writeFile(`${file}.${process.pid}.tmp`, `${JSON.stringify(progress, null, 2)}\n`);
  await rename(`${file}.${process.pid}.tmp`, file);
}
