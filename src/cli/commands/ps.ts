import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface PsArgs extends LabArgs {
  target?: string;
  json: boolean;
}

export const psCommand: CommandModule<object, PsArgs> = {
  command: 'ps [target]',
  describe: 'Tasks of every service, or of one service or stack, grouped by node name',
  builder: (y) =>
    withLabOptions(y)
      .positional('target', { type: 'string', describe: 'A service or a stack name' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }),
  async handler(args) {
    const [{ openLabRunning }, tasks, { formatTasks }] = await Promise.all([
      import('../open-lab.js'),
      import('../../swarm/tasks.js'),
      import('../print-tasks.js'),
    ]);
    const { spec, engine, running } = await openLabRunning(args, { swarm: true });
    const { manager } = running;
    let services = await tasks.allServices(engine, manager);
    if (args.target) {
      const ofStack = await tasks.servicesOfStack(engine, manager, args.target);
      services = ofStack.length > 0 ? ofStack : services.filter((s) => s === args.target);
      if (services.length === 0) {
        const { LabError } = await import('../../errors.js');
        throw new LabError(`no service or stack named "${args.target}" in lab "${spec.name}"`, {
          fix: `swarmlab docker service ls, or swarmlab docker stack ls`,
        });
      }
    }
    const list = await tasks.listTasks(engine, manager, services);
    if (args.json) {
      console.log(JSON.stringify({ nodes: Object.fromEntries(tasks.groupByNode(list)), tasks: list }, null, 2));
    } else {
      console.log(formatTasks(tasks.groupByNode(list)));
    }
  },
};
