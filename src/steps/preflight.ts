// The first steps of `up`: the engine, the plan (lab/up-plan.ts, from facts read once under the
// machine-wide allocation lock), and whether the lab exists and is healthy. Nothing is created
// before these pass.

import type { EngineEndpoint } from '../engine/endpoint.js';
import type { Engine, EngineInfo } from '../engine/engine.js';
import { boundPortsNear } from '../engine/host-ports.js';
import { localRoutedSubnets } from '../engine/host-routes.js';
import { SpecError } from '../errors.js';
import { type Claim, withAllocations } from '../lab/allocations.js';
import { checkConfigWritable, contextsApply, readContext } from '../lab/docker-context.js';
import type { LabInventory } from '../lab/inventory.js';
import { withStoppedLabsPorts } from '../lab/stopped-ports.js';
import { claimantOf, containerPortHolders, planUp, type SpecChoices, type UpFacts, type UpPlan } from '../lab/up-plan.js';
import { SEARCH_SPAN } from '../plan/host-ports.js';
import { LABEL_LAB } from '../plan/labels.js';
import type { Topology } from '../plan/topology.js';
import type { LabSpec } from '../spec/types.js';
import type { SwarmNode } from '../swarm/node-model.js';
import { listSwarmNodes, localSwarmState, missingOrNotReady } from '../swarm/nodes.js';

/** 'Check the Docker engine': what it is; the plan checks it has what the spec asks (a runtime). */
export async function checkEngine(engine: Engine, report: (status: string) => void): Promise<EngineInfo> {
  const info = await engine.info();
  report(`Docker ${info.serverVersion}, cgroup v${info.cgroupVersion}`);
  return info;
}

/** Every fact the plan needs, read at once; `claims`: those of other ups in progress. */
async function readFacts(engine: Engine, endpoint: EngineEndpoint, info: EngineInfo, spec: LabSpec, claims: Claim[]): Promise<UpFacts> {
  const [listed, networks, volumes, routes] = await Promise.all([
    engine.listContainers({}),
    engine.networkSubnets(),
    engine.listVolumes({}),
    localRoutedSubnets(endpoint),
  ]);
  const containers = await withStoppedLabsPorts(engine, listed, spec.name);
  const byContainer = containerPortHolders(
    spec.bindAddress,
    containers.filter((c) => c.labels[LABEL_LAB] !== spec.name),
  );
  const starts = [spec.registryPort, spec.apiPort, ...spec.ports.map((p) => p.host)];
  const heldElsewise = (port: number) => byContainer.has(port) || claimantOf(claims, spec.bindAddress, port) !== undefined;
  const boundPorts = await boundPortsNear(spec.bindAddress, starts, SEARCH_SPAN, heldElsewise);
  const dockerContext = contextsApply(endpoint) ? { stored: await readContext(spec.name), configProblem: await checkConfigWritable() } : undefined;
  return { engine: info, containers, networks, volumes, routes, claims, boundPorts, dockerContext };
}

/**
 * "Plan the lab": the facts read and the plan made under the machine-wide allocation lock, its
 * ports and subnet claimed until this up ends, so that ups started at the same moment never
 * choose the same (lab/allocations.ts). Bad input or a foreign object in the way: thrown.
 */
export async function planLab(
  engine: Engine,
  endpoint: EngineEndpoint,
  info: EngineInfo,
  spec: LabSpec,
  choices: SpecChoices,
  report: (status: string) => void,
): Promise<UpPlan> {
  const result = await withAllocations(spec.name, async (claims) => {
    const planned = planUp(spec, await readFacts(engine, endpoint, info, spec, claims), choices);
    return { result: planned, claim: 'plan' in planned ? planned.plan.claim : undefined };
  });
  if ('problems' in result) throw new SpecError(result.problems);
  if ('error' in result) throw result.error;
  const { plan } = result;
  const ports = `registry ${plan.spec.registryPort}, API ${plan.spec.apiPort}, manager ${plan.spec.ports.map((p) => p.host).join(', ') || 'none'}`;
  report(`${ports}; ${plan.topology.subnet}${plan.notes.length > 0 ? `; ${plan.notes.join('; ')}` : ''}`);
  return plan;
}

/** What 'Look for an existing lab' found: the lab healthy as it is (its swarm's nodes, when it has one), or not. */
export type Existing = { healthy: true; nodes: SwarmNode[] } | { healthy: false };

const running = (inventory: LabInventory, topology: Topology) =>
  inventory.registry?.state === 'running' && topology.nodes.every((n) => inventory.nodes.get(n.name)?.state === 'running');

/** The swarm's nodes when every node runs and is in the swarm, Ready; undefined otherwise. */
export async function readSwarmIfHealthy(engine: Engine, topology: Topology, inventory: LabInventory): Promise<SwarmNode[] | undefined> {
  if (!running(inventory, topology)) return undefined;
  // The manager may still list a node Ready that has just left: every node is asked itself
  // too, in the same round of execs (each is a process the engine starts: a repeat up is
  // mostly these).
  const [first] = topology.nodes;
  if (!first) return undefined;
  const [nodes, states] = await Promise.all([
    listSwarmNodes(engine, first.containerName).catch(() => undefined),
    Promise.all(topology.nodes.map((n) => localSwarmState(engine, n.containerName))),
  ]);
  const wanted = topology.nodes.map((n) => n.name);
  if (!nodes || missingOrNotReady(nodes, wanted).length > 0 || states.some((s) => s !== 'active')) return undefined;
  return nodes;
}

/** For `up --no-swarm`: the registry and every node run, and every node's daemon answers. */
async function daemonsAnswer(engine: Engine, topology: Topology, inventory: LabInventory): Promise<boolean> {
  if (!running(inventory, topology)) return false;
  const states = await Promise.all(topology.nodes.map((n) => localSwarmState(engine, n.containerName)));
  return states.every((s) => s !== undefined);
}

/** 'Look for an existing lab': whether the lab is there and healthy, and if not, what up will change. */
export async function checkExisting(engine: Engine, plan: UpPlan, noSwarm: boolean, report: (status: string) => void): Promise<Existing> {
  const { before, topology } = plan;
  if (before.containers.length === 0) {
    report('none: creating it');
    return { healthy: false };
  }
  let existing: Existing = { healthy: false };
  if (noSwarm) {
    if (await daemonsAnswer(engine, topology, before)) existing = { healthy: true, nodes: [] };
  } else {
    const nodes = await readSwarmIfHealthy(engine, topology, before);
    if (nodes) existing = { healthy: true, nodes };
  }
  report(existing.healthy ? 'up and healthy: nothing to do' : changesLine(plan.containerChanges));
  return existing;
}

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
