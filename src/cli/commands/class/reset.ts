import type { CommandModule } from 'yargs';
import { type ClassArgs, withClassOptions } from '../../class-options.js';

interface ResetArgs extends ClassArgs {
  student: string;
}

export const classResetCommand: CommandModule<object, ResetArgs> = {
  command: 'reset <student>',
  describe: 'Give one student a fresh lab (down, then up) and set their current exercise up again; their progress and pushed images stay',
  builder: (y) => withClassOptions(y).positional('student', { type: 'string', demandOption: true, describe: 's01, s02, ...' }),
  async handler(args) {
    const [{ requireClass }, { planClass }, { runForStudents, chooseStudents }, engines, { currentExerciseOf }] = await Promise.all([
      import('../../../class/roster.js'),
      import('../../../class/plan.js'),
      import('../../class-run.js'),
      import('../../class-engines.js'),
      import('../../class-reset.js'),
    ]);
    const spec = await requireClass(args.dir);
    const students = chooseStudents(planClass(spec), args.student, 'STUDENT');
    const clients = engines.classEngines(spec.engines);
    const envOf = (s: (typeof students)[number]) => engines.studentEnvironment(engines.engineOf(clients, s));
    const failed = [
      ...(await runForStudents(args.dir, students, 'down', ['down'], 1, { envOf })),
      ...(await runForStudents(args.dir, students, 'up', ['up'], 1, { envOf })),
    ];
    if (failed.length > 0) {
      console.log(`reset of ${students.map((s) => s.id).join(', ')} failed (logs in .swarmlab/class/)`);
      process.exitCode = 1;
      return;
    }
    // A fresh lab has none of what the current exercise's setup made (services, secrets, a
    // drained node): it is made again, as `exercise start` makes it, so the student goes on
    // where they were instead of meeting checks that fail for a reason they did not cause.
    for (const student of students) {
      const exercise = await currentExerciseOf(args.dir, student);
      if (!exercise) {
        console.log(`${student.id} has a fresh lab; no exercise was started, so none is set up.`);
        continue;
      }
      const setup = await runForStudents(args.dir, [student], `exercise start ${exercise}`, ['exercise', 'start', exercise], 1, { envOf });
      if (setup.length === 0) {
        console.log(`${student.id} has a fresh lab; exercise ${exercise} is set up again (as exercise start does).`);
      } else {
        console.log(
          `${student.id} has a fresh lab, but exercise ${exercise} could not be set up again, so it starts from a bare lab (log: .swarmlab/class/${student.id}.exercise.log); fix: swarmlab class exec --students ${student.id} -- exercise start ${exercise}`,
        );
        process.exitCode = 1;
      }
    }
  },
};
