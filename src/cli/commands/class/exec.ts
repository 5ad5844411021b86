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
    const [
      { requireClass },
      { planClass },
      { runForStudents, chooseStudents, studentCommand },
      { SpecError },
      engines,
      { TOP_COMMAND_NAMES },
      { loadCatalog },
      { classShapeProblem },
    ] = await Promise.all([
      import('../../../class/roster.js'),
      import('../../../class/plan.js'),
      import('../../class-run.js'),
      import('../../../errors.js'),
      import('../../class-engines.js'),
      import('../names.js'),
      import('../../../exercise/catalog.js'),
      import('../../../class/exercise-shape.js'),
    ]);
    const chosen = studentCommand([...(args.command ?? []), ...(args['--'] ?? [])].map(String), TOP_COMMAND_NAMES);
    if ('problem' in chosen) throw new SpecError([chosen.problem]);
    if (!Number.isInteger(args.parallel) || args.parallel < 1)
      throw new SpecError([{ field: '--parallel', problem: `must be a whole number of labs, 1 or more (got ${args.parallel})`, fix: 'e.g. --parallel 8' }]);
    const command = chosen.argv;
    const spec = await requireClass(args.dir);
    const wrongShape = classShapeProblem(command, await loadCatalog(args.dir), spec);
    if (wrongShape) throw new SpecError([wrongShape]);
    const students = chooseStudents(planClass(spec), args.students);
    const clients = engines.classEngines(spec.engines);
    const failed = await runForStudents(args.dir, students, command.join(' '), command, args.parallel, {
      show: true,
      envOf: (s) => engines.studentEnvironment(engines.engineOf(clients, s)),
    });
    console.log(`${students.length - failed.length} of ${students.length} succeeded${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}.`);
    if (failed.length > 0) process.exitCode = 1;
  },
};
