import type { CommandModule } from 'yargs';
import { type ExerciseArgs, withExerciseId } from '../../exercise-options.js';
import { repeatRounds } from '../../repeat.js';

interface CheckArgs extends ExerciseArgs {
  file?: string;
  json: boolean;
  watch: boolean;
}

const WATCH_INTERVAL_MS = 2000;

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check [id]',
  describe: 'Check the running lab against the exercise: every check, with what it saw; exit 0 when all pass, 1 when one fails',
  builder: (y) =>
    withExerciseId(y, false)
      .option('file', { type: 'string', describe: 'Check an exercise file from anywhere on disk' })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print {exercise, passed, checks: [{id, passed, message, hint}]} (under --watch, one line per change)',
      })
      .option('watch', { type: 'boolean', default: false, describe: 'Check again every 2 s until every check passes (Ctrl-C stops)' }),
  async handler(args) {
    const [{ openExercise, inRunningLab }, { DockerEngine }, { runChecks }, { checkEnvironment }, { recordCheck }, print] = await Promise.all([
      import('../../exercise-session.js'),
      import('../../../engine/docker-engine.js'),
      import('../../../exercise/checks.js'),
      import('../../../exercise/exercise-lab.js'),
      import('../../../exercise/progress.js'),
      import('../../print-exercise.js'),
    ]);
    const { session, source } = await openExercise(args);
    const { exercise } = source;
    const { exerciseLab, values } = await inRunningLab(session, source, new DockerEngine());
    // A failing check may be asked again for a while (convergence): a student is told why nothing shows.
    const onWait = (ids: string[], seconds: number) => process.stderr.write(`waiting up to ${seconds} s for ${ids.join(', ')} to pass...\n`);
    const environment = { ...checkEnvironment(exerciseLab), ...(args.json || args.watch ? {} : { onWait }) };
    let shown = '';
    await repeatRounds({ watch: args.watch, intervalMs: WATCH_INTERVAL_MS }, async () => {
      const outcomes = await runChecks(exercise, values, environment);
      const passed = outcomes.every((o) => o.passed);
      const text = args.json
        ? print.outcomesJson(exercise.id, outcomes, args.watch ? 0 : 2)
        : print.formatOutcomes(exercise.id, outcomes, Object.fromEntries(exercise.checks.map((c) => [c.id, c.hints.length])));
      // Under --watch a report is printed, and counted as an attempt, when it changes.
      if (text !== shown) {
        await session.saveProgress((p) => recordCheck(p, exercise.id, outcomes, new Date()));
        console.log(args.watch && shown && !args.json ? `\n${new Date().toTimeString().slice(0, 8)}\n${text}` : text);
      }
      shown = text;
      process.exitCode = passed ? 0 : 1;
      return passed;
    });
  },
};
