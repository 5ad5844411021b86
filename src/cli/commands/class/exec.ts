import type { CommandModule } from 'yargs';
import { type ClassArgs, withClassOptions } from '../../class-options.js';

interface ExecArgs extends ClassArgs {
  students?: string;
  command?: string[];
  '--'?: string[];
}

export const classExecCommand: CommandModule<object, ExecArgs> = {
  command: 'exec [command..]',
  describe: "Run a swarmlab command on every student's lab (or --students s01,s03): swarmlab class exec -- chaos kill-leader",
  builder: (y) =>
    withClassOptions(y)
      .option('students', { type: 'string', describe: 'Only these students, e.g. s01,s03' })
      .positional('command', { type: 'string', array: true, describe: 'The swarmlab command, after --' })
      // Everything after -- is the student's command, flags included, untouched.
      .parserConfiguration({ 'populate--': true }),
  async handler(args) {
    const [{ requireClass }, { planClass }, { runForStudents, chooseStudents, studentCommand }, { SpecError }, engines, { TOP_COMMAND_NAMES }] =
      await Promise.all([
        import('../../../class/roster.js'),
        import('../../../class/plan.js'),
        import('../../class-run.js'),
        import('../../../errors.js'),
        import('../../class-engines.js'),
        import('../names.js'),
      ]);
    const chosen = studentCommand([...(args.command ?? []), ...(args['--'] ?? [])].map(String), TOP_COMMAND_NAMES);
    if ('problem' in chosen) throw new SpecError([chosen.problem]);
    const command = chosen.argv;
    const spec = await requireClass(args.dir);
    const students = chooseStudents(planClass(spec), args.students);
    const clients = engines.classEngines(spec.engines);
    const failed = await runForStudents(args.dir, students, command.join(' '), command, 4, {
      show: true,
      envOf: (s) => engines.studentEnvironment(engines.engineOf(clients, s)),
    });
    console.log(`${students.length - failed.length} of ${students.length} succeeded${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}.`);
    if (failed.length > 0) process.exitCode = 1;
  },
};
