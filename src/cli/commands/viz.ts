import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface VizArgs extends LabArgs {
  once: boolean;
  stack?: string;
  web: boolean;
  port: number;
}

const REFRESH_MS = 1000;

export const vizCommand: CommandModule<object, VizArgs> = {
  command: 'viz',
  describe: 'See the swarm: a column per node with its tasks, the leader and the quorum, refreshed every second',
  builder: (y) =>
    withLabOptions(y)
      .option('once', { type: 'boolean', default: false, describe: 'Print one frame and exit (for scripts, and off a terminal)' })
      .option('stack', { type: 'string', describe: "Only this stack's services" })
      .option('web', {
        type: 'boolean',
        default: false,
        describe: 'Serve the view as a live page on 127.0.0.1 instead (drained nodes greyed, a running-only toggle, a stack filter, networks per service)',
      })
      .option('port', { type: 'number', default: 8090, describe: 'Port of the page, with --web' }),
  async handler(args) {
    const [{ openLabRunning }, { readInventory }, { takeSnapshot }] = await Promise.all([
      import('../open-lab.js'),
      import('../../lab/inventory.js'),
      import('../../swarm/snapshot.js'),
    ]);
    const { spec, engine } = await openLabRunning(args, { swarm: false });
    // The lab's containers are read for every picture: a manager killed meanwhile is skipped.
    const picture = async () => takeSnapshot(engine, (await readInventory(engine, spec.name)).containers);
    if (args.web) {
      let stop = () => {};
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      // `on`, not `once`: a signal hook (execa's) re-raises a SIGINT that finds no other listener left.
      process.on('SIGINT', stop);
      const [{ serveLivePage }, { vizModel }, { TEMPLATES_DIR }, path, { SwarmFeed }] = await Promise.all([
        import('../live-page.js'),
        import('../../viz/model.js'),
        import('../../lab/paths.js'),
        import('node:path'),
        import('../../viz/feed.js'),
      ]);
      // The feed is kept here, from every picture taken, so that a page opened late sees it too;
      // states written as the page's badges write them (Ready, Drain).
      const feed = new SwarmFeed(50, (value) => (value ? value[0]!.toUpperCase() + value.slice(1) : value));
      try {
        await serveLivePage({
          pageFile: path.join(TEMPLATES_DIR, 'viz', 'index.html'),
          host: '127.0.0.1',
          port: args.port,
          portFlag: 'swarmlab viz --web --port',
          produce: async () => {
            const snapshot = await picture();
            feed.add(snapshot, new Date().toTimeString().slice(0, 8));
            return vizModel(snapshot, spec.name, feed.lines);
          },
          stop: stopped,
          say: (url) => console.log(`Serving the swarm of lab "${spec.name}" on ${url} (Ctrl-C stops)`),
        });
      } finally {
        process.off('SIGINT', stop);
      }
      process.exitCode = 130;
      return;
    }
    const [{ renderFrame }, { SwarmFeed }, { default: chalk }, { repeatRounds }] = await Promise.all([
      import('../../viz/frame.js'),
      import('../../viz/feed.js'),
      import('chalk'),
      import('../repeat.js'),
    ]);
    const live = !args.once && Boolean(process.stdout.isTTY);
    const feed = new SwarmFeed();
    let shown = '';
    await repeatRounds({ watch: !args.once, intervalMs: REFRESH_MS }, async () => {
      const snapshot = await picture();
      const time = new Date().toTimeString().slice(0, 8);
      feed.add(snapshot, time);
      const frame = renderFrame(snapshot, {
        lab: spec.name,
        time,
        width: process.stdout.columns ?? 120,
        stack: args.stack,
        feed: feed.lines,
        colour: chalk.level > 0,
      });
      if (live) process.stdout.write(`\x1b[H\x1b[2J${frame}\n`);
      // Off a terminal, a frame is printed when the swarm changes, not every second.
      else if (frame.replace(time, '') !== shown) console.log(`${shown ? '\n' : ''}${frame}`);
      shown = frame.replace(time, '');
      return false;
    });
  },
};
