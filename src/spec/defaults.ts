import { DEFAULT_NODE_CUTS } from './node-cuts.js';
import type { LabSpec } from './types.js';

// The maintained line (docker-library builds 29 only; 28's tags froze on 2025-11-10), pinned to a
// minor version so a lab made today comes up the same way next month: a new minor of dockerd
// has changed what nodes do (29.0 raised the minimum API version). docs/nodes.md says why.
export const DEFAULT_NODE_IMAGE = 'docker:29.7-dind';
export const DEFAULT_REGISTRY_IMAGE = 'registry:2';

/** The images the built-in course uses, by logical name: what the seeds pull from Docker Hub. */
export const DEFAULT_IMAGES: Readonly<Record<string, string>> = {
  echo: 'gihyodocker/echo:latest',
  proxy: 'gihyodocker/nginx-proxy:latest',
  visualizer: 'dockersamples/visualizer:latest',
  haproxy: 'dockercloud/haproxy:latest',
};

/** `SWARMLAB_IMAGE_<NAME>`: the env variable that changes a logical image's default. */
export function imageEnvName(name: string): string {
  return `SWARMLAB_IMAGE_${name.toUpperCase().replace(/-/g, '_')}`;
}

/** The default image map, with every SWARMLAB_IMAGE_<NAME> set in env (also names the course does not use). */
export function defaultImages(env: Record<string, string | undefined>): Record<string, string> {
  const images: Record<string, string> = { ...DEFAULT_IMAGES };
  for (const [key, value] of Object.entries(env)) {
    const match = /^SWARMLAB_IMAGE_([A-Z][A-Z0-9_]*)$/.exec(key);
    if (match && value) images[match[1]!.toLowerCase().replace(/_/g, '-')] = value;
  }
  return images;
}

/** The defaults, with the image env overrides applied (env changes the default, not a file's choice). */
export function defaultSpec(env: Record<string, string | undefined> = {}): LabSpec {
  return {
    name: 'swarmlab',
    managers: 1,
    workers: 3,
    nodeImage: env.SWARMLAB_NODE_IMAGE || DEFAULT_NODE_IMAGE,
    registryImage: env.SWARMLAB_REGISTRY_IMAGE || DEFAULT_REGISTRY_IMAGE,
    registryPort: 5000,
    apiPort: 2376,
    ports: [
      { host: 8000, container: 80 },
      { host: 9000, container: 9000 },
    ],
    bindAddress: '127.0.0.1',
    images: defaultImages(env),
    launcher: 'api',
    mirror: false,
    nodeCuts: [...DEFAULT_NODE_CUTS],
  };
}
