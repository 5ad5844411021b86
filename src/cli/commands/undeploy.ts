import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface UndeployArgs extends LabArgs {
  stack: string;
  timeout: number;
}

export const undeployCommand: CommandModule<object, UndeployArgs> = {
  command: 'undeploy <stack>',
  describe: 'Remove a stack from the lab and wait until its services are gone',
  builder: (y) =>
    withLabOptions(y)
      .positional('stack', { type: 'string', demandOption: true, describe: 'Stack name' })
      .option('timeout', { type: 'number', default: 60, describe: 'Seconds to wait for the removal' }),
  async handler(args) {
    const [{ openLabRunning }, { removeStack }] = await Promise.all([import('../open-lab.js'), import('../../stacks/deploy.js')]);
    const { spec, engine, running: lab } = await openLabRunning(args, { swarm: true });
    const removed = await removeStack(engine, lab, args.stack, args.timeout * 1000);
    console.log(removed ? `Stack "${args.stack}" removed from lab "${spec.name}".` : `Lab "${spec.name}" has no stack "${args.stack}": nothing to remove.`);
  },
};
