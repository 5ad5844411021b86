// The first steps of `up`: what exists, whether it is healthy, and whether the lab's names,
// ports and addresses are free. Nothing is created before these pass.
import { portHolderOn } from '../engine/host-ports.js';
import { localRoutedSubnets } from '../engine/host-routes.js';
import { LabError, SpecError, type SpecProblem } from '../errors.js';
import { type Claim, claimantOf, withAllocations } from '../lab/allocations.js';
import { firstManager, type LabInventory, readInventory, registryBinding } from '../lab/inventory.js';
import { chooseSubnet } from '../plan/addresses.js';
import { fitSpecToLab, shapeOf } from '../plan/existing-shape.js';
import { assignHostPorts } from '../plan/host-ports.js';
import { LABEL_LAB, LABEL_NODE } from '../plan/labels.js';
import { planTopology, type Topology } from '../plan/topology.js';
import { runtimeProblem } from '../spec/validate.js';
import { listSwarmNodes, localSwarmState, missingOrNotReady, type SwarmNode } from '../swarm/nodes.js';
import type { Action } from './action.js';
import { skipWhenUp, type UpContext } from './up-context.js';

export async function readSwarmIfHealthy(ctx: UpContext, inventory: LabInventory): Promise<SwarmNode[] | undefined> {
  const { topology } = ctx;
  const running = (name: string) => inventory.nodes.get(name)?.state === 'running';
  if (inventory.registry?.state !== 'running' || !topology.nodes.every((n) => running(n.name))) return undefined;
  // The manager may still list a node Ready that has just left: every node is asked itself
  // too, in the same round of execs (each is a process the engine starts: a repeat up is
  // mostly these).
  const [nodes, states] = await Promise.all([
    listSwarmNodes(ctx.engine, topology.nodes[0]!.containerName).catch(() => undefined),
    Promise.all(topology.nodes.map((n) => localSwarmState(ctx.engine, n.containerName))),
  ]);
  const wanted = topology.nodes.map((n) => n.name);
  if (!nodes || missingOrNotReady(nodes, wanted).length > 0 || states.some((s) => s !== 'active')) return undefined;
  return nodes;
}

/** For `up --no-swarm`: the registry and every node run, and every node's daemon answers. */
async function daemonsAnswer(ctx: UpContext, inventory: LabInventory): Promise<boolean> {
  const running = (name: string) => inventory.nodes.get(name)?.state === 'running';
  if (inventory.registry?.state !== 'running' || !ctx.topology.nodes.every((n) => running(n.name))) return false;
  const states = await Promise.all(ctx.topology.nodes.map((n) => localSwarmState(ctx.engine, n.containerName)));
  return states.every((s) => s !== undefined);
}

/** A runtime the engine lacks, or --mode beside a runtime (whose nodes are neither privileged nor given capabilities). */
function runtimeProblems(ctx: UpContext, engineRuntimes: string[]): SpecProblem[] {
  const { runtime } = ctx.spec;
  if (runtime === undefined) return [];
  const missing = runtimeProblem(runtime, engineRuntimes, ctx.nameOf('runtime'));
  if (missing) return [missing];
  if (ctx.mode === undefined) return [];
  return [
    {
      field: '--mode',
      problem: `does not apply under runtime ${runtime} (nodes run unprivileged under it)`,
      fix: `leave out --mode, or ${ctx.nameOf('runtime').startsWith('--') ? 'leave out --runtime' : 'remove runtime from swarmlab.yaml'}`,
    },
  ];
}

export const checkEngine: Action<UpContext> = {
  title: 'Check the Docker engine',
  async run(ctx, report) {
    const info = await ctx.engine.info();
    ctx.engineInfo = info;
    const runtime = runtimeProblems(ctx, info.runtimes);
    if (runtime.length > 0) throw new SpecError(runtime);
    report(`Docker ${info.serverVersion}, cgroup v${info.cgroupVersion}`);
  },
};

export const checkExisting: Action<UpContext> = {
  title: 'Look for an existing lab',
  async run(ctx, report) {
    const lab = ctx.topology.lab;
    ctx.before = await readInventory(ctx.engine, lab);
    if (ctx.before.containers.length === 0) return report('none: creating it');
    // A node whose container was removed by hand still has its data volume: it is part of the
    // lab's shape, to be recreated, even when it was the last worker.
    const volumes = await ctx.engine.listVolumes({ [LABEL_LAB]: lab });
    const nodesWithData = volumes.map((v) => v.labels[LABEL_NODE]).filter((n): n is string => n !== undefined);
    const labNodeNames = [...new Set([...ctx.before.nodes.keys(), ...nodesWithData])];
    const fitted = fitSpecToLab(ctx.spec, ctx.chosen, ctx.nameOf, labNodeNames);
    if (fitted.problems.length > 0) throw new SpecError(fitted.problems);
    ctx.spec = fitted.spec;
    ctx.notes.push(...fitted.notes);
    ctx.topology = planTopology(ctx.spec, ctx.topology.subnet);
    if (ctx.noSwarm) {
      ctx.alreadyUp = await daemonsAnswer(ctx, ctx.before);
    } else {
      ctx.nodes = await readSwarmIfHealthy(ctx, ctx.before);
      ctx.alreadyUp = ctx.nodes !== undefined;
    }
    if (!ctx.alreadyUp) ctx.repairs.push(...containerRepairs(ctx.topology, ctx.before, labNodeNames));
    report(ctx.alreadyUp ? 'up and healthy: nothing to do' : changesLine(ctx.repairs));
  },
};

/** Growing a lab is not repairing it: the nodes beyond its shape ("added ...") apart from the rest. */
export function splitRepairs(repairs: string[]): { added: string[]; repaired: string[] } {
  const added = repairs.filter((r) => r.startsWith('added '));
  return { added: added.map((r) => r.slice('added '.length)), repaired: repairs.filter((r) => !r.startsWith('added ')) };
}

/** "adding: manager02, manager03", "repairing: started worker01 (was exited)", or both. */
export function changesLine(repairs: string[]): string {
  const { added, repaired } = splitRepairs(repairs);
  const parts = [added.length > 0 ? `adding: ${added.join(', ')}` : '', repaired.length > 0 ? `repairing: ${repaired.join(', ')}` : ''].filter(Boolean);
  return parts.join('; ') || 'repairing: swarm membership';
}

/** Which containers `compose up` will make, recreate or start, in words: a node beyond the lab's shape is added. */
export function containerRepairs(topology: Topology, before: LabInventory, labNodeNames: string[]): string[] {
  const shape = shapeOf(labNodeNames);
  const beyond = (name: string) => {
    const numbered = /^(manager|worker)(\d{2})$/.exec(name);
    return numbered !== null && Number(numbered[2]) > (numbered[1] === 'manager' ? shape.managers : shape.workers);
  };
  const wanted = [{ name: 'registry', container: before.registry }, ...topology.nodes.map((n) => ({ name: n.name, container: before.nodes.get(n.name) }))];
  return wanted.flatMap(({ name, container }) => {
    if (!container) return [beyond(name) ? `added ${name}` : `recreated ${name}`];
    if (container.state !== 'running') return [`started ${name} (was ${container.state})`];
    return [];
  });
}

/** Objects named as the lab's own would be but without its label: not ours, so never touched. */
export const checkNamesAreFree: Action<UpContext> = {
  title: "Check that the lab's names are free",
  skip: skipWhenUp,
  async run(ctx) {
    const { topology } = ctx;
    const ours = (labels: Record<string, string>) => labels[LABEL_LAB] === topology.lab;
    // One snapshot serves this check and the port and subnet checks after it: nothing is made in between.
    const [containers, networks, volumes] = await Promise.all([ctx.engine.listContainers({}), ctx.engine.networkSubnets(), ctx.engine.listVolumes({})]);
    ctx.engineObjects = { containers, networks, volumes };
    const containerNames = new Set([topology.registry.containerName, ...topology.nodes.map((n) => n.containerName)]);
    const volumeNames = new Set(topology.nodes.map((n) => n.volumeName));
    const foreign = [
      ...containers.filter((c) => containerNames.has(c.name) && !ours(c.labels)).map((c) => `container ${c.name}`),
      ...networks.filter((n) => n.name === topology.network && !ours(n.labels)).map((n) => `network ${n.name}`),
      ...volumes.filter((v) => volumeNames.has(v.name) && !ours(v.labels)).map((v) => `volume ${v.name}`),
    ];
    if (foreign.length > 0) {
      throw new LabError(
        `${foreign.join(', ')} already exist${foreign.length === 1 ? 's' : ''} without the label ${LABEL_LAB}=${topology.lab}, so swarmlab did not make ${foreign.length === 1 ? 'it' : 'them'} and will not touch ${foreign.length === 1 ? 'it' : 'them'}`,
        { fix: `remove or rename ${foreign.length === 1 ? 'it' : 'them'}, or choose another lab name with --name` },
      );
    }
  },
};

/** Host ports for the lab: the lab's own, a free default, or the user's choice if free; said as notes. */
async function assignPorts(ctx: UpContext, claims: Claim[]): Promise<void> {
  const others = ctx.engineObjects!.containers.filter((c) => c.labels[LABEL_LAB] !== ctx.topology.lab);
  const own = ctx.before!;
  const manager = firstManager(own);
  const onEngine = portHolderOn(ctx.spec.bindAddress, others);
  const assignment = await assignHostPorts(ctx.spec, {
    chosen: ctx.chosen,
    nameOf: ctx.nameOf,
    holderOf: async (port) => claimantOf(claims, ctx.spec.bindAddress, port) ?? (await onEngine(port)),
    existing: {
      registry: registryBinding(own)?.hostPort,
      manager: new Map((manager?.ports ?? []).map((p) => [p.containerPort, p.hostPort] as const)),
    },
  });
  if (assignment.problems.length > 0) throw new SpecError(assignment.problems);
  ctx.spec = assignment.spec;
  ctx.notes.push(...assignment.moves.map((m) => `port moved: ${m}`));
  if (ctx.spec.bindAddress !== '127.0.0.1') {
    ctx.notes.push(
      `warning: ports bind to ${ctx.spec.bindAddress}: the lab registry (no TLS, no login) and the manager's ports are reachable from your network`,
    );
  }
}

/**
 * The lab's /24: its network's, kept for life (node addresses must not change), else the first
 * one that no network of the engine, no claim of an up in progress and no route of this host uses.
 */
function chooseLabSubnet(ctx: UpContext, claims: Claim[], routes: string[]): string {
  const networks = ctx.engineObjects!.networks;
  const own = networks.find((n) => n.name === ctx.topology.network && n.labels[LABEL_LAB] === ctx.topology.lab);
  const subnet = own?.subnets[0] ?? chooseSubnet([...networks.flatMap((n) => n.subnets), ...claims.map((c) => c.subnet), ...routes]);
  if (!subnet)
    throw new LabError('no free /24 left in 10.210.0.0/16 on this engine', {
      fix: 'remove labs or networks you no longer use (swarmlab ls, docker network ls)',
    });
  return subnet;
}

/**
 * Host ports and the subnet, chosen under the machine-wide allocation lock and claimed until
 * this up ends, so that ups started at the same moment never choose the same (allocations.ts).
 */
export const reserveAddresses: Action<UpContext> = {
  title: "Reserve host ports and the lab network's subnet",
  skip: skipWhenUp,
  async run(ctx, report) {
    const subnet = await withAllocations(ctx.topology.lab, async (claims) => {
      // Read again inside the lock: an up that has ended since the first read made its network and containers.
      const [containers, networks, routes] = await Promise.all([ctx.engine.listContainers({}), ctx.engine.networkSubnets(), localRoutedSubnets()]);
      ctx.engineObjects = { ...ctx.engineObjects!, containers, networks };
      await assignPorts(ctx, claims);
      const chosen = chooseLabSubnet(ctx, claims, routes);
      const ports = [ctx.spec.registryPort, ...ctx.spec.ports.map((p) => p.host)];
      return { result: chosen, claim: { subnet: chosen, bindAddress: ctx.spec.bindAddress, ports } };
    });
    ctx.topology = planTopology(ctx.spec, subnet);
    const ports = `registry ${ctx.spec.registryPort}, manager ${ctx.spec.ports.map((p) => p.host).join(', ') || 'none'}`;
    report(`${ports}; ${subnet}${ctx.notes.length > 0 ? `; ${ctx.notes.join('; ')}` : ''}`);
  },
};
