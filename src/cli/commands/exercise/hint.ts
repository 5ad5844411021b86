import type { CommandModule } from 'yargs';
import { type ExerciseArgs, withExerciseId } from '../../exercise-options.js';

interface HintArgs extends ExerciseArgs {
  file?: string;
}

export const hintCommand: CommandModule<object, HintArgs> = {
  command: 'hint [id]',
  describe: 'The next hint of the first failing check',
  builder: (y) => withExerciseId(y, false).option('file', { type: 'string', describe: 'An exercise file from anywhere on disk' }),
  async handler(args) {
    const [{ openExercise, inRunningLab }, { DockerEngine }, { runChecks }, { checkEnvironment }, { nextHint }, { fillTemplate }] = await Promise.all([
      import('../../exercise-session.js'),
      import('../../../engine/docker-engine.js'),
      import('../../../exercise/checks.js'),
      import('../../../exercise/exercise-lab.js'),
      import('../../../exercise/progress.js'),
      import('../../../exercise/template.js'),
    ]);
    const { session, source } = await openExercise(args);
    const { exercise } = source;
    const { exerciseLab, values } = await inRunningLab(session, source, new DockerEngine());
    // No waiting for convergence here: a hint is about what is wrong now.
    const withoutWaits = { ...exercise, checks: exercise.checks.map((c) => ({ ...c, waitMs: undefined })) };
    const outcomes = await runChecks(withoutWaits, values, checkEnvironment(exerciseLab));
    const failing = outcomes.find((o) => !o.passed);
    if (!failing) {
      console.log(`Every check of ${exercise.id} passes: no hint needed.`);
      return;
    }
    const check = exercise.checks.find((c) => c.id === failing.id)!;
    console.log(`${failing.id}: ${failing.message}`);
    if (check.hints.length === 0) {
      console.log(`No hint for this check. The reference solution: swarmlab exercise solve ${exercise.id}`);
      return;
    }
    let index = 0;
    await session.saveProgress((p) => {
      const next = nextHint(p, exercise.id, check.id, check.hints.length);
      index = next.index;
      return next.progress;
    });
    const { formatHint } = await import('../../print-exercise.js');
    console.log(
      formatHint(
        index,
        check.hints.map((h) => fillTemplate(h, values)),
        exercise.id,
      ),
    );
  },
};
