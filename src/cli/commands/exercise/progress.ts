import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../../lab-options.js';

interface ProgressArgs extends LabArgs {
  json: boolean;
}

export const progressCommand: CommandModule<object, ProgressArgs> = {
  command: 'progress',
  describe: "Your progress in this lab: each exercise's status, checks run, hints, time to pass",
  builder: (y) => withLabOptions(y).option('json', { type: 'boolean', default: false, describe: 'Print the progress record as JSON' }),
  async handler(args) {
    const [{ openSession }, { formatProgress }] = await Promise.all([import('../../exercise-session.js'), import('../../print-exercise.js')]);
    const { catalog, progress } = await openSession(args);
    // Exercises checked with --file are not in the catalog but are in the record: list them too.
    const known = new Set(catalog.exercises.map((s) => s.exercise.id));
    const others = Object.keys(progress.exercises).filter((id) => !known.has(id));
    if (args.json) {
      console.log(JSON.stringify(progress, null, 2));
      return;
    }
    console.log(formatProgress([...known, ...others], progress));
  },
};
