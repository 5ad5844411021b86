import type { CommandModule } from 'yargs';
import { COURSE_CHOICES, type CourseChoice } from '../../exercise-options.js';
import { type LabArgs, withLabOptions } from '../../lab-options.js';

interface ListArgs extends LabArgs {
  json: boolean;
  course: CourseChoice;
}

export const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: "A built-in course, in order, and the lab directory's exercises/*.yaml, with your status",
  builder: (y) =>
    withLabOptions(y)
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' })
      .option('course', {
        choices: COURSE_CHOICES,
        default: 'basics' as const,
        describe: "basics: the seeds' course; ops: Swarm operations, each exercise a failure to recover from; all: both",
      }),
  async handler(args) {
    const [{ openSession }, { formatList, statusOf }, { formatProblem }, { courseExercises }] = await Promise.all([
      import('../../exercise-session.js'),
      import('../../print-exercise.js'),
      import('../../../errors.js'),
      import('../../../exercise/catalog.js'),
    ]);
    const { catalog, progress } = await openSession(args);
    const listed = courseExercises(catalog, args.course);
    // A broken file of the lab's does not hide the others; it is named, with what is wrong.
    for (const broken of catalog.broken) for (const p of broken.problems) process.stderr.write(`warning: ${formatProblem(p)}\n`);
    if (args.json) {
      const exercises = listed.map((s) => ({
        id: s.exercise.id,
        title: s.exercise.title,
        course: s.course ?? null,
        order: s.order ?? null,
        breaks: s.exercise.breaks ?? null,
        origin: s.origin,
        file: s.file,
        status: statusOf(progress.exercises[s.exercise.id]),
      }));
      console.log(JSON.stringify({ current: progress.current ?? null, exercises }, null, 2));
    } else {
      console.log(formatList(listed, progress, args.course));
    }
  },
};
