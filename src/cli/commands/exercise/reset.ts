import type { CommandModule } from 'yargs';
import { withExerciseId, type ExerciseArgs } from '../../exercise-options.js';

export const resetCommand: CommandModule<object, ExerciseArgs> = {
  command: 'reset <id>',
  describe: 'Undo what the exercise made in the lab (its reset steps; each runs even if one before it fails)',
  builder: (y) => withExerciseId(y, true),
  async handler(args) {
    const [session, { DockerEngine }, { runSteps }, { recordReset }] = await Promise.all([
      import('../../exercise-session.js'),
      import('../../../engine/docker-engine.js'),
      import('../../../exercise/run-steps.js'),
      import('../../../exercise/progress.js'),
    ]);
    const s = await session.openSession(args);
    const source = await session.chooseExercise(s, args.id);
    const { exerciseLab, values, target } = await session.labAtHand(s, source, new DockerEngine());
    // Reset undoes whatever of the exercise exists: a step that finds nothing to undo is not the end.
    const failures = await runSteps('reset', source.exercise.reset, values, target, { facts: { ipvs: exerciseLab.ipvs }, say: (line) => console.log(line), keepGoing: true });
    await s.saveProgress((p) => recordReset(p, source.exercise.id, new Date()));
    for (const failure of failures) console.log(`note: ${failure} (nothing to undo there, or undo it by hand)`);
    console.log(`Reset ${source.exercise.id}. Start it again: swarmlab exercise start ${source.exercise.id}`);
  },
};
