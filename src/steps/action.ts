// An `up` or `down` is a list of small named actions run in order (after kind's create actions).
// The same list drives listr2 on a terminal and plain lines elsewhere.
import { Writable } from 'node:stream';
import { Listr, ListrLogger, ListrLogLevels, PRESET_TIMER, ProcessOutput } from 'listr2';
import { trace } from '../trace.js';

export interface Action<C> {
  title: string;
  /** A reason to skip this action, or false to run it. */
  skip?: (ctx: C) => string | false;
  /** `report` updates the action's status line (e.g. "3/4 nodes joined"). */
  run?(ctx: C, report: (status: string) => void): Promise<void>;
  /** Instead of `run`: actions that run side by side, each with its own line and time. */
  concurrent?: Action<C>[];
}

type ListrTasks<C> = ConstructorParameters<typeof Listr<C>>[0];

function toListrTasks<C>(actions: Action<C>[]): ListrTasks<C> {
  return actions.map((action) => ({
    title: action.title,
    skip: action.skip,
    task: (c: C, task) => {
      trace(`step: ${action.title}`);
      return action.concurrent
        ? task.newListr(toListrTasks(action.concurrent), { concurrent: true, exitOnError: true })
        : action.run?.(c, (status) => (task.output = status));
    },
  }));
}

export interface RunOptions {
  /** How many actions run at once (default: one after another). */
  concurrency?: number;
  /** Go on with the other actions when one fails (its failure shows on its line). */
  keepGoing?: boolean;
  /**
   * Where the progress lines go instead of this process's stdout, as plain lines: a lab that a
   * class brings up in this process, its lines kept in the student's log.
   */
  output?: (line: string) => void;
}

/** A stream that hands each whole line written to it to `say`. */
function lineStream(say: (line: string) => void): NodeJS.WriteStream {
  let partial = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) say(line);
      done();
    },
  });
  return stream as unknown as NodeJS.WriteStream;
}

/**
 * `SWARMLAB_PROGRESS=outcomes`: plain lines say how each action ended, not that it started or was
 * skipped. An exercise step runs swarmlab commands as a child and shows their lines to the student
 * (an `up` of a lab already up would otherwise print some thirty such lines before the task).
 */
export const PROGRESS_ENV = 'SWARMLAB_PROGRESS';

class OutcomesLogger extends ListrLogger {
  override log(level: string, message: string | unknown[], options?: Parameters<ListrLogger['log']>[2]): void {
    if (level === ListrLogLevels.STARTED || level === ListrLogLevels.SKIPPED) return;
    super.log(level, message as string, options);
  }
}

export async function runActions<C extends object>(actions: Action<C>[], ctx: C, options: RunOptions = {}): Promise<void> {
  // Progress, failures included, goes to stdout; stderr carries only the one error line
  // that src/cli/main.ts prints, so a script reading stderr sees the problem once.
  const processOutput = options.output && new ProcessOutput(lineStream(options.output), lineStream(options.output));
  const list = new Listr<C>(toListrTasks(actions), {
    ctx,
    concurrent: options.concurrency ?? false,
    exitOnError: !options.keepGoing,
    // `up` handles Ctrl-C itself (stop, clean up, exit 130); listr2's own handler would just exit.
    registerSignalListeners: false,
    // Plain lines when stdout is not a terminal (CI, pipes), which listr2 finds by itself, or
    // when they go elsewhere.
    renderer: 'default',
    fallbackRenderer: 'simple',
    ...(processOutput ? { fallbackRendererCondition: true } : {}),
    rendererOptions: { timer: PRESET_TIMER, collapseSkips: true },
    fallbackRendererOptions: { timer: PRESET_TIMER, logger: progressLogger(processOutput) },
  });
  await list.run();
}

function progressLogger(processOutput: ProcessOutput | undefined): ListrLogger {
  const options = { useIcons: true, toStderr: [], ...(processOutput ? { processOutput } : {}) };
  return process.env[PROGRESS_ENV] === 'outcomes' ? new OutcomesLogger(options) : new ListrLogger(options);
}

/**
 * One step shown as the lists above show theirs, returning what it made: the steps before the
 * plan exists each hand the next what it needs, instead of filling a shared context.
 */
export async function runStep<T>(title: string, run: (report: (status: string) => void) => Promise<T>, options: RunOptions = {}): Promise<T> {
  let made: { value: T } | undefined;
  const step: Action<object> = {
    title,
    run: async (_ctx, report) => {
      made = { value: await run(report) };
    },
  };
  await runActions([step], {}, options);
  if (!made) throw new Error(`step "${title}" ended without its result`);
  return made.value;
}
