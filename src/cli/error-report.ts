// Every error as the lines a user reads and the exit code: the command line's, and a class's
// for a lab it brings up in its own process.
import { EXIT_FAILURE, EXIT_USAGE, LabError, SpecError } from '../errors.js';
import { redactTokens } from '../swarm/secrets.js';
import { describeSystemError } from '../system-errors.js';

/** A mistake in how swarmlab was called (an unknown flag, a missing argument). */
export class UsageError extends Error {}

export function errorReport(err: unknown): { lines: string[]; exitCode: number } {
  const lines: string[] = [];
  const say = (line: string) => lines.push(redactTokens(line));
  let exitCode = EXIT_FAILURE;
  if (err instanceof SpecError) {
    for (const line of err.message.split('\n')) say(`error: ${line}`);
    exitCode = EXIT_USAGE;
  } else if (err instanceof UsageError) {
    say(`error: ${err.message}; fix: see swarmlab --help`);
    exitCode = EXIT_USAGE;
  } else if (err instanceof LabError) {
    say(`error: ${err.problem}${err.fix ? `; fix: ${err.fix}` : ''}`);
    for (const line of err.detailLines) say(`  ${line}`);
    exitCode = err.exitCode;
  } else {
    const system = describeSystemError(err);
    say(system ? `error: ${system.problem}; fix: ${system.fix}` : `error: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.SWARMLAB_DEBUG && err instanceof Error && err.stack) say(err.stack);
  }
  return { lines, exitCode };
}
