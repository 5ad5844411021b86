// `up` planned once: from the spec and what the engine and this machine hold (the facts), the
// lab to make or keep: its node counts, host ports, subnet, topology, and what it changes in a
// lab that exists. Every later step reads this plan; none plans again. Pure: the facts are read
// in steps/up-facts.ts, under the machine-wide allocation lock.
import type { ContainerInfo, EngineInfo, NamedObject } from '../engine/engine.js';
import { LabError, type SpecProblem } from '../errors.js';
import { chooseSubnet } from '../plan/addresses.js';
import { fitSpecToLab, shapeOf } from '../plan/existing-shape.js';
import { assignHostPorts, type PortAssignment, type PortContext } from '../plan/host-ports.js';
import { LABEL_LAB, LABEL_NODE } from '../plan/labels.js';
import { API_INNER_PORT, planTopology, type Topology } from '../plan/topology.js';
import type { LabSpec } from '../spec/types.js';
import { runtimeProblem } from '../spec/validate.js';
import { foreignContextError, type StoredContext } from './docker-context.js';
import { firstManager, inventoryOf, type LabInventory, registryBinding } from './inventory.js';

/** What another up in progress has chosen and not made yet (lab/allocations.ts). */
export interface ClaimSeen {
  lab: string;
  subnet: string;
  bindAddress: string;
  ports: number[];
}

export interface UpFacts {
  engine: EngineInfo;
  /** Every container, network and volume on the engine, read at once. */
  containers: ContainerInfo[];
  networks: (NamedObject & { subnets: string[] })[];
  volumes: NamedObject[];
  /** The subnets this machine routes (another engine's bridges). */
  routes: string[];
  /** Choices of other ups in progress. */
  claims: ClaimSeen[];
  /** Host ports a bind on the bind address found held, for every port the plan may look at. */
  boundPorts: Set<number>;
  /** The lab's docker context as stored, and whether one can be written; undefined where labs get none (an engine elsewhere). */
  dockerContext?: { stored: StoredContext; configProblem?: LabError };
}

/** How the spec's fields were given: defaults may move, choices may not. */
export interface SpecChoices {
  chosen: Set<keyof LabSpec>;
  nameOf: (field: keyof LabSpec) => string;
  /** `up --mode`, when given. */
  mode?: 'privileged' | 'capabilities';
}

export interface UpPlan {
  /** The spec as planned: the lab's own node counts, the ports it gets. */
  spec: LabSpec;
  topology: Topology;
  /** What the lab had before this up. */
  before: LabInventory;
  /** Lines worth repeating under the final table (moved ports, kept counts, warnings). */
  notes: string[];
  /** What making the lab changes, in words ("added worker04", "started worker01 (was exited)"), should it not be whole. */
  containerChanges: string[];
  /** The node volumes this up makes: those nodes' daemons start from nothing (slower the first time). */
  newVolumes: string[];
  /** What this up reserves until it ends, so that ups beside it choose other ports and subnets. */
  claim: Omit<ClaimSeen, 'lab'>;
}

/** The plan, or why there is none: bad input (a SpecError's problems), or the engine in the way. */
export type UpPlanResult = { plan: UpPlan } | { problems: SpecProblem[] } | { error: LabError };

export function planUp(spec: LabSpec, facts: UpFacts, choices: SpecChoices): UpPlanResult {
  const runtime = runtimeProblems(spec, facts.engine.runtimes, choices);
  if (runtime.length > 0) return { problems: runtime };
  const lab = spec.name;
  const before = inventoryOf(
    lab,
    facts.containers.filter((c) => c.labels[LABEL_LAB] === lab),
  );
  // A node whose container was removed by hand still has its data volume: it is part of the
  // lab's shape, to be recreated, even when it was the last worker.
  // A lab without containers is made anew, as the spec says.
  const nodesWithData = facts.volumes.filter((v) => v.labels[LABEL_LAB] === lab).flatMap((v) => v.labels[LABEL_NODE] ?? []);
  const labNodeNames = before.containers.length === 0 ? [] : [...new Set([...before.nodes.keys(), ...nodesWithData])];
  const fitted = fitSpecToLab(spec, choices.chosen, choices.nameOf, labNodeNames);
  if (fitted.problems.length > 0) return { problems: fitted.problems };
  const named = planTopology(fitted.spec);
  const foreign = foreignObjects(named, facts);
  if (foreign) return { error: foreign };
  if (facts.dockerContext?.configProblem) return { error: facts.dockerContext.configProblem };
  if (facts.dockerContext?.stored.kind === 'foreign') return { error: foreignContextError(lab) };
  const ports = assignPorts(fitted.spec, facts, choices, before);
  if (ports.problems.length > 0) return { problems: ports.problems };
  const subnet = chooseLabSubnet(named, facts);
  if (!subnet) {
    return {
      error: new LabError('no free /24 left in 10.210.0.0/16 on this engine', {
        fix: 'remove labs or networks you no longer use (swarmlab ls, docker network ls)',
      }),
    };
  }
  const planned = ports.spec;
  const topology = planTopology(planned, subnet);
  const notes = [...fitted.notes, ...ports.moves.map((m) => `port moved: ${m}`)];
  if (planned.bindAddress !== '127.0.0.1') {
    notes.push(`warning: ports bind to ${planned.bindAddress}: the lab registry (no TLS, no login) and the manager's ports are reachable from your network`);
  }
  return {
    plan: {
      spec: planned,
      topology,
      before,
      notes,
      newVolumes: topology.nodes.map((n) => n.volumeName).filter((v) => !facts.volumes.some((have) => have.name === v)),
      containerChanges: before.containers.length === 0 ? [] : containerChanges(topology, before, labNodeNames),
      claim: { subnet, bindAddress: planned.bindAddress, ports: [planned.registryPort, planned.apiPort, ...planned.ports.map((p) => p.host)] },
    },
  };
}

/** A runtime the engine lacks, or --mode beside a runtime (whose nodes are neither privileged nor given capabilities). */
function runtimeProblems(spec: LabSpec, engineRuntimes: string[], choices: SpecChoices): SpecProblem[] {
  const { runtime } = spec;
  if (runtime === undefined) return [];
  const missing = runtimeProblem(runtime, engineRuntimes, choices.nameOf('runtime'));
  if (missing) return [missing];
  if (choices.mode === undefined) return [];
  return [
    {
      field: '--mode',
      problem: `does not apply under runtime ${runtime} (nodes run unprivileged under it)`,
      fix: `leave out --mode, or ${choices.nameOf('runtime').startsWith('--') ? 'leave out --runtime' : 'remove runtime from swarmlab.yaml'}`,
    },
  ];
}

/** Objects named as the lab's own would be but without its label: not ours, so never touched. */
function foreignObjects(topology: Topology, facts: UpFacts): LabError | undefined {
  const ours = (labels: Record<string, string>) => labels[LABEL_LAB] === topology.lab;
  const containerNames = new Set([topology.registry.containerName, ...topology.nodes.map((n) => n.containerName)]);
  const volumeNames = new Set(topology.nodes.map((n) => n.volumeName));
  const foreign = [
    ...facts.containers.filter((c) => containerNames.has(c.name) && !ours(c.labels)).map((c) => `container ${c.name}`),
    ...facts.networks.filter((n) => n.name === topology.network && !ours(n.labels)).map((n) => `network ${n.name}`),
    ...facts.volumes.filter((v) => volumeNames.has(v.name) && !ours(v.labels)).map((v) => `volume ${v.name}`),
  ];
  if (foreign.length === 0) return undefined;
  const them = foreign.length === 1 ? 'it' : 'them';
  return new LabError(
    `${foreign.join(', ')} already exist${foreign.length === 1 ? 's' : ''} without the label ${LABEL_LAB}=${topology.lab}, so swarmlab did not make ${them} and will not touch ${them}`,
    { fix: `remove or rename ${them}, or choose another lab name with --name` },
  );
}

/** Who holds a host port on `address` among other ups' claims, in words. */
export function claimantOf(claims: ClaimSeen[], address: string, port: number): string | undefined {
  const claim = claims.find((c) => c.ports.includes(port) && (c.bindAddress === address || c.bindAddress === '0.0.0.0' || address === '0.0.0.0'));
  return claim && `lab ${claim.lab} (being brought up)`;
}

/** Host ports other containers publish on `address` (or on every address), by port: `container NAME`. */
export function containerPortHolders(address: string, others: ContainerInfo[]): Map<number, string> {
  const byPort = new Map<number, string>();
  for (const c of others) {
    for (const p of c.ports) {
      if (p.hostIp === address || p.hostIp === '0.0.0.0' || p.hostIp === '' || address === '0.0.0.0') byPort.set(p.hostPort, `container ${c.name}`);
    }
  }
  return byPort;
}

/** Host ports for the lab: the lab's own, a free default, or the user's choice if free. */
function assignPorts(spec: LabSpec, facts: UpFacts, choices: SpecChoices, own: LabInventory): PortAssignment {
  const others = facts.containers.filter((c) => c.labels[LABEL_LAB] !== spec.name);
  const byContainer = containerPortHolders(spec.bindAddress, others);
  return assignHostPorts(spec, {
    chosen: choices.chosen,
    nameOf: choices.nameOf,
    holderOf: (port) =>
      claimantOf(facts.claims, spec.bindAddress, port) ?? byContainer.get(port) ?? (facts.boundPorts.has(port) ? 'another program' : undefined),
    existing: publishedPorts(own),
  });
}

/** The host ports a lab's own containers publish, by what they serve: kept by `up`, and by doctor's check. */
export function publishedPorts(own: LabInventory): PortContext['existing'] {
  const manager = firstManager(own);
  return {
    registry: registryBinding(own)?.hostPort,
    api: manager?.ports.find((p) => p.containerPort === API_INNER_PORT)?.hostPort,
    manager: new Map((manager?.ports ?? []).filter((p) => p.containerPort !== API_INNER_PORT).map((p) => [p.containerPort, p.hostPort] as const)),
  };
}

/**
 * The lab's /24: its network's, kept for life (node addresses must not change), else the first
 * one that no network of the engine, no claim of an up in progress and no route of this host uses.
 */
function chooseLabSubnet(topology: Topology, facts: UpFacts): string | undefined {
  const own = facts.networks.find((n) => n.name === topology.network && n.labels[LABEL_LAB] === topology.lab);
  return own?.subnets[0] ?? chooseSubnet([...facts.networks.flatMap((n) => n.subnets), ...facts.claims.map((c) => c.subnet), ...facts.routes]);
}

/** Which containers the launch will make or start, in words: a node beyond the lab's shape is added. */
export function containerChanges(topology: Topology, before: LabInventory, labNodeNames: string[]): string[] {
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
