// Reading a stack file and what `deploy` changes or checks in it. Pure.
import { parse, stringify } from 'yaml';
import { SpecError } from '../errors.js';
import { clusterReference } from '../registry/reference.js';

type Mapping = Record<string, unknown>;
export interface StackFile {
  services: Record<string, Mapping>;
  networks?: Record<string, Mapping | null>;
  [key: string]: unknown;
}

const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v);

export const STACK_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/;

export function parseStackFile(text: string, label: string): StackFile {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new SpecError([
      { field: label, problem: `not valid YAML: ${(err as Error).message.split('\n')[0]}`, fix: 'correct the YAML syntax of the stack file' },
    ]);
  }
  if (!isMapping(doc) || !isMapping(doc.services) || Object.keys(doc.services).length === 0) {
    throw new SpecError([{ field: label, problem: 'has no services', fix: 'a stack file needs a `services:` mapping (compose file format 3)' }]);
  }
  for (const [name, service] of Object.entries(doc.services)) {
    if (!isMapping(service))
      throw new SpecError([{ field: `${label}: services.${name}`, problem: 'must be a mapping', fix: 'give the service keys such as image:' }]);
  }
  return doc as StackFile;
}

export interface Rewrite {
  service: string;
  from: string;
  to: string;
}

/** Image references naming the registry as the host sees it become registry:5000/... */
export function rewriteImages(stack: StackFile, registryHostPort: number): { stack: StackFile; rewrites: Rewrite[] } {
  const rewrites: Rewrite[] = [];
  const services: Record<string, Mapping> = {};
  for (const [name, service] of Object.entries(stack.services)) {
    const image = service.image;
    const to = typeof image === 'string' ? clusterReference(image, registryHostPort) : undefined;
    if (to) rewrites.push({ service: name, from: image as string, to });
    services[name] = to ? { ...service, image: to } : service;
  }
  return { stack: { ...stack, services }, rewrites };
}

/** Names of the networks the file declares external: they must exist before the deploy. */
export function externalNetworks(stack: StackFile): string[] {
  return Object.entries(stack.networks ?? {})
    .filter(([, net]) => isMapping(net) && (net.external === true || isMapping(net.external)))
    .map(([key, net]) => {
      const external = (net as Mapping).external;
      if (isMapping(external) && typeof external.name === 'string') return external.name;
      return typeof (net as Mapping).name === 'string' ? ((net as Mapping).name as string) : key;
    });
}

/**
 * What in the stack needs the kernel's IPVS: services with the default VIP endpoint mode,
 * and ports published in ingress mode (the routing mesh).
 */
export function ipvsDependents(stack: StackFile): string[] {
  const found: string[] = [];
  for (const [name, service] of Object.entries(stack.services)) {
    const deploy = isMapping(service.deploy) ? service.deploy : {};
    if (deploy.endpoint_mode !== 'dnsrr') found.push(`${name}: VIP endpoint (set deploy.endpoint_mode: dnsrr)`);
  }
  return [...found, ...ingressPorts(stack).map((p) => `${p.service}: ingress port ${p.port} (publish with mode: host)`)];
}

/** The ports the stack publishes in ingress mode (the default), by service: `9000:8080`, or the published port of a long form. */
export function ingressPorts(stack: StackFile): { service: string; port: string }[] {
  return Object.entries(stack.services).flatMap(([service, spec]) =>
    (Array.isArray(spec.ports) ? spec.ports : [])
      .filter((port) => !isMapping(port) || port.mode !== 'host')
      .map((port) => ({ service, port: isMapping(port) ? String(port.published) : String(port) })),
  );
}

export function renderStackFile(stack: StackFile): string {
  return stringify(stack, { lineWidth: 0 });
}
