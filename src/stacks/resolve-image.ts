// Whether `docker stack deploy` may resolve the stack's images. Pure.
import type { ImagePlatform } from '../engine/engine.js';
import { goArchitecture, imagesNeedingEmulation, KNOWN_PLATFORMS } from '../images/platforms.js';
import type { StackFile } from './stack-file.js';

export interface ResolveImage {
  /** Added to `docker stack deploy`: none, or `--resolve-image never`. */
  flags: string[];
  /** Why, in one line, when there are flags. */
  note?: string;
}

/** The image of every service that names one. */
export function stackImages(stack: StackFile): string[] {
  return Object.values(stack.services).flatMap((service) => (typeof service.image === 'string' ? [service.image] : []));
}

/**
 * Resolving an image makes the swarm pin its digest and the platforms it has, so on nodes of
 * another architecture its tasks stay pending ("no suitable node (unsupported platform)"),
 * although Docker Desktop would run it under emulation (docker/for-mac#6724). Unresolved, no
 * platform constraint is added; only then is an image with no build for the nodes sent to them.
 */
export function resolveImageFor(
  images: readonly string[],
  nodeArchitecture: string,
  table: Readonly<Record<string, readonly ImagePlatform[]>> = KNOWN_PLATFORMS,
): ResolveImage {
  const emulated = imagesNeedingEmulation(images, nodeArchitecture, table);
  if (emulated.length === 0) return { flags: [] };
  const arch = goArchitecture(nodeArchitecture);
  const which = emulated.map((e) => `${e.image} (${e.builds.map((b) => `linux/${b}`).join(', ')})`).join(', ');
  return {
    flags: ['--resolve-image', 'never'],
    note: `deployed with --resolve-image never: no ${arch} build of ${which}; resolved, its tasks would wait for a node of its platform, so the ${arch} nodes run it under emulation`,
  };
}
