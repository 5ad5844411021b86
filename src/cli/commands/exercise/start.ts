import type { CommandModule } from 'yargs';
import { type ExerciseArgs, withExerciseId } from '../../exercise-options.js';

export const startCommand: CommandModule<object, ExerciseArgs> = {
  command: 'start <id>',
  describe: 'Bring the lab to the shape the exercise needs, write its starter files, run its setup, make it current',
  builder: (y) => withExerciseId(y, true),
  async handler(args) {
    const [{ openExercise, inRunningLab, stepTarget }, { DockerEngine }, { openRunningLab }, prepare, { runSteps }, { recordStart }, { formatExercise }] =
      await Promise.all([
        import('../../exercise-session.js'),
        import('../../../engine/docker-engine.js'),
        import('../../running.js'),
        import('../../../exercise/prepare-lab.js'),
        import('../../../exercise/run-steps.js'),
        import('../../../exercise/progress.js'),
        import('../../print-exercise.js'),
      ]);
    const { session, source } = await openExercise(args);
    const { exercise } = source;
    const engine = new DockerEngine();
    await engine.info();
    const say = (line: string) => console.log(line);
    const lab = session.lab.spec.name;
    const resetHint = exercise.reset.length > 0 ? `swarmlab exercise reset ${exercise.id}` : `swarmlab down --name ${lab}`;
    const toShape = await prepare.stepsToShape(engine, lab, exercise, resetHint);
    await runSteps(
      'start',
      toShape,
      {},
      stepTarget(session, engine, () => openRunningLab(engine, lab, { swarm: false })),
      { facts: { ipvs: true }, say },
    );
    const { exerciseLab, values, target } = await inRunningLab(session, source, engine);
    // Said, not done quietly: the student's stack differs from the book's on such a host.
    if (!exerciseLab.ipvs)
      say(
        "This host's kernel has no IPVS loaded: the exercise's files publish ports in host mode with DNS round robin (no routing mesh). swarmlab doctor says whether it can be loaded.",
      );
    for (const line of await prepare.writeStarterFiles(session.lab.paths.dir, exercise, values)) say(line);
    await runSteps('setup', exercise.setup, values, target, { facts: { ipvs: exerciseLab.ipvs }, say });
    await session.saveProgress((p) => recordStart(p, exercise.id, new Date()));
    say('');
    say(formatExercise(source, values, { started: true }));
    say('');
    say(`Exercise ${exercise.id} started in lab "${lab}". When you are done: swarmlab exercise check`);
  },
};
