import type { CommandModule } from 'yargs';
import { type SpecArgs, withSpecOptions } from '../lab-options.js';

interface RenderArgs extends SpecArgs {
  mode: 'privileged' | 'capabilities';
  'compose-v1': boolean;
}

export const renderCommand: CommandModule<object, RenderArgs> = {
  command: 'render',
  describe: 'Print the compose file a lab is made of (no engine needed)',
  builder: (y) =>
    withSpecOptions(y)
      .option('mode', {
        choices: ['privileged', 'capabilities'] as const,
        default: 'privileged' as const,
        describe: 'Node mode to render (up picks it by probing the engine)',
      })
      .option('compose-v1', {
        type: 'boolean',
        default: false,
        describe: "For docker-compose v1, which refuses the cgroup key: nodes then get the daemon's default cgroup namespace",
      })
      .option('runtime', { type: 'string', describe: 'Render nodes unprivileged under this engine runtime (sysbox-runc); --mode then does not apply' }),
  async handler(args) {
    const { resolveLab } = await import('../lab-options.js');
    const { renderLab } = await import('../../lab/render-lab.js');
    const { hostUnavailableCapabilities } = await import('../../lab/node-security.js');
    const { spec, paths } = await resolveLab(args);
    const security =
      spec.runtime !== undefined
        ? ({ mode: 'runtime', runtime: spec.runtime } as const)
        : args.mode === 'privileged'
          ? ({ mode: 'privileged' } as const)
          : ({ mode: 'capabilities', unavailableCapabilities: await hostUnavailableCapabilities() } as const);
    const { planTopology } = await import('../../plan/topology.js');
    const rendered = await renderLab(planTopology(spec), paths, security);
    process.stdout.write(args['compose-v1'] ? rendered.composeTextV1 : rendered.composeText);
  },
};
