// What `up` is given, and what its building steps share once the lab is planned.
import type { EngineEndpoint } from '../engine/endpoint.js';
import type { ContainerInfo, Engine, EngineInfo } from '../engine/engine.js';
import type { Launch, RenderedLab } from '../engine/launch.js';
import type { LabPaths } from '../lab/paths.js';
import type { SpecChoices, UpPlan } from '../lab/up-plan.js';
import type { LabSpec } from '../spec/types.js';
import type { Timeouts } from '../swarm/bootstrap.js';
import type { SwarmNode } from '../swarm/node-model.js';

/** An `up` as asked: the lab's spec and how its fields were given, and where it runs. */
export interface UpRequest {
  spec: LabSpec;
  choices: SpecChoices;
  paths: LabPaths;
  engine: Engine;
  /** Where `engine` is: the lab's lock, its docker context and the host routes it avoids depend on it. */
  endpoint: EngineEndpoint;
  timeouts: Timeouts;
  /** What makes the containers (the Engine API, or compose), started before the checks and waiting for the file. */
  launch: Promise<Launch>;
  /** Aborted when a step fails or the user interrupts, so the waits beside it stop. */
  abort: AbortController;
  /** `up --no-swarm`: nodes whose daemons answer, no swarm formed (for forming it by hand). */
  noSwarm: boolean;
  /** `up --use-context`: the lab's docker context becomes the docker CLI's current one. */
  useContext: boolean;
}

/** What the steps that make the lab share: everything is known, only the swarm's nodes and the repairs grow. */
export interface BuildContext {
  request: UpRequest;
  plan: UpPlan;
  engineInfo: EngineInfo;
  rendered: RenderedLab;
  /** The engine's pull-through mirror, when the lab uses it. */
  mirror?: ContainerInfo;
  /** The swarm's nodes, as last read. */
  nodes: SwarmNode[];
  /** What this up mended or added, one line each. */
  repairs: string[];
}

/** What an `up` made: the plan it followed, the swarm's nodes, and what it mended or added. */
export interface UpResult {
  plan: UpPlan;
  nodes: SwarmNode[];
  repairs: string[];
  /** Lines for under the final table, besides the plan's. */
  notes: string[];
}
