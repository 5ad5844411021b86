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
    const { takeDownClass } = await import('../../../class/take-down-class.js');
    const { labs, containers, loginsRemoved } = await takeDownClass(args.dir, args.purge);
    console.log(`${labs} of ${labs} labs removed (${containers} containers).`);
    if (loginsRemoved) console.log("The class's logins are removed: the next class up makes new ones, and the printed cards no longer work.");
  },
};
