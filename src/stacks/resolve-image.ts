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

/** Why `--resolve-image never` is added for nodes that are not amd64, in one line. */
function unresolvedNote(nodeArchitecture: string): string {
  return `swarmlab: added --resolve-image never: these nodes are ${goArchitecture(nodeArchitecture)} and the course's images have amd64 builds only; resolved, their tasks would wait for an amd64 node`;
}

/** The flags a command written in an exercise adds for these nodes: `--resolve-image never` off amd64, else none. */
export function resolveImageFlags(nodeArchitecture: string): string[] {
  return goArchitecture(nodeArchitecture) === 'amd64' ? [] : ['--resolve-image', 'never'];
}

/** `docker service create|update` that does not say --resolve-image itself: the commands serviceArgumentsFor may change. */
export function resolvesAnImage(args: readonly string[]): boolean {
  const isServiceChange = args[0] === 'service' && (args[1] === 'create' || args[1] === 'update');
  return isServiceChange && !args.some((a) => a === '--resolve-image' || a.startsWith('--resolve-image='));
}

/**
 * A `docker service create` or `service update` run through \`swarmlab docker\`, on nodes that are
 * not amd64: with `--resolve-image never` added unless it names --resolve-image itself. Every
 * image of the course is built for amd64 only (KNOWN_PLATFORMS), and so are the course's own
 * tags of them (registry:5000/ops/web:v1 is the echo image); an image that has a build for the
 * nodes loses nothing unresolved but its digest pin, which a lab does not need. Pure.
 */
export function serviceArgumentsFor(args: readonly string[], nodeArchitecture: string): { args: string[]; note?: string } {
  const flags = resolveImageFlags(nodeArchitecture);
  if (flags.length === 0 || !resolvesAnImage(args)) return { args: [...args] };
  return { args: [...args.slice(0, 2), ...flags, ...args.slice(2)], note: unresolvedNote(nodeArchitecture) };
}
