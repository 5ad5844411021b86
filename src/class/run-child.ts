// A student's command run as a child swarmlab. How it ended is read from the JSON error file it
// writes (error-file.ts), not scraped from its text.
import { readFile, rm } from 'node:fs/promises';
import { ERROR_FILE_ENV, type ErrorReport } from '../error-file.js';
import { runSwarmlab } from '../exercise/run-swarmlab.js';

/** How a student's command ended: its exit code, and on failure its error line. */
export interface RunOutcome {
  exitCode: number;
  headline?: string;
}

/** A child swarmlab for the student: its lines to `say`; its error, if any, read from the file it writes (ERROR_FILE_ENV). */
export async function runChild(argv: string[], dir: string, say: (line: string) => void, env: Record<string, string>, errorFile: string): Promise<RunOutcome> {
  await rm(errorFile, { force: true });
  const exitCode = await runSwarmlab(argv, dir, say, { ...env, [ERROR_FILE_ENV]: errorFile });
  if (exitCode === 0) return { exitCode };
  const written = await readFile(errorFile, 'utf8').catch(() => undefined);
  const headline = written === undefined ? undefined : (JSON.parse(written) as Partial<ErrorReport>).headline;
  return { exitCode, ...(headline ? { headline } : {}) };
}
