// `exercise solve` and `exercise reset`: run one list of the exercise's steps in the lab.
import type { CommandModule } from 'yargs';
import { type ExerciseArgs, withExerciseId } from '../../exercise-options.js';

type Kind = 'solve' | 'reset';

async function runExerciseSteps(args: ExerciseArgs, kind: Kind): Promise<void> {
  const [{ openExercise, inRunningLab }, { DockerEngine }, { runSteps }, { recordSolve, recordReset }, { checkEnvironment }, { changesReport }] =
    await Promise.all([
      import('../../exercise-session.js'),
      import('../../../engine/docker-engine.js'),
      import('../../../exercise/run-steps.js'),
      import('../../../exercise/progress.js'),
      import('../../../exercise/exercise-lab.js'),
      import('../../../exercise/swarm-changes.js'),
    ]);
  const { session, source } = await openExercise(args);
  const { id } = source.exercise;
  const { exerciseLab, values, target } = await inRunningLab(session, source, new DockerEngine());
  const say = (line: string) => console.log(line);
  // A reset says what it removed, read from the swarm itself: its steps may print nothing
  // (a script's >/dev/null), and a student's own service may be among what goes.
  const snapshot = () =>
    checkEnvironment(exerciseLab)
      .snapshot()
      .catch(() => undefined);
  const before = kind === 'reset' ? await snapshot() : undefined;
  // Reset undoes whatever of the exercise exists: a step that finds nothing to undo is not the end.
  const failures = await runSteps(kind, source.exercise[kind], values, target, { facts: { ipvs: exerciseLab.ipvs }, say, keepGoing: kind === 'reset' });
  await session.saveProgress((p) => (kind === 'solve' ? recordSolve : recordReset)(p, id, new Date()));
  for (const failure of failures) say(`note: ${failure} (nothing to undo there, or undo it by hand)`);
  if (kind === 'reset') for (const line of changesReport(before, await snapshot())) say(line);
  say(
    kind === 'solve'
      ? `Ran the reference solution of ${id}. See it pass: swarmlab exercise check ${id}`
      : `Reset ${id}. Start it again: swarmlab exercise start ${id}`,
  );
}

export const solveCommand: CommandModule<object, ExerciseArgs> = {
  command: 'solve <id>',
  describe: "Run the exercise's reference solution in the lab (for instructors, and for CI)",
  builder: (y) => withExerciseId(y, true),
  handler: (args) => runExerciseSteps(args, 'solve'),
};

export const resetCommand: CommandModule<object, ExerciseArgs> = {
  command: 'reset <id>',
  describe: 'Undo what the exercise made in the lab (its reset steps; each runs even if one before it fails)',
  builder: (y) => withExerciseId(y, true),
  handler: (args) => runExerciseSteps(args, 'reset'),
};
