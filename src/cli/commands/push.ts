import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface PushArgs extends LabArgs {
  images: string[];
  pull: boolean;
}

export const pushCommand: CommandModule<object, PushArgs> = {
  command: 'push <images..>',
  describe: "Push host images into the lab registry; prints each image's name inside the cluster",
  builder: (y) =>
    withLabOptions(y)
      .positional('images', { type: 'string', array: true, demandOption: true, describe: 'Images on this host, e.g. myapp:1' })
      .option('pull', { type: 'boolean', default: false, describe: 'Then pull each image on every node (warms classrooms on slow links)' }),
  async handler(args) {
    const [{ openLabRunning }, { pushImage, pullOnNodes }, { runActions }, { requireImageReferences }] = await Promise.all([
      import('../open-lab.js'),
      import('../../registry/push.js'),
      import('../../steps/action.js'),
      import('../arguments.js'),
    ]);
    requireImageReferences(args.images, 'IMAGE');
    const { engine, running: lab } = await openLabRunning(args, { swarm: false });
    const results: { cluster: string; line: string }[] = [];
    await runActions(
      args.images.map((image) => ({
        title: `Push ${image}`,
        async run(_ctx: object, report: (status: string) => void) {
          const pushed = await pushImage(engine, lab, image, report);
          const layers = `${pushed.layersPushed} layers pushed, ${pushed.layersPresent} already present`;
          report(layers);
          if (args.pull) {
            report(`pulling ${pushed.cluster} on every node`);
            await pullOnNodes(engine, lab, pushed.cluster);
          }
          results.push({ cluster: pushed.cluster, line: `${image} -> ${pushed.cluster} (${layers}${args.pull ? '; pulled on every node' : ''})` });
        },
      })),
      {},
    );
    for (const r of results) console.log(r.line);
    console.log('Use the names after -> in services and stack files inside the lab.');
  },
};
