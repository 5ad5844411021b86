// Every error as the lines a user reads and the exit code: the command line's, and a class's
// for a lab it brings up in its own process.
import type { ErrorReport } from '../error-file.js';
import { EXIT_FAILURE, EXIT_USAGE, LabError, oneLine, SpecError } from '../errors.js';
import { redactTokens } from '../swarm/secrets.js';
import { describeSystemError } from '../system-errors.js';

/** A mistake in how swarmlab was called (an unknown flag, a missing argument). */
export class UsageError extends Error {
  /** The command it is about, e.g. ['exercise', 'start']: its --help is the fix. */
  constructor(
    message: string,
    readonly command: string[] = [],
  ) {
    super(message);
  }
}

/**
 * yargs' words for a command line it cannot take, said for the command at hand. `usage`: the
 * usage line of the command yargs was in (`$0 exercise start <id>`); `subcommands`: that
 * command's own commands; `argv`: the words typed. `exercise chek` is an unknown exercise
 * command (yargs says one is missing, or that chek is an unknown argument), and a missing
 * argument is named by its command's usage. Pure.
 */
export function usageProblem(message: string, usage: string | undefined, subcommands: string[], argv: string[]): { message: string; command: string[] } {
  const words = (usage ?? '')
    .split('\n')[0]!
    .replace(/^\$0\s*/, '')
    .split(/\s+/)
    .filter(Boolean);
  const command = words.filter((w) => !/^[<[]/.test(w));
  const wanted = words.filter((w) => w.startsWith('<'));
  // The typed words as yargs took them: a flag's value before the command would shift them.
  const typed = argv.filter((w) => !w.startsWith('-'));
  const next = typed.slice(0, command.length).join(' ') === command.join(' ') ? typed[command.length] : undefined;
  const names = subcommands.map((c) => c.split(' ')[0]!);
  if (
    command.length > 0 &&
    names.length > 0 &&
    next !== undefined &&
    !names.includes(next) &&
    (/^Unknown argument/.test(message) || /command$/.test(message))
  ) {
    return { message: `"${next}" is not a swarmlab ${command.join(' ')} command (use one of ${names.join(', ')})`, command };
  }
  if (/^Not enough non-option arguments/.test(message) && wanted.length > 0) {
    return { message: `swarmlab ${words.join(' ')}: ${wanted.join(' ')} is missing`, command };
  }
  return { message, command };
}

export function errorReport(err: unknown): ErrorReport {
  const lines: string[] = [];
  let headline = '';
  const say = (line: string) => {
    lines.push(redactTokens(line));
    if (line.startsWith('error: ')) headline = lines.at(-1)!;
  };
  let exitCode = EXIT_FAILURE;
  if (err instanceof SpecError) {
    for (const line of err.message.split('\n')) say(`error: ${line}`);
    exitCode = EXIT_USAGE;
  } else if (err instanceof UsageError) {
    // yargs breaks some of its messages over lines ("Invalid values:\n  Argument: ..."): one line here.
    say(`error: ${oneLine(err.message)}; fix: see swarmlab ${err.command.length > 0 ? `${err.command.join(' ')} ` : ''}--help`);
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
  return { lines, exitCode, headline };
}
