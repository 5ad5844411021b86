import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface StatusArgs extends LabArgs {
  json: boolean;
}

export const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe:
    "Show each node's role, state, availability and manager status; exit 0 when up, 3 when degraded (a part down, or a leader election under way), 1 when down",
  builder: (y) => withLabOptions(y).option('json', { type: 'boolean', default: false, describe: 'Print JSON' }),
  async handler(args) {
    const [{ openLab }, { readStatus, HEALTH_EXIT_CODE }, { formatStatus }] = await Promise.all([
      import('../open-lab.js'),
      import('../../lab/status.js'),
      import('../print-lab.js'),
    ]);
    const { spec, engine } = await openLab(args);
    const status = await readStatus(engine, spec.name);
    console.log(args.json ? JSON.stringify(status, null, 2) : formatStatus(status));
    process.exitCode = HEALTH_EXIT_CODE[status.health];
  },
};
