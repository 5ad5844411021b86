// Bringing a lab up (or repairing, or growing it) and printing the result: what `up` does,
// and what `node add` does with more nodes asked for.
import type { UpContext } from '../steps/up.js';
import type { ResolvedLab } from './lab-options.js';

export interface UpOptions {
  timeoutSeconds: number;
  keepOnFailure: boolean;
  noSwarm: boolean;
  mode?: 'privileged' | 'capabilities';
}

export async function upLab(resolved: ResolvedLab, options: UpOptions): Promise<void> {
  const [{ planTopology }, { startComposeUp }, { takeEarlyCompose }] = await Promise.all([
    import('../plan/topology.js'),
    import('../compose/compose-client.js'),
    import('./early-compose.js'),
  ]);
  const { spec, paths, chosen, nameOf } = resolved;
  const topology = planTopology(spec);
  const abort = new AbortController();
  // Compose loads beside the heavy modules below and the engine checks, started by bin/ (see
  // early-compose.ts) or now; it waits for its file, so nothing is made before the checks pass.
  const started = takeEarlyCompose(topology.project, paths.stateDir) ?? startComposeUp(topology.project, paths.stateDir);
  const composeUp = started.then((compose) => compose.stopOn(abort.signal));
  composeUp.catch(() => undefined); // a missing compose is reported where the containers start
  try {
    const [{ DockerEngine }, { bringUp }, { printLab }, { trace }] = await Promise.all([
      import('../engine/docker-engine.js'),
      import('../steps/bring-up.js'),
      import('./print-lab.js'),
      import('../trace.js'),
    ]);
    const timeouts = { daemonMs: options.timeoutSeconds * 1000, readyMs: options.timeoutSeconds * 1000 };
    const ctx: UpContext = { spec, chosen, nameOf, notes: [], topology, paths, engine: new DockerEngine(), timeouts, abort, composeUp, repairs: [], noSwarm: options.noSwarm, mode: options.mode };
    await bringUp(ctx, { keepOnFailure: options.keepOnFailure });
    await printLab(ctx.engine, spec.name, options.noSwarm ? undefined : ctx.nodes);
    if (options.noSwarm) console.log('No swarm was formed (--no-swarm): form it by hand, e.g. swarmlab docker swarm init, then join the workers; swarmlab up joins them for you.');
    if (ctx.repairs.length > 0) console.log(`Repaired: ${ctx.repairs.join('; ')}.`);
    for (const note of ctx.notes) console.log(note);
    trace('up: done');
  } finally {
    // A compose that never got its file (the lab was up, or a check or the lock refused) must not outlive us.
    composeUp.then((compose) => compose.cancel(), () => undefined);
  }
}
