// Bringing a lab up (or repairing, or growing it) and printing the result: what `up` does,
// and what `node add` does with more nodes asked for.
import { setMaxListeners } from 'node:events';
import { currentEndpoint } from '../engine/current-endpoint.js';
import type { EngineTarget } from '../engine/engine.js';
import type { Launch } from '../engine/launch.js';
import type { UpRequest } from '../steps/up-context.js';
import type { ResolvedLab } from './lab-options.js';

export interface UpOptions {
  timeoutSeconds: number;
  keepOnFailure: boolean;
  noSwarm: boolean;
  mode?: 'privileged' | 'capabilities';
  /** `up --use-context`. */
  useContext?: boolean;
  /** The engine to bring the lab up on (a class's); this process's, as the environment names it, when not given. */
  engine?: EngineTarget;
}

/**
 * Brings the lab up and says how it is. `say`: where its lines go instead of stdout (a lab
 * that a class brings up in its own process, its lines kept in the student's log).
 */
export async function upLab(resolved: ResolvedLab, options: UpOptions, say?: (line: string) => void): Promise<void> {
  const [{ composeProjectOf }, { DockerEngine }, { ApiLaunch }] = await Promise.all([
    import('../plan/topology.js'),
    import('../engine/docker-engine.js'),
    import('../lab/api-launch.js'),
  ]);
  const { spec, paths, chosen, nameOf } = resolved;
  const abort = new AbortController();
  // Every node's wait listens to it: 51 nodes are 51 listeners, none of them a leak.
  setMaxListeners(0, abort.signal);
  const { client: engine, endpoint } = options.engine ?? { client: new DockerEngine(), endpoint: currentEndpoint() };
  // Compose (launcher: compose) starts loading now, beside the checks, and waits for its file:
  // nothing is made before the checks pass. The Engine API needs no such head start.
  const started: Promise<Launch> =
    spec.launcher === 'compose'
      ? import('../compose/compose-client.js').then(({ startComposeUp }) => startComposeUp(composeProjectOf(spec.name), paths.stateDir, endpoint))
      : Promise.resolve(new ApiLaunch(engine, spec.name));
  const launch = started.then((l) => l.stopOn(abort.signal));
  launch.catch(() => undefined); // a missing compose is reported where the containers start
  try {
    const [{ bringUp }, { printLab }, { trace }, { splitRepairs }] = await Promise.all([
      import('../steps/bring-up.js'),
      import('./print-lab.js'),
      import('../trace.js'),
      import('../steps/preflight.js'),
    ]);
    const show = say ?? ((text: string) => console.log(text));
    const request: UpRequest = {
      spec,
      choices: { chosen, nameOf, mode: options.mode },
      paths,
      engine,
      endpoint,
      timeouts: { daemonMs: options.timeoutSeconds * 1000, readyMs: options.timeoutSeconds * 1000 },
      abort,
      launch,
      noSwarm: options.noSwarm,
      useContext: options.useContext ?? false,
    };
    const made = await bringUp(request, { keepOnFailure: options.keepOnFailure, output: say });
    await printLab(engine, spec.name, options.noSwarm ? undefined : made.nodes, show);
    if (options.noSwarm)
      show('No swarm was formed (--no-swarm): form it by hand, e.g. swarmlab docker swarm init, then join the workers; swarmlab up joins them for you.');
    const { added, repaired } = splitRepairs(made.repairs);
    if (added.length > 0) show(`Added: ${added.join(', ')}.`);
    if (repaired.length > 0) show(`Repaired: ${repaired.join('; ')}.`);
    for (const note of [...made.plan.notes, ...made.notes]) show(note);
    trace('up: done');
  } finally {
    // A compose that never got its file (the lab was up, or a check or the lock refused) must not outlive us.
    launch.then(
      (l) => l.cancel(),
      () => undefined,
    );
  }
}
