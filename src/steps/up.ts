// The steps of `swarmlab up` after the plan (preflight.ts): images, node mode, the compose
// file, then the containers and the swarm. Each step reads what the plan and the steps before
// it made, and returns what it made.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerInfo, Engine, EngineInfo } from '../engine/engine.js';
import type { RenderedLab } from '../engine/launch.js';
import { LabError } from '../errors.js';
import { chooseNodeSecurity } from '../lab/node-security.js';
import type { LabPaths } from '../lab/paths.js';
import { renderLab } from '../lab/render-lab.js';
import type { UpPlan } from '../lab/up-plan.js';
import { joinLabNetwork, requireMirror } from '../mirror/mirror.js';
import type { NodeSecurity } from '../plan/compose.js';
import type { LabNode, Topology } from '../plan/topology.js';
import { initSwarm, type JoinTokens, joinSwarm, readJoinTokensOnceLed, waitForDaemon } from '../swarm/bootstrap.js';
import { cliWord, type SwarmNode } from '../swarm/node-model.js';
import { duplicatedNames, listSwarmNodes, missingOrNotReady, ownNodeId, removeSwarmNode, staleEntries } from '../swarm/nodes.js';
import { trace } from '../trace.js';
import { pollUntil } from '../wait/poll.js';
import type { Action } from './action.js';
import type { BuildContext } from './up-context.js';

type Report = (status: string) => void;

/** 'Make sure the node and registry images are present': pulled if not. */
export async function ensureImages(engine: Engine, topology: Topology, report: Report): Promise<void> {
  for (const image of new Set([topology.nodeImage, topology.registry.image])) {
    if (await engine.hasImage(image)) continue;
    report(`pulling ${image}`);
    try {
      await engine.pullImage(image);
    } catch (err) {
      throw new LabError(`image ${image} is not on this engine and cannot be pulled (${(err as Error).message.split('\n')[0]})`, {
        fix: `docker pull ${image}, or choose an image this engine has with --node-image / --registry-image (or SWARMLAB_NODE_IMAGE, SWARMLAB_REGISTRY_IMAGE); with no registry in reach, see "Offline" in docs/nodes.md`,
      });
    }
  }
}

/** "Find the engine's pull-through mirror": the lab asked for it, so it must be there. */
export async function findMirror(engine: Engine, report: Report): Promise<ContainerInfo> {
  const mirror = await requireMirror(engine);
  report('swarmlab-mirror');
  return mirror;
}

/** After the containers exist: the mirror joins the lab's network (again, if it was re-made since). */
export async function joinMirror(engine: Engine, mirror: ContainerInfo, topology: Topology, report: Report): Promise<void> {
  const network = (await engine.networkSubnets()).find((n) => n.name === topology.network);
  if (!network) throw new LabError(`the lab network ${topology.network} is gone`, { fix: `swarmlab up again` });
  report((await joinLabNetwork(engine, mirror, network)) ? 'joined' : 'already joined');
}

/** 'Choose how nodes run (privileged or capabilities)': the runtime's way, --mode, or the probe's answer. */
export async function chooseSecurity(
  engine: Engine,
  info: EngineInfo,
  plan: UpPlan,
  mode: 'privileged' | 'capabilities' | undefined,
  nameOf: (field: 'runtime') => string,
  report: Report,
): Promise<NodeSecurity> {
  const { runtime } = plan.spec;
  if (runtime !== undefined) {
    // The plan made sure the engine has it; no probe: the runtime decides what nodes may do.
    report(`unprivileged nodes under ${runtime} (${nameOf('runtime')})`);
    return { mode: 'runtime', runtime };
  }
  const security = await chooseNodeSecurity(engine, info, plan.topology.nodeImage, plan.topology.lab, mode);
  report(
    mode
      ? `${mode} nodes (--mode)`
      : security.mode === 'privileged'
        ? 'privileged nodes'
        : `this engine refuses --privileged: nodes run with all capabilities it can grant (without ${security.mode === 'capabilities' ? security.unavailableCapabilities.join(', ') || 'none' : 'none'}), unconfined`,
  );
  return security;
}

/** 'Render the compose file': written to the lab's directory (`render` prints the same), and handed to the launch. */
export async function writeComposeFile(topology: Topology, paths: LabPaths, security: NodeSecurity, report: Report): Promise<RenderedLab> {
  const rendered = await renderLab(topology, paths, security);
  await Promise.all([paths.stateDir, paths.stackDir, paths.registryDataDir].map((d) => mkdir(d, { recursive: true })));
  await writeFile(paths.composeFile, rendered.composeText);
  const relative = path.relative(process.cwd(), paths.composeFile);
  report(relative.startsWith('..') ? paths.composeFile : relative);
  return rendered;
}

/** Steps about the swarm do nothing for `up --no-swarm`. */
const skipWithoutSwarm = (ctx: BuildContext): string | false => (ctx.request.noSwarm ? 'no swarm (--no-swarm)' : false);

const startContainers: Action<BuildContext> = {
  title: 'Start the registry and node containers',
  async run(ctx, report) {
    try {
      const launch = await ctx.request.launch;
      report(`with ${launch.label}`);
      trace('launch: start');
      await launch.run(ctx.rendered);
      trace('launch: done');
    } catch (err) {
      ctx.request.abort.abort(err);
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
const formSwarm: Action<BuildContext> = {
  title: 'Form the swarm',
  async run(ctx, report) {
    const { engine, timeouts, launch, abort, noSwarm } = ctx.request;
    const { topology, newVolumes } = ctx.plan;
    const wait = { timeoutMs: timeouts.daemonMs, since: ctx.engineInfo.systemTime, signal: abort.signal };
    const waitFor = async (node: LabNode) => {
      // A launch that fails is reported by startContainers; the wait then asks the engine anyway.
      await launch.then((l) => l.started(node.containerName)).catch(() => undefined);
      return waitForDaemon(engine, node, { ...wait, fresh: newVolumes.includes(node.volumeName) });
    };
    const first = firstManagerOf(topology);
    const others = topology.nodes.slice(1);
    if (noSwarm) {
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
      const read =
        state === 'inactive'
          ? await initSwarm(engine, first, roles, { withoutIngressUnlessIpvs: topology.nodeCuts.includes('ingress') })
          : await readJoinTokensOnceLed(engine, first, roles, { timeoutMs: timeouts.readyMs, signal: abort.signal, lab: topology.lab });
      report(`swarm ${state === 'inactive' ? 'initialised' : 'already formed'} on ${first.name}`);
      trace(`${first.name}: swarm ${state === 'inactive' ? 'initialised' : 'already formed'}`);
      return read;
    })();
    const containersStarted = launch.then((l) => l.finished);
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
      const state = await answers.get(node.name);
      trace(`${node.name}: daemon answers (${state})`);
      if (node.role === 'worker') await workersMayJoin;
      if (state === 'inactive') await joinSwarm(engine, node, tokenFor(await tokens, node.role));
      trace(`${node.name}: joined`);
      report(`${++joined}/${others.length} nodes joined`);
    };
    const managersInTurn = (async () => {
      for (const node of others.filter((n) => n.role === 'manager')) await join(node);
    })();
    await Promise.all([tokens, managersInTurn, ...others.filter((n) => n.role === 'worker').map(join)]);
  },
};

const waitUntilReady: Action<BuildContext> = {
  title: 'Wait until every node is Ready',
  skip: skipWithoutSwarm,
  async run(ctx, report) {
    const { topology } = ctx.plan;
    const wanted = topology.nodes.map((n) => n.name);
    const manager = firstManagerOf(topology).containerName;
    ctx.nodes = await pollUntil<SwarmNode[]>(
      async () => {
        const nodes = await listSwarmNodes(ctx.request.engine, manager);
        const pending = missingOrNotReady(nodes, wanted);
        report(`${wanted.length - pending.length}/${wanted.length} Ready`);
        return pending.length === 0 ? { done: nodes } : { notYet: `not Ready: ${pending.join(', ')}` };
      },
      { what: 'every node to be Ready', timeoutMs: ctx.request.timeouts.readyMs, intervalMs: 200 },
    );
  },
};

const removeStaleEntries: Action<BuildContext> = {
  title: 'Remove swarm entries of nodes that are gone',
  // Also on a new lab: a join tried again (see joinScript) may have left one behind. Finding
  // none costs no exec: the node list is the one waitUntilReady read.
  skip: skipWithoutSwarm,
  async run(ctx, report) {
    const { engine } = ctx.request;
    const { topology } = ctx.plan;
    const manager = firstManagerOf(topology).containerName;
    const currentIds = new Map<string, string>();
    for (const name of duplicatedNames(ctx.nodes)) {
      const node = topology.nodes.find((n) => n.name === name);
      const id = node && (await ownNodeId(engine, node.containerName));
      if (id) currentIds.set(name, id);
    }
    const stale = staleEntries(
      ctx.nodes,
      topology.nodes.map((n) => n.name),
      currentIds,
    );
    for (const entry of stale) {
      await removeSwarmNode(engine, manager, entry);
      ctx.repairs.push(`removed the stale swarm entry of ${entry.hostname} (${cliWord(entry.state)})`);
    }
    if (stale.length > 0) ctx.nodes = await listSwarmNodes(engine, manager);
    report(stale.length === 0 ? 'none' : `${stale.length} removed`);
  },
};

/** The manager that runs `swarm init` and answers for the swarm while up runs. */
function firstManagerOf(topology: Topology): LabNode {
  const [first] = topology.nodes;
  if (!first) throw new LabError(`lab ${topology.lab} has no manager`, { fix: 'ask for at least one (--managers 1)' });
  return first;
}

function tokenFor(tokens: JoinTokens, role: LabNode['role']): string {
  const token = tokens.get(role);
  if (!token) throw new LabError(`no ${role} join token was read from the first manager`, { fix: 'swarmlab up again' });
  return token;
}

const joinMirrorStep: Action<BuildContext> = {
  title: "Join the mirror to the lab's network",
  run: async (ctx, report) => (ctx.mirror ? joinMirror(ctx.request.engine, ctx.mirror, ctx.plan.topology, report) : undefined),
};

/** The steps that make the lab, once it is planned, its images present and its file rendered. */
export function buildActions(withMirror: boolean): Action<BuildContext>[] {
  return [
    { title: 'Start the nodes and form the swarm', concurrent: [startContainers, formSwarm] },
    waitUntilReady,
    ...(withMirror ? [joinMirrorStep] : []),
    removeStaleEntries,
  ];
}
