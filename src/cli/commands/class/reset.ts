import type { CommandModule } from 'yargs';
import { type ClassArgs, withClassOptions } from '../../class-options.js';

interface ResetArgs extends ClassArgs {
  student: string;
}

export const classResetCommand: CommandModule<object, ResetArgs> = {
  command: 'reset <student>',
  describe: 'Give one student a fresh lab (down, then up); their progress and pushed images stay',
  builder: (y) => withClassOptions(y).positional('student', { type: 'string', demandOption: true, describe: 's01, s02, ...' }),
  async handler(args) {
    const [{ requireClass }, { planClass }, { runForStudents, chooseStudents }, engines] = await Promise.all([
      import('../../../class/roster.js'),
      import('../../../class/plan.js'),
      import('../../class-run.js'),
      import('../../class-engines.js'),
    ]);
    const spec = await requireClass(args.dir);
    const students = chooseStudents(planClass(spec), args.student, 'STUDENT');
    const clients = engines.classEngines(spec.engines);
    const envOf = (s: (typeof students)[number]) => engines.studentEnvironment(engines.engineOf(clients, s));
    const failed = [
      ...(await runForStudents(args.dir, students, 'down', ['down'], 1, { envOf })),
      ...(await runForStudents(args.dir, students, 'up', ['up'], 1, { envOf })),
    ];
    const id = students.map((s) => s.id).join(', ');
    console.log(failed.length === 0 ? `${id} has a fresh lab.` : `reset of ${id} failed (logs in .swarmlab/class/)`);
    if (failed.length > 0) process.exitCode = 1;
  },
};
