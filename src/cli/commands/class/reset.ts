import type { CommandModule } from 'yargs';
import { withClassOptions, type ClassArgs } from '../../class-options.js';

interface ResetArgs extends ClassArgs {
  student: string;
}

export const classResetCommand: CommandModule<object, ResetArgs> = {
  command: 'reset <student>',
  describe: "Give one student a fresh lab (down, then up); their progress and pushed images stay",
  builder: (y) => withClassOptions(y).positional('student', { type: 'string', demandOption: true, describe: 's01, s02, ...' }),
  async handler(args) {
    const [{ requireClass }, { planClass }, { runForStudents, chooseStudents }] = await Promise.all([import('../../../class/roster.js'), import('../../../class/plan.js'), import('../../class-run.js')]);
    const students = chooseStudents(planClass(await requireClass(args.dir)), args.student);
    const failed = [...(await runForStudents(args.dir, students, 'down', ['down'], 1)), ...(await runForStudents(args.dir, students, 'up', ['up'], 1))];
    console.log(failed.length === 0 ? `${args.student} has a fresh lab.` : `reset of ${args.student} failed (logs in .swarmlab/class/)`);
    if (failed.length > 0) process.exitCode = 1;
  },
};
