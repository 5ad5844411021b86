// How `up` makes a lab's containers from its compose file: through the Engine API (the
// default: lab/api-launch.ts), or through compose (compose/compose-client.ts, `launcher:
// compose`). Both are started before the file exists and handed it once the checks pass.
export interface Launch {
  /** Said on the step's line: "the Engine API", "docker-compose (v1)". */
  readonly label: string;
  /** Creates and starts what the compose file describes (what exists already is kept). */
  run(composeText: string): Promise<void>;
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
