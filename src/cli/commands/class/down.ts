import type { CommandModule } from 'yargs';
import { type ClassArgs, withClassOptions } from '../../class-options.js';

interface DownArgs extends ClassArgs {
  purge: boolean;
}

export const classDownCommand: CommandModule<object, DownArgs> = {
  command: 'down',
  describe: "Remove every student's lab (their directories, progress and pushed images stay unless --purge)",
  builder: (y) =>
    withClassOptions(y).option('purge', {
      type: 'boolean',
      default: false,
      describe: "Also empty each lab's registry-data/ and remove its progress, and the class's logins (cards must be printed again)",
    }),
  async handler(args) {
    const [{ requireClass }, { planClass }, engines, { removeLab }, { labPaths }, path] = await Promise.all([
      import('../../../class/roster.js'),
      import('../../../class/plan.js'),
      import('../../class-engines.js'),
      import('../../../lab/remove.js'),
      import('../../../lab/paths.js'),
      import('node:path'),
    ]);
    const spec = await requireClass(args.dir);
    const students = planClass(spec);
    const clients = engines.classEngines(spec.engines);
    // In this one process, every lab at once: the engines remove containers in parallel, and 24
    // child processes starting Node would cost more than the removal itself.
    const removed = await Promise.all(
      students.map((s) =>
        removeLab(engines.engineOf(clients, s).client, s.lab, { purge: args.purge, paths: labPaths(path.join(path.resolve(args.dir), s.dir), s.lab) }).then(
          (r) => r.containers,
        ),
      ),
    );
    console.log(`${students.length} of ${students.length} labs removed (${removed.reduce((a, b) => a + b, 0)} containers).`);
    if (args.purge && (await (await import('../../../web/logins.js')).removeLogins(args.dir)))
      console.log("The class's logins are removed: the next class up makes new ones, and the printed cards no longer work.");
  },
};
