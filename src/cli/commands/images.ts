// `swarmlab images pack|load`: the images a class needs, carried on a USB stick.
import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface PackArgs extends LabArgs {
  file: string;
  course: boolean;
  image?: string[];
}

interface LoadArgs {
  file: string;
}

const packCommand: CommandModule<object, PackArgs> = {
  command: 'pack <file>',
  describe: "Write one file holding the lab's node and registry images (and, with --course, every image the built-in course uses), with checksums",
  builder: (y) =>
    withLabOptions(y)
      .positional('file', { type: 'string', demandOption: true, describe: 'The pack to write, e.g. swarmlab-images.tar' })
      .option('course', { type: 'boolean', default: false, describe: 'Also every image the built-in course uses (as swarmlab.yaml images: maps them)' })
      .option('image', { type: 'string', array: true, describe: 'Also this image (repeatable)' }),
  async handler(args) {
    const [{ resolveLab }, { DockerEngine }, { packImages }, { loadCatalog }, { runActions }, { requireImageReferences }, { formatPackSummary }] =
      await Promise.all([
        import('../lab-options.js'),
        import('../../engine/docker-engine.js'),
        import('../../images/pack.js'),
        import('../../exercise/catalog.js'),
        import('../../steps/action.js'),
        import('../arguments.js'),
        import('../print-images.js'),
      ]);
    requireImageReferences(args.image ?? [], '--image');
    const { spec } = await resolveLab(args);
    const course = args.course ? (await loadCatalog(args.dir)).exercises.filter((e) => e.origin === 'course').flatMap((e) => e.exercise.images) : [];
    const refs = [...new Set([spec.nodeImage, spec.registryImage, ...course.map((name) => spec.images[name]!).filter(Boolean), ...(args.image ?? [])])];
    const engine = new DockerEngine();
    await engine.info();
    let manifest: Awaited<ReturnType<typeof packImages>> | undefined;
    await runActions(
      [
        {
          title: `Pack ${refs.length} images into ${args.file}`,
          run: async (_c: object, report: (s: string) => void) => {
            manifest = await packImages(engine, refs, args.file, report);
          },
        },
      ],
      {},
    );
    console.log(formatPackSummary(manifest!.images));
    console.log(`Wrote ${args.file}: ${manifest!.images.length} images. On the other machine: swarmlab images load ${args.file}`);
  },
};

const loadCommand: CommandModule<object, LoadArgs> = {
  command: 'load <file>',
  describe: 'Check every checksum of a pack, then load its images into the engine',
  builder: (y) => y.positional('file', { type: 'string', demandOption: true, describe: 'A pack written by swarmlab images pack' }),
  async handler(args) {
    const [{ DockerEngine }, { loadPack }, { runActions }] = await Promise.all([
      import('../../engine/docker-engine.js'),
      import('../../images/pack.js'),
      import('../../steps/action.js'),
    ]);
    const engine = new DockerEngine();
    await engine.info();
    let loaded: Awaited<ReturnType<typeof loadPack>> = [];
    await runActions(
      [
        {
          title: `Check and load ${args.file}`,
          run: async (_c: object, report: (s: string) => void) => {
            loaded = await loadPack(engine, args.file, report);
          },
        },
      ],
      {},
    );
    for (const image of loaded) console.log(`loaded ${image.ref}  ${image.id.slice(0, 19)}`);
    console.log(`Loaded ${loaded.length} images from ${args.file}; every checksum matched.`);
  },
};

export const imagesCommand: CommandModule = {
  command: 'images <command>',
  describe: 'Offline image packs: pack the images a class needs into one file, load them where no registry is in reach',
  builder: (y) => y.command(packCommand).command(loadCommand).demandCommand(1, 'name an images command'),
  handler: () => undefined,
};
