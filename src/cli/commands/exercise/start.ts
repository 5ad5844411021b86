import type { CommandModule } from 'yargs';
import { withExerciseId, type ExerciseArgs } from '../../exercise-options.js';

export const startCommand: CommandModule<object, ExerciseArgs> = {
  command: 'start <id>',
  describe: 'Bring the lab to the shape the exercise needs, write its starter files, run its setup, make it current',
  builder: (y) => withExerciseId(y, true),
  async handler(args) {
    const [session, { DockerEngine }, { requireRunningLab }, prepare, { runSteps }, { recordStart }, { formatExercise }] = await Promise.all([
      import('../../exercise-session.js'),
      import('../../../engine/docker-engine.js'),
      import('../../../lab/running-lab.js'),
      import('../../../exercise/prepare-lab.js'),
      import('../../../exercise/run-steps.js'),
      import('../../../exercise/progress.js'),
      import('../../print-exercise.js'),
    ]);
    const s = await session.openSession(args);
    const source = await session.chooseExercise(s, args.id);
    const { exercise } = source;
    const engine = new DockerEngine();
    await engine.info();
    const say = (line: string) => console.log(line);
    const lab = s.lab.spec.name;
    const resetHint = exercise.reset.length > 0 ? `swarmlab exercise reset ${exercise.id}` : `swarmlab down --name ${lab}`;
    const target = session.stepTarget(s, engine, () => requireRunningLab(engine, lab));
    await runSteps('start', await prepare.stepsToShape(engine, lab, exercise, resetHint), {}, target, { facts: { ipvs: true }, say });
    const { exerciseLab, values } = await session.labAtHand(s, source, engine);
    for (const line of await prepare.writeStarterFiles(s.lab.paths.dir, exercise, values)) say(line);
    await runSteps('setup', exercise.setup, values, target, { facts: { ipvs: exerciseLab.ipvs }, say });
    await s.saveProgress((p) => recordStart(p, exercise.id, new Date()));
    say('');
    say(formatExercise(source, values, { started: true }));
    say('');
    say(`Exercise ${exercise.id} started in lab "${lab}". When you are done: swarmlab exercise check`);
  },
};
