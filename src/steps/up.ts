// The steps of `swarmlab up`, in order: the checks of preflight.ts, then images, node mode,
// the compose file, the containers and the swarm. Each step is small and reads or fills the
// shared context.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../errors.js';
import { chooseNodeSecurity } from '../lab/node-security.js';
import { renderLab } from '../lab/render-lab.js';
import { joinLabNetwork, requireMirror } from '../mirror/mirror.js';
import type { LabNode } from '../plan/topology.js';
import { initSwarm, type JoinTokens, joinSwarm, readJoinTokens, waitForDaemon } from '../swarm/bootstrap.js';
import { duplicatedNames, listSwarmNodes, missingOrNotReady, ownNodeId, removeSwarmNode, staleEntries } from '../swarm/nodes.js';
import { trace } from '../trace.js';
import { pollUntil } from '../wait/poll.js';
import type { Action } from './action.js';
import { checkEngine, checkExisting, checkNamesAreFree, reserveAddresses } from './preflight.js';
import { skipWhenUp, skipWithoutSwarm, type UpContext } from './up-context.js';

export type { UpContext } from './up-context.js';

const ensureImages: Action<UpContext> = {
  title: 'Make sure the node and registry images are present',
  skip: skipWhenUp,
  async run(ctx, report) {
    for (const image of new Set([ctx.topology.nodeImage, ctx.topology.registry.image])) {
      if (await ctx.engine.hasImage(image)) continue;
      report(`pulling ${image}`);
      try {
        await ctx.engine.pullImage(image);
      } catch (err) {
        throw new LabError(`image ${image} is not on this engine and cannot be pulled (${(err as Error).message.split('\n')[0]})`, {
          fix: `docker pull ${image}; with no registry in reach, sudo bash scripts/test-host.sh builds local images and eval "$(bash scripts/test-host.sh env)" makes every command use them (SWARMLAB_NODE_IMAGE, SWARMLAB_REGISTRY_IMAGE, SWARMLAB_IMAGE_<NAME>); or choose another with --node-image / --registry-image`,
        });
      }
    }
  },
};

const findMirror: Action<UpContext> = {
  title: "Find the engine's pull-through mirror",
  skip: (ctx) => (ctx.spec.mirror ? false : 'no mirror asked'),
  async run(ctx, report) {
    ctx.mirror = await requireMirror(ctx.engine);
    report('swarmlab-mirror');
  },
};

/** After the containers exist: the mirror joins the lab's network (again, if it was re-made since). */
const joinMirror: Action<UpContext> = {
  title: "Join the mirror to the lab's network",
  skip: (ctx) => (ctx.mirror ? false : 'no mirror asked'),
  async run(ctx, report) {
    const network = (await ctx.engine.networkSubnets()).find((n) => n.name === ctx.topology.network);
    if (!network) throw new LabError(`the lab network ${ctx.topology.network} is gone`, { fix: `swarmlab up again` });
    report((await joinLabNetwork(ctx.engine, ctx.mirror!, network)) ? 'joined' : 'already joined');
  },
};

const chooseSecurity: Action<UpContext> = {
  title: 'Choose how nodes run (privileged or capabilities)',
  skip: skipWhenUp,
  async run(ctx, report) {
    const { runtime } = ctx.spec;
    if (runtime !== undefined) {
      // checkEngine made sure the engine has it; no probe: the runtime decides what nodes may do.
      ctx.security = { mode: 'runtime', runtime };
      return report(`unprivileged nodes under ${runtime} (${ctx.nameOf('runtime')})`);
    }
    ctx.security = await chooseNodeSecurity(ctx.engine, ctx.engineInfo!, ctx.topology.nodeImage, ctx.topology.lab, ctx.mode);
    report(
      ctx.mode
        ? `${ctx.mode} nodes (--mode)`
        : ctx.security.mode === 'privileged'
          ? 'privileged nodes'
          : `this engine refuses --privileged: nodes run with all capabilities it can grant (without ${ctx.security.unavailableCapabilities.join(', ') || 'none'}), unconfined`,
    );
  },
};

const writeComposeFile: Action<UpContext> = {
  title: 'Render the compose file',
  skip: skipWhenUp,
  async run(ctx, report) {
    const { paths } = ctx;
    const text = await renderLab(ctx.topology, paths, ctx.security!);
    await Promise.all([paths.stateDir, paths.stackDir, paths.registryDataDir].map((d) => mkdir(d, { recursive: true })));
    await writeFile(paths.composeFile, text);
    ctx.composeText = text;
    const relative = path.relative(process.cwd(), paths.composeFile);
    report(relative.startsWith('..') ? paths.composeFile : relative);
  },
};

const startContainers: Action<UpContext> = {
  title: 'Start the registry and node containers',
  async run(ctx, report) {
    try {
      const launch = await ctx.launch;
      report(`with ${launch.label}`);
      trace('launch: start');
      await launch.run(ctx.composeText!);
      trace('launch: done');
    } catch (err) {
      ctx.abort.abort(err);
      throw err;
    }
  },
};

/**
 * Up to this many other nodes, workers join as soon as the containers have started. Beyond it
 * they wait until every daemon answers. Measured with 50 workers on 2 cores: joins made while
 * the other daemons were still starting (load average 20) outlasted dockerd's wait, ended in the
 * error state and failed again when retried, and up never finished; the same 50 joins made once
 * every daemon answered all succeeded.
 */
const WORKERS_JOINING_EARLY = 20;

/**
 * Runs beside startContainers: the manager's daemon is often up before the last worker
 * container exists. So the swarm is initialised as soon as the manager answers, and further
 * managers join as soon as their own daemons answer, one at a time (each join changes the Raft
 * membership). Workers join all at once, but only once every container has started: a join
 * builds the overlay and ingress networks inside the node, kernel network work that would hold
 * up the engine's own (veths, bridges) for the containers still to start. With 10 workers on
 * 2 cores, joining early made the whole bring-up about 0.5 s slower. In a big lab they wait
 * longer (WORKERS_JOINING_EARLY).
 */
const formSwarm: Action<UpContext> = {
  title: 'Form the swarm',
  async run(ctx, report) {
    const { engine, topology, timeouts } = ctx;
    const wait = { timeoutMs: timeouts.daemonMs, since: ctx.engineInfo!.systemTime, signal: ctx.abort.signal };
    const volumesBefore = new Set(ctx.engineObjects!.volumes.map((v) => v.name));
    const waitFor = async (node: LabNode) => {
      // A launch that fails is reported by startContainers; the wait then asks the engine anyway.
      await ctx.launch.then((launch) => launch.started(node.containerName)).catch(() => undefined);
      return waitForDaemon(engine, node, { ...wait, fresh: !volumesBefore.has(node.volumeName) });
    };
    const [first, ...others] = topology.nodes as [LabNode, ...LabNode[]];
    if (ctx.noSwarm) {
      // Every daemon answers, and nothing more: forming the swarm is the student's exercise.
      const states = await Promise.all(topology.nodes.map(async (node) => ({ node: node.name, state: await waitFor(node) })));
      const inSwarm = states.filter((s) => s.state !== 'inactive').map((s) => s.node);
      report(inSwarm.length === 0 ? 'every daemon answers; no swarm formed' : `every daemon answers; already in a swarm: ${inSwarm.join(', ')}`);
      return;
    }
    const roles = [...new Set(others.map((n) => n.role))];
    let joined = 0;
    const tokens = (async (): Promise<JoinTokens> => {
      const state = await waitFor(first);
      trace(`${first.name}: daemon answers (${state})`);
      if (state !== 'inactive' && state !== 'active') {
        throw new LabError(`${first.name} is in swarm state "${state}"`, { fix: `swarmlab down --name ${topology.lab}, then up again` });
      }
      const read = state === 'inactive' ? await initSwarm(engine, first, roles) : await readJoinTokens(engine, first, roles);
      report(`swarm ${state === 'inactive' ? 'initialised' : 'already formed'} on ${first.name}`);
      trace(`${first.name}: swarm ${state === 'inactive' ? 'initialised' : 'already formed'}`);
      return read;
    })();
    const containersStarted = ctx.launch.then((launch) => launch.finished);
    const answers = new Map(
      others.map((node) => {
        const answer = waitFor(node);
        // A failure is reported where each answer is awaited; this only keeps one awaited
        // later (a manager's, in turn) from counting as unhandled meanwhile.
        answer.catch(() => {});
        return [node.name, answer] as const;
      }),
    );
    // A big lab's workers wait until every daemon answers: see WORKERS_JOINING_EARLY.
    const workersMayJoin = others.length > WORKERS_JOINING_EARLY ? Promise.all(answers.values()) : containersStarted;
    // As above: a failure before any worker waits on these is reported by the step that fails.
    workersMayJoin.catch(() => {});
    containersStarted.catch(() => {});
    const join = async (node: LabNode) => {
      const state = await answers.get(node.name)!;
      trace(`${node.name}: daemon answers (${state})`);
      if (node.role === 'worker') await workersMayJoin;
      if (state === 'inactive') await joinSwarm(engine, node, (await tokens).get(node.role)!);
      trace(`${node.name}: joined`);
      report(`${++joined}/${others.length} nodes joined`);
    };
    const managersInTurn = (async () => {
      for (const node of others.filter((n) => n.role === 'manager')) await join(node);
    })();
    await Promise.all([tokens, managersInTurn, ...others.filter((n) => n.role === 'worker').map(join)]);
  },
};

const waitUntilReady: Action<UpContext> = {
  title: 'Wait until every node is Ready',
  skip: skipWithoutSwarm,
  async run(ctx, report) {
    const wanted = ctx.topology.nodes.map((n) => n.name);
    const manager = ctx.topology.nodes[0]!.containerName;
    ctx.nodes = await pollUntil(
      async () => {
        const nodes = await listSwarmNodes(ctx.engine, manager);
        const pending = missingOrNotReady(nodes, wanted);
        report(`${wanted.length - pending.length}/${wanted.length} Ready`);
        return pending.length === 0 ? { done: nodes } : { notYet: `not Ready: ${pending.join(', ')}` };
      },
      { what: 'every node to be Ready', timeoutMs: ctx.timeouts.readyMs, intervalMs: 200 },
    );
  },
};

const removeStaleEntries: Action<UpContext> = {
  title: 'Remove swarm entries of nodes that are gone',
  // Also on a new lab: a join tried again (see joinScript) may have left one behind. Finding
  // none costs no exec: the node list is the one waitUntilReady read.
  skip: skipWithoutSwarm,
  async run(ctx, report) {
    const manager = ctx.topology.nodes[0]!.containerName;
    const nodes = ctx.nodes ?? [];
    const currentIds = new Map<string, string>();
    for (const name of duplicatedNames(nodes)) {
      const node = ctx.topology.nodes.find((n) => n.name === name);
      const id = node && (await ownNodeId(ctx.engine, node.containerName));
      if (id) currentIds.set(name, id);
    }
    const stale = staleEntries(
      nodes,
      ctx.topology.nodes.map((n) => n.name),
      currentIds,
    );
    for (const entry of stale) {
      await removeSwarmNode(ctx.engine, manager, entry);
      ctx.repairs.push(`removed the stale swarm entry of ${entry.name} (${entry.state})`);
    }
    if (stale.length > 0) ctx.nodes = await listSwarmNodes(ctx.engine, manager);
    report(stale.length === 0 ? 'none' : `${stale.length} removed`);
  },
};

export const UP_ACTIONS: Action<UpContext>[] = [
  checkEngine,
  checkExisting,
  checkNamesAreFree,
  findMirror,
  reserveAddresses,
  ensureImages,
  chooseSecurity,
  writeComposeFile,
  { title: 'Start the nodes and form the swarm', skip: skipWhenUp, concurrent: [startContainers, formSwarm] },
  waitUntilReady,
  joinMirror,
  removeStaleEntries,
];
