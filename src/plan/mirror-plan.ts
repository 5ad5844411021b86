// The engine's shared pull-through mirror, as data: one registry in proxy mode per engine, which
// every lab started with `mirror: true` reaches on its own network, so N labs pulling one Docker
// Hub image fetch it from upstream once. Pure: the container to make, where labs find it, and
// how to read its counters.
import type { ContainerSpec } from '../engine/engine.js';
import { hostAddress } from './addresses.js';

/** On the mirror's container and volume: what swarmlab made for the mirror, never a lab's. */
export const LABEL_MIRROR = 'dev.swarmlab.mirror';
/** On a lab's network: the lab's nodes pull through the mirror, so the mirror joins it. */
export const LABEL_USES_MIRROR = 'dev.swarmlab.uses-mirror';
const LABEL_UPSTREAM = 'dev.swarmlab.mirror.upstream';

export const MIRROR_CONTAINER = 'swarmlab-mirror';
export const MIRROR_VOLUME = 'swarmlab-mirror-data';
/** The name the nodes use; the mirror answers to it on every lab network it joins. */
export const MIRROR_HOSTNAME = 'swarmlab-mirror';
const MIRROR_PORT = 5000;
/** Its address in a lab's /24: far above the registry (.2), managers (.10) and workers (.100-.149). */
const MIRROR_HOST = 250;

export const DEFAULT_UPSTREAM = 'https://registry-1.docker.io';
/** What the registry prints once it serves. */
export const READY_LINE = 'listening on';

/** The dockerd flags a node needs to pull Docker Hub images through the mirror. */
export function nodeMirrorFlags(): string[] {
  const at = `${MIRROR_HOSTNAME}:${MIRROR_PORT}`;
  return ['--registry-mirror', `http://${at}`, '--insecure-registry', at];
}

/** The mirror's fixed address on a lab network. */
export function mirrorAddress(subnet: string): string {
  return hostAddress(subnet, MIRROR_HOST);
}

export interface MirrorOptions {
  image: string;
  upstream: string;
  /** A network of the engine to start on, when upstream is reached through it (default: the engine's bridge). */
  network?: string;
}

/** `--upstream`: an http(s) URL of a registry, nothing after the host and port. */
export function upstreamProblem(upstream: string): string | undefined {
  let url: URL;
  try {
    url = new URL(upstream);
  } catch {
    return `${JSON.stringify(upstream)} is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must start with https:// or http:// (got ${url.protocol})`;
  if (url.pathname !== '/' || url.search || url.hash) return 'must name only the registry, e.g. https://registry-1.docker.io';
  return undefined;
}

export function mirrorContainerSpec(options: MirrorOptions): ContainerSpec {
  return {
    name: MIRROR_CONTAINER,
    image: options.image,
    hostname: MIRROR_HOSTNAME,
    labels: { [LABEL_MIRROR]: 'true', [LABEL_UPSTREAM]: options.upstream },
    env: {
      // The distribution registry's own settings, as environment: proxy mode.
      REGISTRY_PROXY_REMOTEURL: options.upstream,
      // At info it says "listening on" once it serves: what `mirror up` waits for.
      REGISTRY_LOG_LEVEL: 'info',
      REGISTRY_STORAGE_DELETE_ENABLED: 'true',
    },
    privileged: false,
    capAdd: [],
    capDrop: [],
    securityOpt: [],
    // Nothing published: only the labs' nodes use it, over their own networks.
    ports: [],
    binds: [`${MIRROR_VOLUME}:/var/lib/registry`],
    // The registry checks upstream as it starts (and exits when it cannot reach it), so it
    // starts where upstream is in reach: the engine's bridge unless told. Labs' networks come later.
    network: options.network ?? 'bridge',
    aliases: [],
  };
}

export function upstreamOf(labels: Record<string, string>): string {
  return labels[LABEL_UPSTREAM] ?? '?';
}

export interface MirrorCounters {
  /** Blob downloads the mirror served to nodes. */
  served: number;
  /** The first download of each blob: fetched from upstream (or found in a cache an earlier mirror left). */
  misses: number;
  /** Every later download of a blob: served from the cache, upstream not asked. */
  hits: number;
  /** Bytes of blobs served to nodes. */
  bytesServed: number;
}

const BLOB_GET = /"GET \/v2\/\S+\/blobs\/(sha256:[0-9a-f]{64}) HTTP\/[\d.]+" 200 (\d+)/g;

/**
 * Hits and misses out of the mirror's own access log. Not the registry's expvar counters:
 * distribution 2.8 counts every blob request there as a hit and none as a miss (measured).
 */
export function countBlobDownloads(accessLog: string): MirrorCounters {
  const seen = new Set<string>();
  let served = 0;
  let bytesServed = 0;
  for (const match of accessLog.matchAll(BLOB_GET)) {
    served++;
    bytesServed += Number(match[2]);
    seen.add(match[1]!);
  }
  return { served, misses: seen.size, hits: served - seen.size, bytesServed };
}
