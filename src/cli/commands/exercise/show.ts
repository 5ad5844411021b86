import type { CommandModule } from 'yargs';
import { withExerciseId, type ExerciseArgs } from '../../exercise-options.js';

export const showCommand: CommandModule<object, ExerciseArgs> = {
  command: 'show <id>',
  describe: 'The task of an exercise, its lab and what its checks look at',
  builder: (y) => withExerciseId(y, true),
  async handler(args) {
    const [{ openSession, chooseExercise }, { templateValues }, { formatExercise }] = await Promise.all([
      import('../../exercise-session.js'),
      import('../../../exercise/exercise-lab.js'),
      import('../../print-exercise.js'),
    ]);
    const session = await openSession(args);
    const source = await chooseExercise(session, args.id);
    // Shown before any lab exists, so the IPVS variant is shown beside the task, not chosen.
    const values = templateValues(source, { spec: session.lab.spec, paths: session.lab.paths, ipvs: true });
    console.log(formatExercise(source, values));
  },
};
