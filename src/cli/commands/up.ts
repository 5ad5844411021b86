import type { CommandModule } from 'yargs';
import { type SpecArgs, withSpecOptions } from '../lab-options.js';

interface UpArgs extends SpecArgs {
  'keep-on-failure': boolean;
  'no-swarm'?: boolean;
  swarm: boolean;
  timeout: number;
  mode?: 'privileged' | 'capabilities';
  'use-context': boolean;
}

export const upCommand: CommandModule<object, UpArgs> = {
  command: 'up',
  describe: 'Bring a lab up: registry, managers, workers, swarm formed, every node Ready',
  builder: (y) =>
    withSpecOptions(y)
      .option('keep-on-failure', { type: 'boolean', default: false, describe: 'Leave the containers of a failed first up for inspection' })
      .option('timeout', { type: 'number', default: 90, describe: 'Seconds to wait for each daemon, and for all nodes to be Ready' })
      .option('swarm', { type: 'boolean', default: true, describe: 'Form the swarm; --no-swarm leaves the nodes outside any swarm, to form it by hand' })
      .option('launcher', { choices: ['api', 'compose'] as const, describe: 'How the containers are made: the Engine API (default) or compose (v2, else v1)' })
      .option('mirror', { type: 'boolean', describe: "Every node pulls Docker Hub images through this engine's shared mirror (swarmlab mirror up)" })
      .option('runtime', {
        type: 'string',
        describe: 'Run the nodes unprivileged under this engine runtime: sysbox-runc, where Sysbox is installed (swarmlab doctor says)',
      })
      .option('use-context', {
        type: 'boolean',
        default: false,
        describe: "Make the lab's docker context (swarmlab-<name>) the docker CLI's current one",
      })
      .option('mode', {
        choices: ['privileged', 'capabilities'] as const,
        describe: 'How nodes run, instead of probing the engine (swarmlab doctor probes afresh)',
      }),
  async handler(args) {
    const [{ resolveLab }, { upLab }] = await Promise.all([import('../lab-options.js'), import('../up-lab.js')]);
    await upLab(await resolveLab(args), {
      timeoutSeconds: args.timeout,
      keepOnFailure: args['keep-on-failure'],
      noSwarm: !args.swarm,
      mode: args.mode,
      useContext: args['use-context'],
    });
  },
};
