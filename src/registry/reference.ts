// Image references, and the two names an image has in a lab: one for the host, one for the nodes.
import { REGISTRY_INNER_ADDRESS } from '../plan/topology.js';

export interface ImageReference {
  /** Registry host[:port], when the reference names one. */
  domain?: string;
  /** Repository path without the domain, e.g. `swarmlab/echo`. */
  path: string;
  tag: string;
}

/** Docker's rule: the first component is a registry when it has a dot or a port, or is localhost. */
export function parseReference(text: string): ImageReference {
  const withoutDigest = text.split('@')[0]!;
  const slash = withoutDigest.indexOf('/');
  let domain: string | undefined;
  let rest = withoutDigest;
  if (slash > 0) {
    const first = withoutDigest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      domain = first;
      rest = withoutDigest.slice(slash + 1);
    }
  }
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > rest.lastIndexOf('/');
  return { domain, path: hasTag ? rest.slice(0, colon) : rest, tag: hasTag ? rest.slice(colon + 1) : 'latest' };
}

export interface LabImageNames {
  /** What the host pushes: 127.0.0.1:5000/swarmlab/echo:offline */
  host: string;
  /** What services use inside the cluster: registry:5000/swarmlab/echo:offline */
  cluster: string;
}

/** The lab's names for an image; Docker Hub's implicit `library/` stays implicit. */
export function labImageNames(image: string, registryHostAddress: string): LabImageNames {
  const ref = parseReference(image);
  const path = ref.path.replace(/^library\//, '');
  return { host: `${registryHostAddress}/${path}:${ref.tag}`, cluster: `${REGISTRY_INNER_ADDRESS}/${path}:${ref.tag}` };
}

/**
 * A stack file written on the host may name the lab registry as the host sees it
 * (127.0.0.1:5000/app, localhost:5000/app); the nodes know it as registry:5000.
 * Returns the reference to use inside the cluster, or undefined when it needs no change.
 */
export function clusterReference(image: string, registryHostPort: number): string | undefined {
  const ref = parseReference(image);
  if (!ref.domain) return undefined;
  const hostSide = [`127.0.0.1:${registryHostPort}`, `localhost:${registryHostPort}`];
  if (!hostSide.includes(ref.domain)) return undefined;
  return `${REGISTRY_INNER_ADDRESS}/${image.slice(ref.domain.length + 1)}`;
}
