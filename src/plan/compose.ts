// Topology -> compose model -> YAML text. Pure: the template and the entry script come in as text.
import { parse, stringify } from 'yaml';
import { ENTRY_CUTS } from '../spec/node-cuts.js';
import { LABEL_LAB, LABEL_NODE, LABEL_ROLE } from './labels.js';
import { LABEL_USES_MIRROR, nodeMirrorFlags } from './mirror-plan.js';
import { API_INNER_PORT, type LabNode, REGISTRY_INNER_PORT, type Topology } from './topology.js';

/** How node containers get the rights dockerd needs. */
export type NodeSecurity =
  | { mode: 'privileged' }
  /** cap_add ALL minus `unavailableCapabilities` (the ones the host cannot grant). */
  | { mode: 'capabilities'; unavailableCapabilities: string[] }
  /**
   * Unprivileged, under an engine runtime that runs Docker-in-Docker itself (Sysbox): it gives
   * each node its own user namespace, writable cgroups and a virtualised /proc, and refuses
   * --privileged. So nothing is added: no capabilities, no seccomp or AppArmor change, no remount.
   */
  | { mode: 'runtime'; runtime: string };

export interface RenderInput {
  topology: Topology;
  security: NodeSecurity;
  /** templates/compose.yaml, as text. */
  templateText: string;
  /** templates/node-entry.sh, as text. */
  entryScript: string;
  /** Absolute host paths of the lab directory's folders. */
  registryDataDir: string;
  stackDir: string;
  /** The managers' Engine API certificate, key and CA (read-only in each manager at API_TLS_MOUNT). */
  apiTlsServerDir: string;
}

/** Where a manager finds its API's TLS files; the node's entry serves the API over TLS when they are there. */
export const API_TLS_MOUNT = '/swarmlab/api-tls';

/**
 * Nodes and the registry come back by themselves when the engine restarts (a Docker Desktop
 * update, a reboot); one stopped by `swarmlab stop` or a chaos drill stays down.
 */
const RESTART = 'unless-stopped';

/** A security_opt the docker CLI and Compose v2 translate (no masked or read-only /proc paths); the engine refuses it as such. */
export const SYSTEM_PATHS_UNCONFINED = 'systempaths=unconfined';

/** The rights a node service gets, as compose names them. */
interface SecurityFields {
  privileged?: boolean;
  cap_add?: string[];
  cap_drop?: string[];
  security_opt?: string[];
  runtime?: string;
}

/** A service of the rendered file: what both launchers make a container from. */
export interface ComposeService extends SecurityFields {
  image: string;
  /**
   * The node's own cgroup namespace: the official image's `dind` script nests dockerd's cgroups
   * inside the one it finds, which is only the node's own when the namespace is private (Docker's
   * default on cgroup v2, but a daemon's default-cgroupns-mode may say host). Compose v2 reads
   * this key; Compose v1 refuses it, so its file goes without (forComposeV1).
   */
  cgroup?: 'private';
  container_name: string;
  hostname: string;
  labels: Record<string, string>;
  environment?: Record<string, string>;
  entrypoint?: string[];
  command?: string[];
  restart?: string;
  ports?: string[];
  volumes: string[];
  networks: Record<string, { ipv4_address: string }>;
  depends_on?: string[];
}

/** The rendered file as data: `render` prints it, the Engine API launcher makes it (plan/engine-plan.ts). */
export interface ComposeModel {
  services: Record<string, ComposeService>;
  networks: Record<string, { name: string; labels: Record<string, string>; ipam: { config: { subnet: string }[] } }>;
  volumes: Record<string, { name: string; labels: Record<string, string> }>;
}

interface Template {
  registry: { environment?: Record<string, string> };
  node: { command: string[]; environment: Record<string, string> };
  privileged: SecurityFields;
  capabilities: SecurityFields & { environment?: Record<string, string> };
}

/** Compose interpolates `$VAR` in every value; a literal `$` is written `$$`. */
export function escapeForCompose(text: string): string {
  return text.replaceAll('$', '$$$$');
}

function securityFields(template: Template, security: NodeSecurity): SecurityFields {
  if (security.mode === 'privileged') return { ...template.privileged };
  if (security.mode === 'runtime') return { runtime: security.runtime };
  const { environment: _env, ...rest } = template.capabilities;
  const fields: SecurityFields = { ...rest };
  if (security.unavailableCapabilities.length > 0) fields.cap_drop = [...security.unavailableCapabilities];
  return fields;
}

function nodeService(
  node: LabNode,
  input: RenderInput,
  shared: { entrypoint: string[]; command: string[]; security: SecurityFields; environment: Record<string, string> },
): ComposeService {
  const { topology } = input;
  const isFirstManager = node === topology.nodes[0];
  const volumes = [`${node.name}-data:/var/lib/docker`];
  if (node.role === 'manager') volumes.unshift(`${escapeForCompose(input.stackDir)}:/stack`, `${escapeForCompose(input.apiTlsServerDir)}:${API_TLS_MOUNT}:ro`);
  const service: ComposeService = {
    image: topology.nodeImage,
    container_name: node.containerName,
    hostname: node.name,
    labels: { [LABEL_LAB]: topology.lab, [LABEL_ROLE]: node.role, [LABEL_NODE]: node.name },
    cgroup: 'private',
    ...shared.security,
    environment: shared.environment,
    entrypoint: shared.entrypoint,
    command: shared.command,
    restart: RESTART,
    volumes,
    networks: { lab: { ipv4_address: node.address } },
  };
  // The API on 127.0.0.1 only, whatever the lab's bind address: it is the swarm's root.
  if (isFirstManager) {
    service.ports = [
      ...topology.managerPorts.map((p) => `${topology.bindAddress}:${p.host}:${p.container}`),
      `127.0.0.1:${topology.apiPort}:${API_INNER_PORT}`,
    ];
  } else if (node.role === 'manager') {
    service.ports = [`127.0.0.1::${API_INNER_PORT}`];
  }
  // The first manager starts first, so `swarm init` runs while the other nodes' daemons are
  // still starting, and they can join as soon as they answer.
  if (!isFirstManager) service.depends_on = [topology.nodes[0]!.name];
  return service;
}

export function buildComposeModel(input: RenderInput): ComposeModel {
  const { topology } = input;
  const template = parse(input.templateText) as Template;
  const labLabel = { [LABEL_LAB]: topology.lab };

  // One object shared by every node: the YAML writer turns repeats into an anchor and aliases,
  // so the entry script appears once in the rendered file.
  const shared = {
    entrypoint: ['/bin/sh', '-c', escapeForCompose(input.entryScript), 'swarmlab-entry'],
    // With the mirror, every node's dockerd pulls Docker Hub images through it first.
    command: topology.mirror ? [...template.node.command, ...nodeMirrorFlags()] : template.node.command,
    security: securityFields(template, input.security),
    environment: {
      ...template.node.environment,
      ...(input.security.mode === 'capabilities' ? template.capabilities.environment : {}),
      // Read by the node entry; set even when empty, so the rendered file says which cuts a node has.
      SWARMLAB_CUTS: topology.nodeCuts.filter((cut) => ENTRY_CUTS.includes(cut)).join(' '),
    },
  };

  const services: Record<string, ComposeService> = {
    registry: {
      ...template.registry,
      image: topology.registry.image,
      container_name: topology.registry.containerName,
      hostname: 'registry',
      labels: { ...labLabel, [LABEL_ROLE]: 'registry' },
      restart: RESTART,
      ports: [`${topology.bindAddress}:${topology.registry.hostPort}:${REGISTRY_INNER_PORT}`],
      volumes: [`${escapeForCompose(input.registryDataDir)}:/var/lib/registry`],
      networks: { lab: { ipv4_address: topology.registry.address } },
    },
  };
  const volumes: ComposeModel['volumes'] = {};
  for (const node of topology.nodes) {
    services[node.name] = nodeService(node, input, shared);
    volumes[`${node.name}-data`] = { name: node.volumeName, labels: { ...labLabel, [LABEL_NODE]: node.name } };
  }
  return {
    services,
    networks: {
      lab: {
        name: topology.network,
        labels: topology.mirror ? { ...labLabel, [LABEL_USES_MIRROR]: 'true' } : labLabel,
        ipam: { config: [{ subnet: topology.subnet }] },
      },
    },
    volumes,
  };
}

/**
 * The model as Compose v1 takes it: v1 (1.29, its last) validates every key against its own
 * schema and refuses `cgroup`, so under v1 a node gets the daemon's default cgroup namespace.
 */
export function forComposeV1(model: ComposeModel): ComposeModel {
  const services = Object.fromEntries(
    Object.entries(model.services).map(([name, { cgroup: _cgroup, ...service }]) => {
      // docker-py hands security_opt to the engine as it is, and the engine knows no
      // systempaths: the docker CLI and Compose v2 turn it into empty masked and read-only paths.
      const securityOpt = service.security_opt?.filter((o) => o !== SYSTEM_PATHS_UNCONFINED);
      return [name, securityOpt ? { ...service, security_opt: securityOpt } : service];
    }),
  );
  return { ...model, services };
}

/** How the nodes run, in the file's first line. */
function nodesInWords(security: NodeSecurity): string {
  return security.mode === 'runtime' ? `unprivileged nodes under ${security.runtime}` : `${security.mode} nodes`;
}

/** The compose file's text: the model (built from `input` unless given) under a header. */
export function renderCompose(input: RenderInput, model: ComposeModel = buildComposeModel(input)): string {
  const header = `# Rendered by swarmlab for lab "${input.topology.lab}" (${nodesInWords(input.security)}). Do not edit: \`swarmlab up\` writes it anew.\n`;
  return header + stringify(model, { lineWidth: 0, anchorPrefix: 'shared' });
}
