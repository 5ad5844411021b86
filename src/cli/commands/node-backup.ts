// `swarmlab node backup|restore NODE FILE`: a node's swarm directory out to a file and back
// (src/lab/swarm-backup.ts says why these exist beside docker cp).
import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface FileArgs extends LabArgs {
  node: string;
  file: string;
}

function fileCommand(verb: 'backup' | 'restore'): CommandModule<object, FileArgs> {
  return {
    command: `${verb} <node> <file>`,
    describe:
      verb === 'backup'
        ? "Copy a node's /var/lib/docker/swarm (Raft log, keys) to FILE, a tar, with the node stopped for the copy, then start it again"
        : 'Unpack a backup into the /var/lib/docker/swarm of a node in no swarm (stopped for it), and start it: then swarm init --force-new-cluster',
    builder: (y) =>
      withLabOptions(y)
        .positional('node', { type: 'string', demandOption: true, describe: 'e.g. manager' })
        .positional('file', { type: 'string', demandOption: true, describe: 'e.g. manager-swarm.tar' }),
    async handler(args) {
      const [{ resolveLab }, { DockerEngine }, { openRunningLab }, { backupSwarm, restoreSwarm }] = await Promise.all([
        import('../lab-options.js'),
        import('../../engine/docker-engine.js'),
        import('../running.js'),
        import('../../lab/swarm-backup.js'),
      ]);
      const { spec } = await resolveLab(args);
      const engine = new DockerEngine();
      const running = await openRunningLab(engine, spec.name, { swarm: false });
      const say = (line: string) => console.log(line);
      await (verb === 'backup' ? backupSwarm : restoreSwarm)(engine, running, spec.name, args.node, args.file, say);
    },
  };
}

export const backupCommand = fileCommand('backup');
export const restoreCommand = fileCommand('restore');
