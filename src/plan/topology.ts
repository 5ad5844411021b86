// Spec -> topology: which containers, volumes and network a lab is made of, and their names.
import type { NodeCut } from '../spec/node-cuts.js';
import type { LabSpec, PortMapping } from '../spec/types.js';
import { DEFAULT_SUBNET, FIRST_MANAGER_HOST, FIRST_WORKER_HOST, hostAddress, REGISTRY_HOST } from './addresses.js';

export type NodeRole = 'manager' | 'worker';

export interface LabNode {
  /** Node name: the compose service, the hostname, and what `docker node ls` shows. */
  name: string;
  role: NodeRole;
  containerName: string;
  /** Named volume holding the node's /var/lib/docker. */
  volumeName: string;
  /** Fixed address on the lab network; the node advertises it to the swarm. */
  address: string;
}

export interface Topology {
  lab: string;
  /** Compose project name. */
  project: string;
  network: string;
  /** The lab network's /24. */
  subnet: string;
  registry: { containerName: string; image: string; hostPort: number; address: string };
  /** Managers first; nodes[0] is the manager that runs `swarm init`. */
  nodes: LabNode[];
  nodeImage: string;
  bindAddress: string;
  /** Ports published from the first manager. */
  managerPorts: PortMapping[];
  /** Host port on 127.0.0.1 of the first manager's Engine API; the other managers' get a port the engine picks. */
  apiPort: number;
  /** The nodes pull Docker Hub images through the engine's shared mirror. */
  mirror: boolean;
  /** What the node entry leaves out of every node. */
  nodeCuts: NodeCut[];
}

/** The name the seeds use for the first manager, kept so their commands read the same. */
export const FIRST_MANAGER = 'manager';
/** Port of the registry inside the lab network; nodes pull from registry:5000. */
export const REGISTRY_INNER_PORT = 5000;
export const REGISTRY_INNER_ADDRESS = `registry:${REGISTRY_INNER_PORT}`;
/** Port of a manager's Engine API over TLS inside the lab (Docker's own for TLS). */
export const API_INNER_PORT = 2376;

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

export function nodeNames(managers: number, workers: number): { name: string; role: NodeRole; host: number }[] {
  const out: { name: string; role: NodeRole; host: number }[] = [{ name: FIRST_MANAGER, role: 'manager', host: FIRST_MANAGER_HOST }];
  for (let i = 2; i <= managers; i++) out.push({ name: `manager${twoDigits(i)}`, role: 'manager', host: FIRST_MANAGER_HOST + i - 1 });
  for (let i = 1; i <= workers; i++) out.push({ name: `worker${twoDigits(i)}`, role: 'worker', host: FIRST_WORKER_HOST + i - 1 });
  return out;
}

/** The compose project a lab's containers belong to. */
export function composeProjectOf(lab: string): string {
  return `swarmlab-${lab}`;
}

export function containerNameOf(lab: string, node: string): string {
  return `${lab}-${node}`;
}

/** `subnet`: the lab network's /24; `up` picks one free on the engine, `render` shows the first. */
export function planTopology(spec: LabSpec, subnet: string = DEFAULT_SUBNET): Topology {
  const lab = spec.name;
  return {
    lab,
    project: composeProjectOf(lab),
    network: `${lab}-net`,
    subnet,
    registry: {
      containerName: containerNameOf(lab, 'registry'),
      image: spec.registryImage,
      hostPort: spec.registryPort,
      address: hostAddress(subnet, REGISTRY_HOST),
    },
    nodes: nodeNames(spec.managers, spec.workers).map(({ name, role, host }) => ({
      name,
      role,
      containerName: containerNameOf(lab, name),
      volumeName: `${lab}-${name}-data`,
      address: hostAddress(subnet, host),
    })),
    nodeImage: spec.nodeImage,
    bindAddress: spec.bindAddress,
    managerPorts: spec.ports,
    apiPort: spec.apiPort,
    mirror: spec.mirror,
    nodeCuts: spec.nodeCuts,
  };
}
