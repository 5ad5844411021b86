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
    const [{ resetStudents }, { formatStudentReset }] = await Promise.all([import('../../../class/reset-students.js'), import('../../print-class.js')]);
    const { failed } = await resetStudents(args.dir, args.student, (reset) => {
      console.log(formatStudentReset(reset));
      if (reset.exercise && !reset.setUp) process.exitCode = 1;
    });
    if (failed) {
      console.log(`reset of ${failed.map((s) => s.id).join(', ')} failed (logs in .swarmlab/class/)`);
      process.exitCode = 1;
    }
  },
};
