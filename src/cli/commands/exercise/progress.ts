import type { CommandModule } from 'yargs';
import { COURSE_CHOICES, type CourseChoice } from '../../exercise-options.js';
import { type LabArgs, withLabOptions } from '../../lab-options.js';

interface ProgressArgs extends LabArgs {
  json: boolean;
  course?: CourseChoice;
}

export const progressCommand: CommandModule<object, ProgressArgs> = {
  command: 'progress',
  describe: "Your progress in this lab: each exercise's status, checks run, hints, time to pass",
  builder: (y) =>
    withLabOptions(y).option('json', { type: 'boolean', default: false, describe: 'Print the progress record as JSON' }).option('course', {
      choices: COURSE_CHOICES,
      describe: 'The course to count (default: the courses you have started an exercise of, else basics)',
    }),
  async handler(args) {
    const [{ openSession }, { formatProgress }, { courseExercises, startedCourses }] = await Promise.all([
      import('../../exercise-session.js'),
      import('../../print-exercise.js'),
      import('../../../exercise/catalog.js'),
    ]);
    const { catalog, progress } = await openSession(args);
    const courses = args.course ? [args.course] : startedCourses(catalog, Object.keys(progress.exercises));
    // Exercises checked with --file are not in the catalog but are in the record: list them too.
    const known = new Set(courses.flatMap((course) => courseExercises(catalog, course)).map((s) => s.exercise.id));
    const inCatalog = new Set(catalog.exercises.map((s) => s.exercise.id));
    const others = Object.keys(progress.exercises).filter((id) => !inCatalog.has(id));
    if (args.json) {
      console.log(JSON.stringify(progress, null, 2));
      return;
    }
    console.log(formatProgress([...known, ...others], progress));
  },
};
