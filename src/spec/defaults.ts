import type { LabSpec } from './types.js';

// Pinned to a major version so a lab made today comes up the same way next month.
export const DEFAULT_NODE_IMAGE = 'docker:28-dind';
export const DEFAULT_REGISTRY_IMAGE = 'registry:2';

/** The defaults, with the image env overrides applied (env changes the default, not a file's choice). */
export function defaultSpec(env: Record<string, string | undefined> = {}): LabSpec {
  return {
    name: 'swarmlab',
    managers: 1,
    workers: 3,
    nodeImage: env.SWARMLAB_NODE_IMAGE || DEFAULT_NODE_IMAGE,
    registryImage: env.SWARMLAB_REGISTRY_IMAGE || DEFAULT_REGISTRY_IMAGE,
    registryPort: 5000,
    ports: [
      { host: 8000, container: 80 },
      { host: 9000, container: 9000 },
    ],
    bindAddress: '127.0.0.1',
  };
}
