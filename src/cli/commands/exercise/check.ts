import type { CommandModule } from 'yargs';
import { withExerciseId, type ExerciseArgs } from '../../exercise-options.js';

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
      .option('json', { type: 'boolean', default: false, describe: 'Print {exercise, passed, checks: [{id, passed, message, hint}]}' })
      .option('watch', { type: 'boolean', default: false, describe: 'Check again every 2 s until every check passes (Ctrl-C stops)' }),
  async handler(args) {
    const [session, { DockerEngine }, { runChecks }, { checkEnvironment }, { recordCheck }, { formatOutcomes }] = await Promise.all([
      import('../../exercise-session.js'),
      import('../../../engine/docker-engine.js'),
      import('../../../exercise/checks.js'),
      import('../../../exercise/exercise-lab.js'),
      import('../../../exercise/progress.js'),
      import('../../print-exercise.js'),
    ]);
    const s = await session.openSession(args);
    const source = await session.chooseExercise(s, args.id, args.file);
    const { exercise } = source;
    const { exerciseLab, values } = await session.labAtHand(s, source, new DockerEngine());
    const environment = checkEnvironment(exerciseLab);
    // `on`, not `once`: a signal hook (execa's) re-raises a SIGINT that finds no other listener left.
    let onInterrupt = () => {};
    const interrupted = new Promise<void>((resolve) => (onInterrupt = resolve));
    process.on('SIGINT', onInterrupt);
    let shown = '';
    for (;;) {
      const outcomes = await runChecks(exercise, values, environment);
      await s.saveProgress((p) => recordCheck(p, exercise.id, outcomes, new Date()));
      const passed = outcomes.every((o) => o.passed);
      const text = args.json
        ? JSON.stringify({ exercise: exercise.id, passed, checks: outcomes.map((o) => ({ id: o.id, passed: o.passed, message: o.message, hint: o.hint ?? null, ...(o.skipped ? { skipped: o.skipped } : {}) })) }, null, 2)
        : formatOutcomes(exercise.id, outcomes);
      // Under --watch, a report is printed when it changes, not every 2 s.
      if (text !== shown) console.log(args.watch && shown && !args.json ? `\n${new Date().toLocaleTimeString()}\n${text}` : text);
      shown = text;
      process.exitCode = passed ? 0 : 1;
      if (passed || !args.watch) break;
      let timer: NodeJS.Timeout | undefined;
      const stop = await Promise.race([interrupted.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), WATCH_INTERVAL_MS)))]);
      clearTimeout(timer);
      if (stop) {
        process.exitCode = 130;
        break;
      }
    }
    process.off('SIGINT', onInterrupt);
  },
};
