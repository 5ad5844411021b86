// The Docker Hub mirror a class's labs pull through: one per engine the labs are on.
import { LabError } from '../errors.js';
import { runSwarmlab } from '../exercise/run-swarmlab.js';
import type { StudentLab } from './plan.js';

/**
 * One mirror on each engine the class's labs are on (`mirror up` is a no-op where one runs),
 * each started by a child swarmlab sent to that engine. `say` gets one line per engine.
 */
export async function startMirrors(
  classDir: string,
  students: StudentLab[],
  envOf: (student: StudentLab) => Record<string, string>,
  say: (line: string) => void,
): Promise<void> {
  const firstOnEach = [...new Map(students.map((s) => [s.engine, s])).values()];
  for (const student of firstOnEach) {
    const lines: string[] = [];
    const exitCode = await runSwarmlab(['mirror', 'up'], classDir, (line) => lines.push(line), envOf(student));
    if (exitCode !== 0)
      throw new LabError(`the mirror on engine ${student.engine} did not start: ${lines.filter((l) => l.startsWith('error:')).pop() ?? `exit ${exitCode}`}`);
    say(`mirror on ${student.engine}: ${lines.find((l) => l.startsWith('Mirror')) ?? 'up'}`);
  }
}
