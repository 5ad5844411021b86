// Running an exercise's setup, solve or reset steps: swarmlab commands (through the
// StepTarget's runner: this very CLI, so a step does exactly what a student typing it would),
// scripts inside a node through the engine, files written into the lab directory. Every line
// they print passes through redactTokens: a solve that rotates a join token must not show it.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { nodeContainer, type RunningLab } from '../lab/running-lab.js';
import { redactTokens } from '../swarm/secrets.js';
import { conditionHolds } from './checks.js';
import { fillTemplate, type TemplateValues } from './template.js';
import type { Condition, Step } from './types.js';

/** Runs `swarmlab ARGV` in folder `cwd` (with `env` added), each output line to `say`; resolves to its exit code. */
export type SwarmlabRunner = (argv: string[], cwd: string, say: (line: string) => void, env?: Record<string, string>) => Promise<number>;

export interface StepTarget {
  dir: string;
  lab: string;
  engine: Engine;
  /** Looked up when a step runs inside a node (a lab without one cannot run such a step). */
  running: () => Promise<RunningLab>;
  swarmlab: SwarmlabRunner;
}

/**
 * A step's swarmlab command with the lab's --dir and --name: right after `docker` (whose own
 * options come before the docker arguments), at the end for every other command.
 */
export function commandFor(argv: string[], target: Pick<StepTarget, 'dir' | 'lab'>): string[] {
  const labOptions = ['--dir', target.dir, '--name', target.lab];
  return argv[0] === 'docker' ? ['docker', ...labOptions, ...argv.slice(1)] : [...argv, ...labOptions];
}

/** How a step reads to a user: the command as typed in the exercise, filled in; a long script by its first command. */
export function describeStep(step: Step, values: TemplateValues): string {
  if ('swarmlab' in step) return `swarmlab ${step.swarmlab.map((w) => fillTemplate(w, values)).join(' ')}`;
  if ('file' in step) return `write ${step.file}`;
  const lines = fillTemplate(step.sh, values)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  return `[${step.node}] ${lines[0] ?? ''}${lines.length > 1 ? ` (and ${lines.length - 1} more line${lines.length > 2 ? 's' : ''})` : ''}`;
}

export interface StepOptions {
  facts: Required<Condition>;
  /** Where output lines go (stdout, or stderr under --json). */
  say: (line: string) => void;
  /** Reset: go on after a failed step (undo what exists), and report it. */
  keepGoing?: boolean;
}

/**
 * How long a script in a node may run. A setup that waits for a service to converge on nodes a
 * previous exercise left drained waited for ever (a student's walk through the ops course); and
 * `timeout` ends the script in the node too, where an interrupted swarmlab would leave it running.
 */
export const NODE_STEP_TIMEOUT_S = 300;
/** timeout(1)'s exit code when it ended the command (coreutils and busybox alike). */
const TIMED_OUT = 124;
/** Runs the script (passed as $0) under timeout(1), or without a bound in an image that has none. */
const BOUNDED = `command -v timeout >/dev/null 2>&1 && exec timeout ${NODE_STEP_TIMEOUT_S} sh -c "$0"; exec sh -c "$0"`;

async function runStep(step: Step, values: TemplateValues, target: StepTarget, say: (line: string) => void): Promise<number> {
  const indented = (line: string) => say(`  ${redactTokens(line)}`);
  // In the lab directory, so that a step's stack/app.yml is the lab's.
  if ('swarmlab' in step)
    return target.swarmlab(
      commandFor(
        step.swarmlab.map((w) => fillTemplate(w, values)),
        target,
      ),
      target.dir,
      indented,
      // Only how each action ended: a step's start and a skipped step are not worth a student's eyes.
      { SWARMLAB_PROGRESS: 'outcomes' },
    );
  if ('file' in step) {
    const file = path.join(target.dir, step.file);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, fillTemplate(step.content, values));
    return 0;
  }
  const container = nodeContainer(await target.running(), step.node, target.lab);
  const result = await target.engine.exec(container, ['sh', '-c', BOUNDED, fillTemplate(step.sh, values)]);
  for (const line of `${result.stdout}${result.stderr}`.split('\n').filter(Boolean)) indented(line);
  if (result.exitCode === TIMED_OUT) indented(`(stopped after ${NODE_STEP_TIMEOUT_S} s: swarmlab status and swarmlab ps show what it waited for)`);
  return result.exitCode;
}

/** Runs the steps whose `when:` holds, in order; a failed step stops the rest unless keepGoing. Returns the failures. */
export async function runSteps(what: string, steps: Step[], values: TemplateValues, target: StepTarget, options: StepOptions): Promise<string[]> {
  const failures: string[] = [];
  for (const step of steps.filter((s) => conditionHolds(s.when, options.facts))) {
    const shown = redactTokens(describeStep(step, values));
    options.say(`$ ${shown}`);
    const exitCode = await runStep(step, values, target, options.say);
    if (exitCode === 0) continue;
    const failure = `${what} step "${shown}" exited ${exitCode}`;
    if (!options.keepGoing) throw new LabError(failure);
    failures.push(failure);
  }
  return failures;
}
