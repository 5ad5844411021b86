import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface StartArgs extends LabArgs {
  timeout: number;
}

export const stopCommand: CommandModule<object, LabArgs> = {
  command: 'stop',
  describe: 'Stop every container of the lab; the swarm, the node volumes and registry-data/ are kept',
  builder: (y) => withLabOptions(y),
  async handler(args) {
    const [{ openLab }, { stopLab }] = await Promise.all([import('../open-lab.js'), import('../../lab/start-stop.js')]);
    const { spec, engine } = await openLab(args);
    const stopped = await stopLab(engine, spec.name, 10);
    console.log(
      stopped === 0
        ? `Lab "${spec.name}" has no running containers.`
        : `Lab "${spec.name}" stopped (${stopped} containers). Bring it back with swarmlab start.`,
    );
  },
};

export const startCommand: CommandModule<object, StartArgs> = {
  command: 'start',
  describe: 'Start a stopped lab and wait until every node is Ready again',
  builder: (y) => withLabOptions(y).option('timeout', { type: 'number', default: 90, describe: 'Seconds to wait for every node to be Ready' }),
  async handler(args) {
    const [{ openLab }, { startLab }, { printLab }, { runActions }] = await Promise.all([
      import('../open-lab.js'),
      import('../../lab/start-stop.js'),
      import('../print-lab.js'),
      import('../../steps/action.js'),
    ]);
    const { spec, engine } = await openLab(args);
    let nodes: Awaited<ReturnType<typeof startLab>> = [];
    const title = `Start lab "${spec.name}" and wait until every node is Ready`;
    await runActions(
      [
        {
          title,
          async run(_c: object, report) {
            nodes = await startLab(engine, spec.name, args.timeout * 1000, report);
          },
        },
      ],
      {},
    );
    await printLab(engine, spec.name, nodes);
  },
};
