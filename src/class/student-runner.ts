// A student's own swarmlab command, run by the class server for their page (Check, Hint, Start,
// the course list): a child swarmlab in the student's lab directory, on the student's engine,
// its stdout and stderr kept apart (`exercise check --json` answers on stdout).
import path from 'node:path';
import { execa } from 'execa';
import { CLI } from '../exercise/run-swarmlab.js';
import type { StudentRunner } from '../web/student-exercises.js';
import { type ClassEngine, engineOf, studentEnvironment } from './class-engines.js';
import type { StudentLab } from './plan.js';

const RUN_TIMEOUT_MS = 10 * 60_000;

export function studentRunner(classDir: string, students: StudentLab[], engines: Map<string, ClassEngine>): StudentRunner {
  return async (id, argv) => {
    const student = students.find((s) => s.id === id);
    if (!student) return { exitCode: 2, stdout: '', stderr: `no student ${id}` };
    const dir = path.join(path.resolve(classDir), student.dir);
    const result = await execa(process.execPath, [CLI, ...argv, '--dir', dir], {
      cwd: dir,
      reject: false,
      stdin: 'ignore',
      timeout: RUN_TIMEOUT_MS,
      env: { NO_COLOR: '1', ...studentEnvironment(engineOf(engines, student)) },
    });
    return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
  };
}
