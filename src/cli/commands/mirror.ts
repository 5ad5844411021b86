// `swarmlab mirror up|down|status`: one pull-through registry per engine, shared by every lab
// started with `mirror: true` (or `up --mirror`), so a room pulling one image fetches it once.
import type { CommandModule } from 'yargs';
import { SpecError } from '../../errors.js';

interface UpArgs {
  upstream?: string;
  image?: string;
  network?: string;
}

interface DownArgs {
  purge: boolean;
}

interface StatusArgs {
  json: boolean;
}

const upCommand: CommandModule<object, UpArgs> = {
  command: 'up',
  describe: 'Start the pull-through mirror on this engine (once; labs with --mirror use it)',
  builder: (y) =>
    y
      .option('upstream', { type: 'string', describe: 'The registry it proxies (default https://registry-1.docker.io)' })
      .option('image', { type: 'string', describe: 'Registry image (default: env SWARMLAB_REGISTRY_IMAGE, else registry:2)' })
      .option('network', { type: 'string', describe: "A network of the engine through which upstream is reached (default: the engine's bridge)" }),
  async handler(args) {
    const [{ DockerEngine }, { mirrorUp }, { DEFAULT_UPSTREAM, upstreamProblem }, { defaultSpec }] = await Promise.all([
      import('../../engine/docker-engine.js'),
      import('../../mirror/mirror.js'),
      import('../../plan/mirror-plan.js'),
      import('../../spec/defaults.js'),
    ]);
    const upstream = args.upstream ?? DEFAULT_UPSTREAM;
    const problem = upstreamProblem(upstream);
    if (problem) throw new SpecError([{ field: '--upstream', problem, fix: 'give a registry URL, e.g. --upstream https://registry-1.docker.io' }]);
    const engine = new DockerEngine();
    await engine.info();
    const image = args.image ?? defaultSpec(process.env).registryImage;
    const up = await mirrorUp(engine, { image, upstream, network: args.network, upstreamChosen: args.upstream !== undefined }, (line) => console.log(line));
    console.log(`${up.created ? 'Mirror up' : 'Mirror already up'}: proxies ${up.upstream}.`);
    if (up.joined.length > 0) console.log(`Joined the labs that use it: ${up.joined.join(', ')}.`);
    console.log('Labs started with --mirror (or mirror: true in swarmlab.yaml) pull Docker Hub images through it. See: swarmlab mirror status');
  },
};

const downCommand: CommandModule<object, DownArgs> = {
  command: 'down',
  describe: 'Remove the mirror (its cached images stay in a volume unless --purge)',
  builder: (y) => y.option('purge', { type: 'boolean', default: false, describe: 'Also delete its cache (the volume swarmlab-mirror-data)' }),
  async handler(args) {
    const [{ DockerEngine }, { mirrorDown }] = await Promise.all([import('../../engine/docker-engine.js'), import('../../mirror/mirror.js')]);
    const engine = new DockerEngine();
    await engine.info();
    const down = await mirrorDown(engine, { purge: args.purge });
    if (!down.removed) console.log('No mirror runs on this engine.');
    else
      console.log(
        `Mirror removed${down.volumeRemoved ? ', and its cache' : '; its cache stays in the volume swarmlab-mirror-data (--purge deletes it)'}. Labs using it pull from upstream directly.`,
      );
    if (!down.removed && down.volumeRemoved) console.log('Its cache was deleted.');
  },
};

const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: "The mirror's state, upstream, labs, hits and misses, and cache size",
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'Print JSON' }),
  async handler(args) {
    const [{ DockerEngine }, { mirrorStatus }, { formatMirrorStatus }] = await Promise.all([
      import('../../engine/docker-engine.js'),
      import('../../mirror/mirror.js'),
      import('../print-mirror.js'),
    ]);
    const engine = new DockerEngine();
    await engine.info();
    const status = await mirrorStatus(engine);
    console.log(args.json ? JSON.stringify(status, null, 2) : formatMirrorStatus(status));
  },
};

export const mirrorCommand: CommandModule = {
  command: 'mirror <command>',
  describe: 'A pull-through mirror of Docker Hub on this engine, shared by every lab started with --mirror',
  builder: (y) => y.command(upCommand).command(downCommand).command(statusCommand).demandCommand(1, 'name a mirror command'),
  handler: () => undefined,
};
