// `class exec`: one swarmlab command run on each chosen student's lab, as a child swarmlab on
// that student's engine.
import { SpecError } from '../errors.js';
import { loadCatalog } from '../exercise/catalog.js';
import { chooseStudents } from './choose-students.js';
import { classShapeProblem } from './exercise-shape.js';
import { openClass } from './open-class.js';
import type { StudentLab } from './plan.js';
import { runForStudents, type StudentsRun } from './run-for-students.js';
import { studentCommand } from './student-command.js';

export interface ExecRequest {
  /** The command as typed after `--`. */
  typed: string[];
  /** swarmlab's top commands: the command must be one of them. */
  known: string[];
  /** `--students s01,s03`, or every student. */
  only?: string;
  /** Labs at a time. */
  parallel: number;
}

/** Runs the command for the chosen students; each one's output comes back for the command line to show. */
export async function execForStudents(classDir: string, request: ExecRequest): Promise<StudentsRun & { students: StudentLab[] }> {
  const chosen = studentCommand(request.typed, request.known);
  if ('problem' in chosen) throw new SpecError([chosen.problem]);
  if (!Number.isInteger(request.parallel) || request.parallel < 1)
    throw new SpecError([{ field: '--parallel', problem: `must be a whole number of labs, 1 or more (got ${request.parallel})`, fix: 'e.g. --parallel 8' }]);
  const command = chosen.argv;
  const opened = await openClass(classDir);
  const wrongShape = classShapeProblem(command, await loadCatalog(classDir), opened.spec);
  if (wrongShape) throw new SpecError([wrongShape]);
  const students = chooseStudents(opened.students, request.only);
  opened.engines();
  const run = await runForStudents(classDir, students, command.join(' '), command, request.parallel, { shown: true, envOf: opened.envOf });
  return { students, ...run };
}
