// Whether an image has a build for the CPU of the lab's nodes, or runs there only under
// emulation. Pure: what the engine says and what is known of the image come in as arguments.
import type { ImagePlatform } from '../engine/engine.js';
import { parseReference } from '../registry/reference.js';

/**
 * `docker info` names the CPU as the kernel does (uname -m: x86_64, aarch64); manifests, image
 * inspect and swarm's placement use Go's names (amd64, arm64). Everything here speaks Go's.
 */
const GO_ARCHITECTURE: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  arm64v8: 'arm64',
  armv7l: 'arm',
  armv6l: 'arm',
  armhf: 'arm',
  i386: '386',
  i686: '386',
};

export function goArchitecture(name: string): string {
  const lower = name.trim().toLowerCase();
  return GO_ARCHITECTURE[lower] ?? lower;
}

const AMD64_ONLY: readonly ImagePlatform[] = [{ os: 'linux', architecture: 'amd64' }];

/**
 * The course's images whose builds are known. Each is linux/amd64 only: its published manifest
 * on Docker Hub is a single image manifest (no manifest list) whose config says amd64; they were
 * pushed in 2016-2018, before multi-arch builds were usual. Taken from those manifests as issue 25
 * reports them: the machine this table was written on reaches no registry, so it could not read
 * them again. Keyed by repository and tag without the registry: the lab registry's copy
 * (registry:5000/gihyodocker/echo:latest) is the same build. Should someone push a native build
 * under one of these names, a wrong entry costs little: deploy then skips pinning its digest.
 */
export const KNOWN_PLATFORMS: Readonly<Record<string, readonly ImagePlatform[]>> = {
  'gihyodocker/echo:latest': AMD64_ONLY,
  'gihyodocker/nginx-proxy:latest': AMD64_ONLY,
  'dockersamples/visualizer:latest': AMD64_ONLY,
  'dockercloud/haproxy:latest': AMD64_ONLY,
};

/** `registry:5000/gihyodocker/echo` and `docker.io/library/nginx@sha256:...` -> `gihyodocker/echo:latest`, `nginx:latest`. */
export function platformKey(image: string): string {
  const ref = parseReference(image);
  return `${ref.path.replace(/^library\//, '')}:${ref.tag}`;
}

/** What the table knows of an image's builds; undefined when it knows nothing. */
export function knownPlatforms(
  image: string,
  table: Readonly<Record<string, readonly ImagePlatform[]>> = KNOWN_PLATFORMS,
): readonly ImagePlatform[] | undefined {
  return table[platformKey(image)];
}

/**
 * How an image fits nodes of one architecture: `native` (it has their build), `emulated` (it has
 * only builds for others, listed), or `unknown` (nothing is known of its linux builds).
 */
export type PlatformFit = { fit: 'native' } | { fit: 'emulated'; builds: string[] } | { fit: 'unknown' };

export function platformFit(nodeArchitecture: string, platforms: readonly ImagePlatform[] | undefined): PlatformFit {
  // Only linux builds run on the nodes; a manifest list's attestations say os `unknown`.
  const builds = [...new Set((platforms ?? []).filter((p) => p.os.toLowerCase() === 'linux').map((p) => goArchitecture(p.architecture)))];
  const node = goArchitecture(nodeArchitecture);
  // Nodes whose CPU is not said (an empty answer) are not taken for another CPU.
  if (builds.length === 0 || node === '') return { fit: 'unknown' };
  return builds.includes(node) ? { fit: 'native' } : { fit: 'emulated', builds };
}

export interface EmulatedImage {
  image: string;
  /** The architectures it has builds for, none of them the nodes'. */
  builds: string[];
}

/** The images, each once, that the table says have no build for the nodes' architecture. */
export function imagesNeedingEmulation(
  images: readonly string[],
  nodeArchitecture: string,
  table: Readonly<Record<string, readonly ImagePlatform[]>> = KNOWN_PLATFORMS,
): EmulatedImage[] {
  return [...new Set(images)].flatMap((image) => {
    const fit = platformFit(nodeArchitecture, knownPlatforms(image, table));
    return fit.fit === 'emulated' ? [{ image, builds: fit.builds }] : [];
  });
}

/**
 * Whether the engine runs other architectures' images. Docker Desktop's VM registers binfmt
 * handlers (QEMU, or Rosetta on Apple Silicon) kernel-wide, so dind nodes inherit them. A Linux
 * host may have them too (qemu-user-static), but the Engine API does not say so.
 */
export function engineEmulates(operatingSystem: string): boolean {
  return /docker desktop/i.test(operatingSystem);
}
