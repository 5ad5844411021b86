import type { CommandModule } from 'yargs';
import { type ClassArgs, withClassOptions } from '../../class-options.js';

interface ExecArgs extends ClassArgs {
  students?: string;
  parallel: number;
  command?: string[];
  '--'?: string[];
}

export const classExecCommand: CommandModule<object, ExecArgs> = {
  command: 'exec [command..]',
  describe: "Run a swarmlab command on every student's lab (or --students s01,s03): swarmlab class exec -- chaos kill-leader",
  builder: (y) =>
    withClassOptions(y)
      .option('students', { type: 'string', describe: 'Only these students, e.g. s01,s03' })
      .option('parallel', {
        type: 'number',
        default: 4,
        describe: 'Labs at a time; a drill every student should see at once (exercise start lost-quorum) may ask for as many as there are students',
      })
      .positional('command', { type: 'string', array: true, describe: 'The swarmlab command, after --' })
      // Everything after -- is the student's command, flags included, untouched.
      .parserConfiguration({ 'populate--': true }),
  async handler(args) {
    const [{ execForStudents }, { TOP_COMMAND_NAMES }, { formatStudentOutputs }] = await Promise.all([
      import('../../../class/exec-for-students.js'),
      import('../names.js'),
      import('../../print-class.js'),
    ]);
    const { students, failed, outputs } = await execForStudents(args.dir, {
      typed: [...(args.command ?? []), ...(args['--'] ?? [])].map(String),
      known: TOP_COMMAND_NAMES,
      ...(args.students !== undefined ? { only: args.students } : {}),
      parallel: args.parallel,
    });
    for (const shown of formatStudentOutputs(students, outputs)) console.log(shown);
    console.log(`${students.length - failed.length} of ${students.length} succeeded${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}.`);
    if (failed.length > 0) process.exitCode = 1;
  },
};
