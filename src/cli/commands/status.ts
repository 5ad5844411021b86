import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface StatusArgs extends LabArgs {
  json: boolean;
}

export const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: "Show each node's role, state, availability and manager status; exit 1 when the lab is not up",
  builder: (y) => withLabOptions(y).option('json', { type: 'boolean', default: false, describe: 'Print JSON' }),
  async handler(args) {
    const [{ resolveLab }, { DockerEngine }, { readStatus }, { formatStatus }] = await Promise.all([
      import('../lab-options.js'),
      import('../../engine/docker-engine.js'),
      import('../../lab/status.js'),
      import('../print-lab.js'),
    ]);
    const { spec } = await resolveLab(args);
    const engine = new DockerEngine();
    await engine.info();
    const status = await readStatus(engine, spec.name);
    console.log(args.json ? JSON.stringify(status, null, 2) : formatStatus(status));
    if (!status.up) process.exitCode = 1;
  },
};
