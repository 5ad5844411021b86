import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface LogsArgs extends LabArgs {
  node: string;
  tail: number;
  bundle?: string;
}

export const logsCommand: CommandModule<object, LogsArgs> = {
  command: 'logs [node]',
  describe: "Show a node's daemon log, or write every log and the swarm's state to one archive (--bundle)",
  builder: (y) =>
    withLabOptions(y)
      .positional('node', { type: 'string', default: 'manager', describe: 'Node name (manager, worker01, ...) or registry' })
      .option('tail', { type: 'number', default: 200, describe: 'Lines from the end' })
      .option('bundle', { type: 'string', describe: 'Write a .tar.gz for a bug report to this file instead' }),
  async handler(args) {
    const [{ openLab }, { readInventory }, { redactTokens }, { LabError }] = await Promise.all([
      import('../open-lab.js'),
      import('../../lab/inventory.js'),
      import('../../swarm/secrets.js'),
      import('../../errors.js'),
    ]);
    const { spec, paths, engine } = await openLab(args);
    if (args.bundle) {
      const { writeFile } = await import('node:fs/promises');
      const { buildBundle } = await import('../../lab/bundle.js');
      const { archive, files } = await buildBundle(engine, spec.name, paths);
      await writeFile(args.bundle, archive);
      console.log(`Wrote ${args.bundle}: ${files.length} files (${files.map((f) => f.split('/').slice(1).join('/')).join(', ')}).`);
      return;
    }
    const inventory = await readInventory(engine, spec.name);
    const container = args.node === 'registry' ? inventory.registry : inventory.nodes.get(args.node);
    if (!container) {
      const names = [...inventory.nodes.keys(), ...(inventory.registry ? ['registry'] : [])].sort();
      if (names.length === 0) throw new LabError(`lab "${spec.name}" has no containers`, { fix: `swarmlab up --name ${spec.name}` });
      throw new LabError(`lab "${spec.name}" has no node "${args.node}"`, { fix: `use one of ${names.join(', ')}` });
    }
    process.stdout.write(redactTokens(await engine.logTail(container.id, args.tail)));
  },
};
