// Running a swarmlab command for each student of a class, a few at a time, one progress line
// per student, each one's output kept in .swarmlab/class/<student>.<command>.log.
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { commandFor } from '../exercise/run-steps.js';
import { runActions } from '../steps/action.js';
import type { StudentLab } from './plan.js';
import { type RunOutcome, runChild } from './run-child.js';

/**
 * A student's command run in this process instead of a child swarmlab: its lines go to `say`; how
 * it ended comes back. The command line makes it (cli/class-up-here.ts), since running a
 * command in-process is the command line's own business.
 */
export type RunHere = (target: { dir: string; lab: string }, say: (line: string) => void) => Promise<RunOutcome>;

export interface StudentsRun {
  /** The students whose command failed, in the class's order. */
  failed: string[];
  /** Each student's output, by student id, as its log keeps it. */
  outputs: Map<string, string[]>;
}

/**
 * Runs `swarmlab ARGV` for each student, `concurrency` at a time. `shown`: each student's output
 * is shown after the list (class exec), so a failure's line says only its exit code. `here`: for
 * the students it answers for, the command runs in this process.
 */
export async function runForStudents(
  classDir: string,
  students: StudentLab[],
  what: string,
  argv: string[],
  concurrency: number,
  options: {
    shown?: boolean;
    envOf?: (student: StudentLab) => Record<string, string>;
    here?: (student: StudentLab) => RunHere | undefined;
    /** Once aborted (Ctrl-C), students not started yet are not started. */
    signal?: AbortSignal;
  } = {},
): Promise<StudentsRun> {
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
          // With `shown`, the student's whole output follows under its name: the error once, there.
          if (options.shown) throw new Error(`exit ${exitCode}`);
          throw new Error(`exit ${exitCode}: ${headline ?? `see ${path.relative(process.cwd(), log)}`}`);
        }
      },
    })),
    {},
    { concurrency, keepGoing: true },
  ).catch(() => undefined);
  return { failed: students.map((s) => s.id).filter((id) => failed.includes(id)), outputs };
}
