import type { CommandModule } from 'yargs';
import { type ExerciseArgs, withExerciseId } from '../../exercise-options.js';

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
    // Shown before any lab exists: the ports the spec asks for, and the IPVS variant beside
    // the task rather than chosen; an image the lab does not map shows as such.
    const { spec, paths } = session.lab;
    const values = templateValues(source, { spec, paths, ipvs: true, architecture: 'x86_64' }, new Map(spec.ports.map((p) => [p.container, p.host])));
    console.log(formatExercise(source, values));
  },
};
