import type { CommandModule } from 'yargs';

// ls looks at the whole engine, so it takes no --dir or --name.
interface LsArgs {
  json: boolean;
}

export const lsCommand: CommandModule<object, LsArgs> = {
  command: 'ls',
  describe: 'List the labs on this engine with their state and ports',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'Print JSON' }),
  async handler(args) {
    const [{ DockerEngine }, { listLabs }, { table }] = await Promise.all([
      import('../../engine/docker-engine.js'),
      import('../../lab/list-labs.js'),
      import('../output.js'),
    ]);
    const engine = new DockerEngine();
    await engine.info();
    const labs = await listLabs(engine);
    if (args.json) return console.log(JSON.stringify(labs, null, 2));
    if (labs.length === 0) return console.log('No labs on this engine. Make one with swarmlab up.');
    console.log(
      table(
        ['LAB', 'STATE', 'MANAGERS', 'WORKERS', 'REGISTRY', 'PORTS'],
        labs.map((l) => [l.name, l.state, String(l.managers), String(l.workers), l.registry ?? '-', l.ports.join(', ') || '-']),
      ),
    );
  },
};
