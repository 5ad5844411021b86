// Running a swarmlab command for each student of a class, a few at a time, one progress line
// per student, each one's output kept in .swarmlab/class/<student>.<command>.log.
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ClassSpec, type StudentLab, studentSpecFile } from '../class/plan.js';
import type { SpecProblem } from '../errors.js';
import { commandFor } from '../exercise/run-steps.js';
import { runActions } from '../steps/action.js';
import { ERROR_FILE_ENV, type ErrorReport } from './error-report.js';
import { runSwarmlab } from './run-swarmlab.js';

export { chooseStudents } from '../class/choose-students.js';

const OURS = '# Written by swarmlab class up';

/** Each student's directory and swarmlab.yaml; a swarmlab.yaml the instructor wrote stays. */
export async function prepareStudents(classDir: string, spec: ClassSpec, students: StudentLab[]): Promise<void> {
  for (const student of students) {
    const dir = path.join(path.resolve(classDir), student.dir);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'swarmlab.yaml');
    const existing = await readFile(file, 'utf8').catch(() => undefined);
    if (existing === undefined || existing.startsWith(OURS)) await writeFile(file, studentSpecFile(spec, student));
  }
}

/**
 * The command `class exec` runs for each student, as the instructor typed it after `--`, or the
 * one-line refusal. A leading `swarmlab` (or `npx swarmlab`) is the instructor's habit, not an
 * error; --dir and --name are each student's own and set per student. Pure.
 */
export function studentCommand(typed: string[], known: string[]): { argv: string[] } | { problem: SpecProblem } {
  const argv = typed[0] === 'npx' && typed[1] === 'swarmlab' ? typed.slice(2) : typed[0] === 'swarmlab' ? typed.slice(1) : typed;
  const example = 'e.g. swarmlab class exec -- chaos kill-leader';
  if (argv.length === 0) return { problem: { field: 'COMMAND', problem: 'no swarmlab command given', fix: example } };
  if (argv[0] === 'class') return { problem: { field: 'COMMAND', problem: 'a class command cannot run per student', fix: example } };
  if (!known.includes(argv[0]!))
    return {
      problem: { field: 'COMMAND', problem: `"${argv[0]}" is not a swarmlab command`, fix: `use one of ${known.filter((k) => k !== 'class').join(', ')}` },
    };
  const own = argv.find((w) => /^--(dir|name)(=|$)/.test(w));
  if (own)
    return {
      problem: {
        field: 'COMMAND',
        problem: `${own.split('=')[0]} is set for each student by class exec`,
        fix: 'leave it out (--students s01,s03 chooses the labs)',
      },
    };
  return { argv };
}

/** How a student's command ended: its exit code, and on failure its error line. */
export interface RunOutcome {
  exitCode: number;
  headline?: string;
}

/** A student's command run in this process instead of a child swarmlab: its lines go to `say`; how it ended comes back. */
export type RunHere = (target: { dir: string; lab: string }, say: (line: string) => void) => Promise<RunOutcome>;

/** A child swarmlab for the student: its lines to `say`; its error, if any, read from the file it writes (ERROR_FILE_ENV). */
async function runChild(argv: string[], dir: string, say: (line: string) => void, env: Record<string, string>, errorFile: string): Promise<RunOutcome> {
  await rm(errorFile, { force: true });
  const exitCode = await runSwarmlab(argv, dir, say, { ...env, [ERROR_FILE_ENV]: errorFile });
  if (exitCode === 0) return { exitCode };
  const written = await readFile(errorFile, 'utf8').catch(() => undefined);
  const headline = written === undefined ? undefined : (JSON.parse(written) as Partial<ErrorReport>).headline;
  return { exitCode, ...(headline ? { headline } : {}) };
}

/**
 * Runs `swarmlab ARGV` for each student, `concurrency` at a time; returns the students whose
 * command failed. `show`: print each student's output after it (class exec), else only keep it.
 * `here`: for the students it answers for, the command runs in this process.
 */
export async function runForStudents(
  classDir: string,
  students: StudentLab[],
  what: string,
  argv: string[],
  concurrency: number,
  options: {
    show?: boolean;
    envOf?: (student: StudentLab) => Record<string, string>;
    here?: (student: StudentLab) => RunHere | undefined;
    /** Once aborted (Ctrl-C), students not started yet are not started. */
    signal?: AbortSignal;
  } = {},
): Promise<string[]> {
  const logs = path.join(path.resolve(classDir), '.swarmlab', 'class');
  await mkdir(logs, { recursive: true });
  const failed: string[] = [];
  const outputs = new Map<string, string[]>();
  await runActions(
    students.map((student) => ({
      title: `${student.id} (${student.lab}${student.engine === 'default' ? '' : ` on ${student.engine}`}): ${what}`,
      async run() {
        if (options.signal?.aborted) {
          failed.push(student.id);
          throw new Error('not started: interrupted');
        }
        const dir = path.join(path.resolve(classDir), student.dir);
        const log = path.join(logs, `${student.id}.${argv[0]}.log`);
        await writeFile(log, `$ swarmlab ${argv.join(' ')}\n`);
        const lines: string[] = [];
        const here = options.here?.(student);
        const say = (line: string) => lines.push(line);
        const { exitCode, headline } = here
          ? await here({ dir, lab: student.lab }, say)
          : await runChild(commandFor(argv, { dir, lab: student.lab }), dir, say, options.envOf?.(student) ?? {}, `${log}.error.json`);
        await appendFile(log, `${lines.join('\n')}\nexit ${exitCode}\n`);
        outputs.set(student.id, lines);
        if (exitCode !== 0) {
          failed.push(student.id);
          // With `show`, the student's whole output follows under its name: the error once, there.
          if (options.show) throw new Error(`exit ${exitCode}`);
          throw new Error(`exit ${exitCode}: ${headline ?? `see ${path.relative(process.cwd(), log)}`}`);
        }
      },
    })),
    {},
    { concurrency, keepGoing: true },
  ).catch(() => undefined);
  if (options.show) {
    for (const student of students) console.log([`── ${student.id} (${student.lab}) ──`, ...(outputs.get(student.id) ?? []).map((l) => `  ${l}`)].join('\n'));
  }
  return students.map((s) => s.id).filter((id) => failed.includes(id));
}
