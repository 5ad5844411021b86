// The steps of `swarmlab up`, in order. Each one is small and reads or fills the shared context.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ComposeClient, findCompose } from '../compose/compose-client.js';
import type { Engine, EngineInfo } from '../engine/engine.js';
import { LabError, SpecError } from '../errors.js';
import { portHolderOn } from '../engine/host-ports.js';
import { assignHostPorts } from '../plan/host-ports.js';
import { readInventory, type LabInventory } from '../lab/inventory.js';
import { chooseNodeSecurity } from '../lab/node-security.js';
import type { LabPaths } from '../lab/paths.js';
import { renderLab } from '../lab/render-lab.js';
import type { NodeSecurity } from '../plan/compose.js';
import { chooseSubnet } from '../plan/addresses.js';
import { LABEL_LAB } from '../plan/labels.js';
import { FIRST_MANAGER, planTopology, REGISTRY_INNER_PORT, type LabNode, type Topology } from '../plan/topology.js';
import type { LabSpec } from '../spec/types.js';
import { initSwarm, joinSwarm, readJoinToken, waitForDaemon, type Timeouts } from '../swarm/bootstrap.js';
import { duplicatedNames, listSwarmNodes, missingOrNotReady, ownNodeId, removeSwarmNode, staleEntries, type SwarmNode } from '../swarm/nodes.js';
import { pollUntil } from '../wait/poll.js';
import { trace } from '../trace.js';
import type { Action } from './action.js';

export interface UpContext {
  spec: LabSpec;
  /** Which spec fields the user set, and how to name them: defaults may move, choices may not. */
  chosen: Set<keyof LabSpec>;
  nameOf: (field: keyof LabSpec) => string;
  /** Lines worth repeating under the final table (moved ports, warnings). */
  notes: string[];
  topology: Topology;
  paths: LabPaths;
  engine: Engine;
  timeouts: Timeouts;
  /** What the lab had before this `up`. */
  before?: LabInventory;
  /** The lab was up and healthy already: nothing to do. */
  alreadyUp?: boolean;
  engineInfo?: EngineInfo;
  security?: NodeSecurity;
  compose?: ComposeClient;
  nodes?: SwarmNode[];
  /** Aborted when starting the containers fails, so the swarm steps beside it stop waiting. */
  abort: AbortController;
  /** What this up mended in a lab that existed but was not whole, one line each. */
  repairs: string[];
}

const skipWhenUp = (ctx: UpContext): string | false => (ctx.alreadyUp ? 'already up' : false);

export async function readSwarmIfHealthy(ctx: UpContext, inventory: LabInventory): Promise<SwarmNode[] | undefined> {
  const { topology } = ctx;
  const running = (name: string) => inventory.nodes.get(name)?.state === 'running';
  if (inventory.registry?.state !== 'running' || !topology.nodes.every((n) => running(n.name))) return undefined;
  const nodes = await listSwarmNodes(ctx.engine, topology.nodes[0]!.containerName).catch(() => undefined);
  if (!nodes || missingOrNotReady(nodes, topology.nodes.map((n) => n.name)).length > 0) return undefined;
  // The manager may still list a node Ready that has just left: ask every node itself too.
  const states = await Promise.all(
    topology.nodes.map((n) => ctx.engine.exec(n.containerName, ['docker', 'info', '--format', '{{.Swarm.LocalNodeState}}']).catch(() => undefined)),
  );
  if (states.some((s) => s?.stdout.trim() !== 'active')) return undefined;
  return nodes;
}

const checkEngine: Action<UpContext> = {
  title: 'Check the Docker engine',
  async run(ctx, report) {
    const info = (ctx.engineInfo = await ctx.engine.info());
    report(`Docker ${info.serverVersion}, cgroup v${info.cgroupVersion}`);
  },
};

const checkExisting: Action<UpContext> = {
  title: 'Look for an existing lab',
  async run(ctx, report) {
    ctx.before = await readInventory(ctx.engine, ctx.topology.lab);
    if (ctx.before.containers.length === 0) return report('none: creating it');
    ctx.nodes = await readSwarmIfHealthy(ctx, ctx.before);
    ctx.alreadyUp = ctx.nodes !== undefined;
    if (!ctx.alreadyUp) ctx.repairs.push(...containerRepairs(ctx.topology, ctx.before));
    report(ctx.alreadyUp ? 'up and healthy: nothing to do' : `repairing: ${ctx.repairs.join(', ') || 'swarm membership'}`);
  },
};

/** Which containers `compose up` will recreate or start, in words. */
export function containerRepairs(topology: Topology, before: LabInventory): string[] {
  const wanted = [{ name: 'registry', container: before.registry }, ...topology.nodes.map((n) => ({ name: n.name, container: before.nodes.get(n.name) }))];
  return wanted.flatMap(({ name, container }) => {
    if (!container) return [`recreated ${name}`];
    if (container.state !== 'running') return [`started ${name} (was ${container.state})`];
    return [];
  });
}

/** Objects named as the lab's own would be but without its label: not ours, so never touched. */
const checkNamesAreFree: Action<UpContext> = {
  title: "Check that the lab's names are free",
  skip: skipWhenUp,
  async run(ctx) {
    const { topology } = ctx;
    const ours = (labels: Record<string, string>) => labels[LABEL_LAB] === topology.lab;
    const [containers, networks, volumes] = await Promise.all([ctx.engine.listContainers({}), ctx.engine.networkSubnets(), ctx.engine.listVolumes({})]);
    const containerNames = new Set([topology.registry.containerName, ...topology.nodes.map((n) => n.containerName)]);
    const volumeNames = new Set(topology.nodes.map((n) => n.volumeName));
    const foreign = [
      ...containers.filter((c) => containerNames.has(c.name) && !ours(c.labels)).map((c) => `container ${c.name}`),
      ...networks.filter((n) => n.name === topology.network && !ours(n.labels)).map((n) => `network ${n.name}`),
      ...volumes.filter((v) => volumeNames.has(v.name) && !ours(v.labels)).map((v) => `volume ${v.name}`),
    ];
    if (foreign.length > 0) {
      throw new LabError(
        `${foreign.join(', ')} already exist${foreign.length === 1 ? 's' : ''} without the label ${LABEL_LAB}=${topology.lab}, so swarmlab did not make ${foreign.length === 1 ? 'it' : 'them'} and will not touch ${foreign.length === 1 ? 'it' : 'them'}; fix: remove or rename ${foreign.length === 1 ? 'it' : 'them'}, or choose another lab name with --name`,
      );
    }
  },
};

const checkHostPorts: Action<UpContext> = {
  title: 'Check the host ports',
  skip: skipWhenUp,
  async run(ctx, report) {
    const all = await ctx.engine.listContainers({});
    const others = all.filter((c) => c.labels[LABEL_LAB] !== ctx.topology.lab);
    const own = ctx.before!;
    const manager = own.nodes.get(FIRST_MANAGER);
    const assignment = await assignHostPorts(ctx.spec, {
      chosen: ctx.chosen,
      nameOf: ctx.nameOf,
      holderOf: portHolderOn(ctx.spec.bindAddress, others),
      existing: {
        registry: own.registry?.ports.find((p) => p.containerPort === REGISTRY_INNER_PORT)?.hostPort,
        manager: new Map((manager?.ports ?? []).map((p) => [p.containerPort, p.hostPort] as const)),
      },
    });
    if (assignment.problems.length > 0) throw new SpecError(assignment.problems);
    ctx.spec = assignment.spec;
    ctx.topology = planTopology(ctx.spec, ctx.topology.subnet);
    ctx.notes.push(...assignment.moves.map((m) => `port moved: ${m}`));
    if (ctx.spec.bindAddress !== '127.0.0.1') {
      ctx.notes.push(`warning: ports bind to ${ctx.spec.bindAddress}: the lab registry (no TLS, no login) and the manager's ports are reachable from your network`);
    }
    report(ctx.notes.join('; ') || `registry ${ctx.spec.registryPort}, manager ${ctx.spec.ports.map((p) => p.host).join(', ') || 'none'}: free`);
  },
};

const chooseAddresses: Action<UpContext> = {
  title: "Choose the lab network's addresses",
  skip: skipWhenUp,
  async run(ctx, report) {
    const networks = await ctx.engine.networkSubnets();
    // A lab keeps its subnet for life: node addresses must not change across ups and restarts.
    const own = networks.find((n) => n.name === ctx.topology.network && n.labels[LABEL_LAB] === ctx.topology.lab);
    const subnet = own?.subnets[0] ?? chooseSubnet(networks.flatMap((n) => n.subnets));
    if (!subnet) throw new LabError('no free /24 left in 10.210.0.0/16 on this engine; fix: remove labs or networks you no longer use (swarmlab ls, docker network ls)');
    ctx.topology = planTopology(ctx.spec, subnet);
    report(`${subnet}${own ? ' (the lab network exists)' : ''}`);
  },
};

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
        throw new LabError(
          `image ${image} is not on this engine and cannot be pulled (${(err as Error).message.split('\n')[0]}); fix: docker pull ${image}, or choose another with --node-image / --registry-image`,
        );
      }
    }
  },
};

const chooseSecurity: Action<UpContext> = {
  title: 'Choose how nodes run (privileged or capabilities)',
  skip: skipWhenUp,
  async run(ctx, report) {
    ctx.security = await chooseNodeSecurity(ctx.engine, ctx.engineInfo!, ctx.topology.nodeImage, ctx.topology.lab);
    report(
      ctx.security.mode === 'privileged'
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
    const relative = path.relative(process.cwd(), paths.composeFile);
    report(relative.startsWith('..') ? paths.composeFile : relative);
  },
};

const startContainers: Action<UpContext> = {
  title: 'Start the registry and node containers',
  async run(ctx, report) {
    try {
      ctx.compose = new ComposeClient(await findCompose(), ctx.paths.composeFile, ctx.topology.project, ctx.abort.signal);
      report(`with ${ctx.compose.label}`);
      trace('compose up: start');
      await ctx.compose.up();
      trace('compose up: done');
    } catch (err) {
      ctx.abort.abort(err);
      throw err;
    }
  },
};

/**
 * Runs beside startContainers: compose starts the containers one after another, and the
 * manager's daemon is often up before the last worker container exists. So the swarm is
 * initialised as soon as the manager answers, and each node joins as soon as its own daemon
 * answers and the tokens are known. Managers join one at a time (each join changes the
 * Raft membership), workers all at once.
 */
const formSwarm: Action<UpContext> = {
  title: 'Form the swarm',
  async run(ctx, report) {
    const { engine, topology, timeouts } = ctx;
    const wait = { timeoutMs: timeouts.daemonMs, since: ctx.engineInfo!.systemTime, signal: ctx.abort.signal };
    const [first, ...others] = topology.nodes as [LabNode, ...LabNode[]];
    let joined = 0;
    const initialised = (async () => {
      const state = await waitForDaemon(engine, first, wait);
      trace(`${first.name}: daemon answers (${state})`);
      if (state === 'inactive') await initSwarm(engine, first);
      else if (state !== 'active') throw new LabError(`${first.name} is in swarm state "${state}"; fix: swarmlab down --name ${topology.lab}, then up again`);
      report(`swarm ${state === 'inactive' ? 'initialised' : 'already formed'} on ${first.name}`);
      trace(`${first.name}: swarm ${state === 'inactive' ? 'initialised' : 'already formed'}`);
    })();
    // Read each role's token once, when the first node of that role needs it.
    const tokens = new Map<LabNode['role'], Promise<string>>();
    const tokenFor = (role: LabNode['role']) => {
      if (!tokens.has(role)) tokens.set(role, initialised.then(() => readJoinToken(engine, first, role)));
      return tokens.get(role)!;
    };
    const join = async (node: LabNode) => {
      const state = await waitForDaemon(engine, node, wait);
      trace(`${node.name}: daemon answers (${state})`);
      if (state === 'inactive') await joinSwarm(engine, node, await tokenFor(node.role));
      trace(`${node.name}: joined`);
      report(`${++joined}/${others.length} nodes joined`);
    };
    const managersInTurn = (async () => {
      for (const node of others.filter((n) => n.role === 'manager')) await join(node);
    })();
    await Promise.all([initialised, managersInTurn, ...others.filter((n) => n.role === 'worker').map(join)]);
  },
};

const waitUntilReady: Action<UpContext> = {
  title: 'Wait until every node is Ready',
  skip: skipWhenUp,
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
  skip: skipWhenUp,
  async run(ctx, report) {
    const manager = ctx.topology.nodes[0]!.containerName;
    const nodes = ctx.nodes ?? [];
    const currentIds = new Map<string, string>();
    for (const name of duplicatedNames(nodes)) {
      const node = ctx.topology.nodes.find((n) => n.name === name);
      const id = node && (await ownNodeId(ctx.engine, node.containerName));
      if (id) currentIds.set(name, id);
    }
    const stale = staleEntries(nodes, ctx.topology.nodes.map((n) => n.name), currentIds);
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
  checkHostPorts,
  chooseAddresses,
  ensureImages,
  chooseSecurity,
  writeComposeFile,
  { title: 'Start the nodes and form the swarm', skip: skipWhenUp, concurrent: [startContainers, formSwarm] },
  waitUntilReady,
  removeStaleEntries,
];
