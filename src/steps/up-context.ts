// What the steps of `up` share: the lab being made, the engine, and what each step found.
import type { ContainerInfo, Engine, EngineInfo, NamedObject } from '../engine/engine.js';
import type { Launch } from '../engine/launch.js';
import type { LabInventory } from '../lab/inventory.js';
import type { LabPaths } from '../lab/paths.js';
import type { NodeSecurity } from '../plan/compose.js';
import type { Topology } from '../plan/topology.js';
import type { LabSpec } from '../spec/types.js';
import type { Timeouts } from '../swarm/bootstrap.js';
import type { SwarmNode } from '../swarm/nodes.js';

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
  /** Every container, network and volume on the engine, read once for the name, port and subnet checks. */
  engineObjects?: EngineObjects;
  /** The lab was up and healthy already: nothing to do. */
  alreadyUp?: boolean;
  engineInfo?: EngineInfo;
  security?: NodeSecurity;
  /** What makes the containers (the Engine API, or compose), started before the checks and waiting for the file. */
  launch: Promise<Launch>;
  /** The rendered compose file, handed to the launch. */
  composeText?: string;
  nodes?: SwarmNode[];
  /** The engine's pull-through mirror, when the lab uses it. */
  mirror?: ContainerInfo;
  /** Aborted when starting the containers fails, so the swarm steps beside it stop waiting. */
  abort: AbortController;
  /** What this up mended in a lab that existed but was not whole, one line each. */
  repairs: string[];
  /** `up --no-swarm`: nodes whose daemons answer, no swarm formed (for forming it by hand). */
  noSwarm?: boolean;
  /** `up --mode`: how nodes run, instead of the probe's answer. */
  mode?: 'privileged' | 'capabilities';
}

export interface EngineObjects {
  containers: ContainerInfo[];
  networks: (NamedObject & { subnets: string[] })[];
  volumes: NamedObject[];
}

export const skipWhenUp = (ctx: UpContext): string | false => (ctx.alreadyUp ? 'already up' : false);

/** Steps about the swarm do nothing for `up --no-swarm`. */
export const skipWithoutSwarm = (ctx: UpContext): string | false => skipWhenUp(ctx) || (ctx.noSwarm ? 'no swarm (--no-swarm)' : false);
