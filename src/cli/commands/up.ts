import type { CommandModule } from 'yargs';
import type { UpContext } from '../../steps/up.js';
import { withSpecOptions, type SpecArgs } from '../lab-options.js';

interface UpArgs extends SpecArgs {
  'keep-on-failure': boolean;
  'no-swarm'?: boolean;
  swarm: boolean;
  timeout: number;
}

export const upCommand: CommandModule<object, UpArgs> = {
  command: 'up',
  describe: 'Bring a lab up: registry, managers, workers, swarm formed, every node Ready',
  builder: (y) =>
    withSpecOptions(y)
      .option('keep-on-failure', { type: 'boolean', default: false, describe: 'Leave the containers of a failed first up for inspection' })
      .option('timeout', { type: 'number', default: 90, describe: 'Seconds to wait for each daemon, and for all nodes to be Ready' })
      .option('swarm', { type: 'boolean', default: true, describe: 'Form the swarm; --no-swarm leaves the nodes outside any swarm, to form it by hand' }),
  async handler(args) {
    const [{ resolveLab }, { planTopology }, { startComposeUp }, { takeEarlyCompose }] = await Promise.all([
      import('../lab-options.js'),
      import('../../plan/topology.js'),
      import('../../compose/compose-client.js'),
      import('../early-compose.js'),
    ]);
    const { spec, paths, chosen, nameOf } = await resolveLab(args);
    const topology = planTopology(spec);
    const abort = new AbortController();
    // Compose loads beside the heavy modules below and the engine checks, started by bin/ (see
    // early-compose.ts) or now; it waits for its file, so nothing is made before the checks pass.
    const started = takeEarlyCompose(topology.project, paths.stateDir) ?? startComposeUp(topology.project, paths.stateDir);
    const composeUp = started.then((compose) => compose.stopOn(abort.signal));
    composeUp.catch(() => undefined); // a missing compose is reported where the containers start
    try {
      const [{ DockerEngine }, { bringUp }, { printLab }, { trace }] = await Promise.all([
        import('../../engine/docker-engine.js'),
        import('../../steps/bring-up.js'),
        import('../print-lab.js'),
        import('../../trace.js'),
      ]);
      const timeoutMs = args.timeout * 1000;
      const timeouts = { daemonMs: timeoutMs, readyMs: timeoutMs };
      const noSwarm = !args.swarm;
      const ctx: UpContext = { spec, chosen, nameOf, notes: [], topology, paths, engine: new DockerEngine(), timeouts, abort, composeUp, repairs: [], noSwarm };
      await bringUp(ctx, { keepOnFailure: args['keep-on-failure'] });
      await printLab(ctx.engine, spec.name, noSwarm ? undefined : ctx.nodes);
      if (noSwarm) console.log('No swarm was formed (--no-swarm): form it by hand, e.g. swarmlab docker swarm init, then join the workers; swarmlab up joins them for you.');
      if (ctx.repairs.length > 0) console.log(`Repaired: ${ctx.repairs.join('; ')}.`);
      for (const note of ctx.notes) console.log(note);
      trace('up: done');
    } finally {
      // A compose that never got its file (the lab was up, or a check or the lock refused) must not outlive us.
      composeUp.then((compose) => compose.cancel(), () => undefined);
    }
  },
};
