import type { CommandModule } from 'yargs';
import { withExerciseId, type ExerciseArgs } from '../../exercise-options.js';

export const solveCommand: CommandModule<object, ExerciseArgs> = {
  command: 'solve <id>',
  describe: "Run the exercise's reference solution in the lab (for instructors, and for CI)",
  builder: (y) => withExerciseId(y, true),
  async handler(args) {
    const [session, { DockerEngine }, { runSteps }, { recordSolve }] = await Promise.all([
      import('../../exercise-session.js'),
      import('../../../engine/docker-engine.js'),
      import('../../../exercise/run-steps.js'),
      import('../../../exercise/progress.js'),
    ]);
    const s = await session.openSession(args);
    const source = await session.chooseExercise(s, args.id);
    const { exerciseLab, values, target } = await session.labAtHand(s, source, new DockerEngine());
    await runSteps('solve', source.exercise.solve, values, target, { facts: { ipvs: exerciseLab.ipvs }, say: (line) => console.log(line) });
    await s.saveProgress((p) => recordSolve(p, source.exercise.id, new Date()));
    console.log(`Ran the reference solution of ${source.exercise.id}. See it pass: swarmlab exercise check ${source.exercise.id}`);
  },
};
