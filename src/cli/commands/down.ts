import type { CommandModule } from 'yargs';
import { count } from '../../count.js';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface DownArgs extends LabArgs {
  purge: boolean;
}

export const downCommand: CommandModule<object, DownArgs> = {
  command: 'down',
  describe: "Remove the lab's containers, network and node volumes (registry-data/ stays unless --purge)",
  builder: (y) =>
    withLabOptions(y).option('purge', { type: 'boolean', default: false, describe: "Also empty registry-data/ and remove the lab's state folder" }),
  async handler(args) {
    const [{ openLab }, { removeLab }, { contextName }] = await Promise.all([
      import('../open-lab.js'),
      import('../../lab/remove.js'),
      import('../../lab/docker-context.js'),
    ]);
    const { spec, paths, engine } = await openLab(args);
    const removed = await removeLab(engine, spec.name, { purge: args.purge, paths });
    const what = `${count(removed.containers, 'container')}, ${count(removed.networks, 'network')}, ${count(removed.volumes, 'volume')}`;
    console.log(
      removed.containers + removed.networks + removed.volumes === 0 ? `Lab "${spec.name}" had nothing to remove.` : `Lab "${spec.name}" removed: ${what}.`,
    );
    if (removed.context === 'removed') console.log(`Removed the docker context ${contextName(spec.name)}.`);
    if (removed.context === 'foreign') console.log(`Left the docker context ${contextName(spec.name)} alone: swarmlab did not make it.`);
    if (removed.purged.length > 0) console.log(`Purged: emptied ${removed.purged[0]}, removed ${removed.purged[1]}`);
    else console.log(`Kept: ${paths.registryDataDir} (pushed images) and ${paths.stackDir}.`);
  },
};
