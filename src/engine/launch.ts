// How `up` makes a lab's containers from its compose file: through the Engine API (the
// default: lab/api-launch.ts), or through compose (compose/compose-client.ts, `launcher:
// compose`). Both are started before the lab is rendered and handed it once the checks pass.
import type { ContainerSpec, NetworkSpec, VolumeSpec } from './engine.js';

/** What the Engine API must create for a lab (plan/engine-plan.ts makes it from the compose model). */
export interface EnginePlan {
  network: NetworkSpec;
  volumes: VolumeSpec[];
  /** In the order they start: a service before those that depend on it. */
  containers: (ContainerSpec & { service: string; dependsOn: string[] })[];
}

/** A lab rendered: the compose file's text (compose reads it) and what the Engine API makes of it. */
export interface RenderedLab {
  composeText: string;
  /** The same lab for Compose v1, which refuses keys it does not know (see forComposeV1). */
  composeTextV1: string;
  enginePlan: EnginePlan;
}

export interface Launch {
  /** Said on the step's line: "the Engine API", "docker-compose (v1)". */
  readonly label: string;
  /** Creates and starts what the rendered lab describes (what exists already is kept). */
  run(lab: RenderedLab): Promise<void>;
  /** Settles when `run` has started every container, or given up. */
  readonly finished: Promise<void>;
  /**
   * Settles once `run` has started the named container (or found it running), or given up;
   * at once where the launch cannot tell. Until then, asking the engine about it is waste.
   */
  started(containerName: string): Promise<void>;
  /** Stops the work when `signal` aborts (Ctrl-C, a failed step beside it). */
  stopOn(signal: AbortSignal): Launch;
  /** Ends a launch that never got its file (the lab was up, or a check refused). */
  cancel(): void;
}
