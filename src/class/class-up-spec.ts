// What `class up` is asked for: its flags over what class.yaml recorded. Pure: the flags are
// data here, not yargs' arguments, so that unit tests can ask for any class.
import type { SpecProblem } from '../errors.js';
import { parseNodeCuts } from '../spec/node-cuts.js';
import { type ClassSpec, classImages, DEFAULT_BASE_PORT, validateClass } from './plan.js';
import type { RuntimeOrigin } from './preflight.js';

/** `class up`'s flags; each left out is taken from class.yaml, else its default. */
export interface ClassUpFlags {
  students?: number;
  workers?: number;
  managers?: number;
  prefix?: string;
  basePort?: number;
  engines?: string[];
  mirror?: boolean;
  runtime?: string;
  /** As typed: `--node-cuts a,b`, or `none`. */
  nodeCuts?: string;
  /** Labs brought up at once. */
  concurrency: number;
  /** Seconds each lab's up may wait for its nodes. */
  timeoutSeconds: number;
}

/** The class the flags ask for over the one `recorded` (none the first time), with the images of `env`. */
export function classSpecOf(flags: ClassUpFlags, recorded: ClassSpec | undefined, env: Record<string, string | undefined>): ClassSpec {
  return {
    prefix: flags.prefix ?? recorded?.prefix ?? 'class',
    students: flags.students ?? recorded?.students ?? Number.NaN,
    managers: flags.managers ?? recorded?.managers ?? 1,
    workers: flags.workers ?? recorded?.workers ?? 3,
    basePort: flags.basePort ?? recorded?.basePort ?? DEFAULT_BASE_PORT,
    engines: flags.engines ?? recorded?.engines ?? ['default'],
    placement: recorded?.placement ?? {},
    ...((flags.mirror ?? recorded?.mirror) ? { mirror: true } : {}),
    ...classImages(env, recorded),
    ...runtimeOf(flags.runtime, recorded?.runtime),
    ...nodeCutsOf(flags.nodeCuts, recorded?.nodeCuts),
  };
}

/**
 * Everything wrong with `spec` and the flags at once; only the missing student count when there
 * is no class yet and none was given (the rest would follow from that).
 */
export function classUpProblems(flags: ClassUpFlags, recorded: ClassSpec | undefined, spec: ClassSpec): SpecProblem[] {
  if (flags.students === undefined && !recorded)
    return [{ field: '--students', problem: 'is missing (no class here yet)', fix: 'e.g. swarmlab class up --students 24' }];
  const problems = validateClass(spec);
  for (const [field, value, least] of [
    ['--concurrency', flags.concurrency, 1],
    ['--timeout', flags.timeoutSeconds, 1],
  ] as const) {
    if (!Number.isInteger(value) || value < least)
      problems.push({ field, problem: `must be a whole number of at least ${least} (got ${value})`, fix: `e.g. ${field} 4` });
  }
  return problems;
}

/** Where the class's runtime came from, for the refusal of an engine without it: the flag, or class.yaml. */
export function runtimeOriginOf(flags: ClassUpFlags): RuntimeOrigin {
  return flags.runtime !== undefined
    ? { field: '--runtime', leaveOut: 'leave out --runtime' }
    : { field: 'class.yaml: runtime', leaveOut: 'class up --runtime none' };
}

/** The class's node cuts: the flag's, else those class.yaml recorded; unset is the default cuts. */
export function nodeCutsOf(flag: string | undefined, recorded: string[] | undefined): { nodeCuts?: string[] } {
  const nodeCuts = flag === undefined ? recorded : parseNodeCuts(flag);
  return nodeCuts === undefined ? {} : { nodeCuts };
}

/** The class's runtime: the flag (`none` clears it), else the one class.yaml recorded. */
export function runtimeOf(flag: string | undefined, recorded: string | undefined): { runtime?: string } {
  const runtime = flag === 'none' ? undefined : (flag ?? recorded);
  return runtime === undefined ? {} : { runtime };
}
