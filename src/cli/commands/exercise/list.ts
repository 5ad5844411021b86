import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../../lab-options.js';

interface ListArgs extends LabArgs {
  json: boolean;
}

export const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: "The built-in course, in order, and the lab directory's exercises/*.yaml, with your status",
  builder: (y) => withLabOptions(y).option('json', { type: 'boolean', default: false, describe: 'Print JSON' }),
  async handler(args) {
    const [{ openSession }, { formatList, statusOf }, { formatProblem }] = await Promise.all([
      import('../../exercise-session.js'),
      import('../../print-exercise.js'),
      import('../../../errors.js'),
    ]);
    const { catalog, progress } = await openSession(args);
    // A broken file of the lab's does not hide the others; it is named, with what is wrong.
    for (const broken of catalog.broken) for (const p of broken.problems) process.stderr.write(`warning: ${formatProblem(p)}\n`);
    if (args.json) {
      const exercises = catalog.exercises.map((s) => ({
        id: s.exercise.id,
        title: s.exercise.title,
        order: s.order ?? null,
        origin: s.origin,
        file: s.file,
        status: statusOf(progress.exercises[s.exercise.id]),
      }));
      console.log(JSON.stringify({ current: progress.current ?? null, exercises }, null, 2));
    } else {
      console.log(formatList(catalog.exercises, progress));
    }
  },
};
