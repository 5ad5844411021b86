// One picture of the swarm, taken by one exec into a manager: nodes, services, tasks,
// networks, secrets, configs, and whether the kernel has IPVS. Every `expect` check of one
// check run reads the same picture. The script prints one JSON object per line under a
// "@@section" line; parseSnapshot turns that into plain data (pure, unit-tested).

import type { ContainerInfo, Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { LABEL_ROLE } from '../plan/labels.js';
import { ANSWER_TIMEOUT_S, askingOrder } from './answering-manager.js';
import { type LabelledNode, managerStatus, nodeAvailability, nodeState } from './node-model.js';
import { type TaskState, taskState } from './task-state.js';

export interface SnapshotPort {
  published: number;
  target: number;
  /** ingress | host */
  mode: string;
  protocol: string;
}

export interface SnapshotMount {
  type: string;
  source: string;
  target: string;
}

export interface SnapshotService {
  id: string;
  name: string;
  /** Without the @sha256 digest swarm pins. */
  image: string;
  mode: 'replicated' | 'global';
  /** Replicas asked for (replicated services). */
  replicas?: number;
  /** Network names (IDs when the network is gone). */
  networks: string[];
  ports: SnapshotPort[];
  /** vip | dnsrr */
  endpointMode: string;
  secrets: string[];
  configs: string[];
  env: Record<string, string>;
  constraints: string[];
  mounts: SnapshotMount[];
  /** The stack it belongs to (label com.docker.stack.namespace). */
  stack?: string;
  /** Its last update's state (UpdateStatus.State): updating, completed, paused, rollback_completed, ...; none before any update. */
  updateState?: string;
  /** The health check's command, its words joined by spaces (NONE when turned off); none when the image's own applies. */
  healthcheck?: string;
  /** Placement preferences, as `spread=node.labels.zone`. */
  placementPrefs: string[];
  /** Memory each task reserves, in bytes (0: none). */
  reservedMemory: number;
}

export interface SnapshotTask {
  id: string;
  serviceId: string;
  slot?: number;
  nodeId: string;
  desiredState: TaskState;
  state: TaskState;
  error: string;
  timestamp: string;
}

export interface SnapshotNetwork {
  id: string;
  name: string;
  driver: string;
  scope: string;
  attachable: boolean;
}

export interface ClusterSnapshot {
  /** The asked node's swarm state: inactive | pending | active | error | locked */
  swarmState: string;
  /** Whether managers lock their keys at rest (docker swarm update --autolock). */
  autolock: boolean;
  /** Whether the asked node is a manager that can answer for the swarm. */
  isManager: boolean;
  ipvs: boolean;
  nodes: LabelledNode[];
  services: SnapshotService[];
  tasks: SnapshotTask[];
  networks: SnapshotNetwork[];
  secrets: string[];
  configs: string[];
}

/**
 * A service's tasks in the picture, those running as wanted, and how many it asks for: its
 * replicas, or for a global service one per node it means to run on. Pure.
 */
export function serviceTasks(service: SnapshotService, snapshot: ClusterSnapshot): { tasks: SnapshotTask[]; running: SnapshotTask[]; desired: number } {
  const tasks = snapshot.tasks.filter((t) => t.serviceId === service.id);
  const running = tasks.filter((t) => t.state === 'running' && t.desiredState === 'running');
  const desired = service.mode === 'replicated' ? (service.replicas ?? 0) : tasks.filter((t) => t.desiredState === 'running').length;
  return { tasks, running, desired };
}

const TASK_FORMAT =
  '{"id":{{json .ID}},"serviceId":{{json .ServiceID}},"slot":{{json .Slot}},"nodeId":{{json .NodeID}},"desiredState":{{json .DesiredState}},"state":{{json .Status.State}},"error":{{json .Status.Err}},"timestamp":{{json .Status.Timestamp}}}';
const NODE_FORMAT =
  '{"id":{{json .ID}},"hostname":{{json .Description.Hostname}},"role":{{json .Spec.Role}},"availability":{{json .Spec.Availability}},"labels":{{json .Spec.Labels}},"state":{{json .Status.State}},"managerStatus":{{if .ManagerStatus}}{{if .ManagerStatus.Leader}}"leader"{{else}}{{json .ManagerStatus.Reachability}}{{end}}{{else}}""{{end}}}';
const SERVICE_FORMAT = '{"id":{{json .ID}},"spec":{{json .Spec}},"ports":{{json .Endpoint.Ports}},"updateStatus":{{json .UpdateStatus}}}';
const NETWORK_FORMAT = '{"id":{{json .Id}},"name":{{json .Name}},"driver":{{json .Driver}},"scope":{{json .Scope}},"attachable":{{json .Attachable}}}';

/**
 * The script run in the manager. Plain sh and the docker CLI, so it runs in the official
 * (Alpine, busybox) dind image and in Debian's alike; a node that is not a manager prints
 * empty sections and the info line says so.
 */
export const SNAPSHOT_SCRIPT = [
  // .Swarm.Cluster is empty outside a swarm and on a worker: the template must not reach into it then.
  `echo @@info; docker info --format '{"state":{{json .Swarm.LocalNodeState}},"manager":{{json .Swarm.ControlAvailable}},"autolock":{{if .Swarm.Cluster}}{{json .Swarm.Cluster.Spec.EncryptionConfig.AutoLockManagers}}{{else}}false{{end}}}'`,
  `echo @@ipvs; if test -e /proc/net/ip_vs; then echo true; else echo false; fi`,
  // Bounded: a manager whose leader was just lost would wait ~20 s for it; with no node list the
  // swarm is not asked further (the picture says no manager answers, and the caller asks another).
  `echo @@nodes; t=; command -v timeout >/dev/null && t="timeout ${ANSWER_TIMEOUT_S}"; nodes=$($t docker node ls -q 2>/dev/null); echo "$nodes" | xargs -r docker node inspect --format '${NODE_FORMAT}'`,
  `echo @@services; services=; test -n "$nodes" && services=$(docker service ls -q 2>/dev/null); echo "$services" | xargs -r docker service inspect --format '${SERVICE_FORMAT}'`,
  `echo @@tasks; echo "$services" | xargs -r docker service ps -q --no-trunc | xargs -r docker inspect --format '${TASK_FORMAT}'`,
  `echo @@networks; docker network ls -q | xargs -r docker network inspect --format '${NETWORK_FORMAT}'`,
  `echo @@secrets; docker secret ls --format '{{json .Name}}' 2>/dev/null`,
  `echo @@configs; docker config ls --format '{{json .Name}}' 2>/dev/null`,
  'true',
].join('\n');

type Json = Record<string, unknown>;

function sections(output: string): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  let current: unknown[] | undefined;
  for (const line of output.split('\n')) {
    const header = /^@@(\w+)$/.exec(line.trim());
    if (header?.[1]) {
      current = [];
      out.set(header[1], current);
    } else if (current && line.trim() !== '') {
      try {
        current.push(JSON.parse(line));
      } catch {
        // A docker CLI warning on stdout is not data.
      }
    }
  }
  return out;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

function envMap(entries: unknown): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of Array.isArray(entries) ? entries : []) {
    if (typeof entry !== 'string') continue;
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    else env[entry] = '';
  }
  return env;
}

function parseService(raw: Json, networks: SnapshotNetwork[]): SnapshotService {
  const spec = obj(raw.spec);
  const template = obj(spec.TaskTemplate);
  const container = obj(template.ContainerSpec);
  const mode = obj(spec.Mode);
  const endpointSpec = obj(spec.EndpointSpec);
  const networkName = (target: string) => networks.find((n) => n.id === target || n.id.startsWith(target) || n.name === target)?.name ?? target;
  const attached = [...list(template.Networks), ...list(spec.Networks)].map((n) => networkName(str(n.Target)));
  const ports = list(raw.ports).length > 0 ? list(raw.ports) : list(endpointSpec.Ports);
  return {
    id: str(raw.id),
    name: str(spec.Name),
    image: str(container.Image).replace(/@.*$/, ''),
    mode: 'Global' in mode ? 'global' : 'replicated',
    replicas: typeof obj(mode.Replicated).Replicas === 'number' ? (obj(mode.Replicated).Replicas as number) : undefined,
    networks: [...new Set(attached)],
    ports: ports.map((p) => ({
      published: Number(p.PublishedPort ?? 0),
      target: Number(p.TargetPort ?? 0),
      mode: str(p.PublishMode) || 'ingress',
      protocol: str(p.Protocol) || 'tcp',
    })),
    endpointMode: str(endpointSpec.Mode) || 'vip',
    secrets: list(container.Secrets).map((s) => str(s.SecretName)),
    configs: list(container.Configs).map((c) => str(c.ConfigName)),
    env: envMap(container.Env),
    constraints: list(obj(template.Placement).Constraints as unknown).map(String),
    mounts: list(container.Mounts).map((m) => ({ type: str(m.Type), source: str(m.Source), target: str(m.Target) })),
    stack: str(obj(spec.Labels)['com.docker.stack.namespace']) || undefined,
    updateState: str(obj(raw.updateStatus).State) || undefined,
    healthcheck: Array.isArray(obj(container.Healthcheck).Test) ? (obj(container.Healthcheck).Test as unknown[]).map(String).join(' ') : undefined,
    placementPrefs: list(obj(template.Placement).Preferences as unknown).map((p) => {
      const spread = obj(obj(p).Spread);
      return `spread=${str(spread.SpreadDescriptor)}`;
    }),
    reservedMemory: Number(obj(obj(template.Resources).Reservations).MemoryBytes ?? 0),
  };
}

export function parseSnapshot(output: string): ClusterSnapshot {
  const parts = sections(output);
  const info = obj(parts.get('info')?.[0]);
  const networks: SnapshotNetwork[] = (parts.get('networks') ?? []).map((n) => {
    const o = obj(n);
    return { id: str(o.id), name: str(o.name), driver: str(o.driver), scope: str(o.scope), attachable: o.attachable === true };
  });
  return {
    swarmState: str(info.state) || 'unknown',
    isManager: info.manager === true,
    autolock: info.autolock === true,
    ipvs: parts.get('ipvs')?.[0] === true,
    nodes: (parts.get('nodes') ?? []).map((n) => {
      const o = obj(n);
      return {
        id: str(o.id),
        hostname: str(o.hostname),
        role: o.role === 'manager' ? 'manager' : 'worker',
        availability: nodeAvailability(str(o.availability)),
        state: nodeState(str(o.state)),
        managerStatus: managerStatus(str(o.managerStatus)),
        labels: Object.fromEntries(Object.entries(obj(o.labels)).map(([k, v]) => [k, String(v)])),
      };
    }),
    services: (parts.get('services') ?? []).map((s) => parseService(obj(s), networks)),
    tasks: (parts.get('tasks') ?? []).map((t) => {
      const o = obj(t);
      return {
        id: str(o.id),
        serviceId: str(o.serviceId),
        slot: typeof o.slot === 'number' && o.slot > 0 ? o.slot : undefined,
        nodeId: str(o.nodeId),
        desiredState: taskState(str(o.desiredState)),
        state: taskState(str(o.state)),
        error: str(o.error),
        timestamp: str(o.timestamp),
      };
    }),
    networks,
    secrets: (parts.get('secrets') ?? []).map(String),
    configs: (parts.get('configs') ?? []).map(String),
  };
}

/**
 * The picture from the first node (managers first) that can answer for the swarm; when none
 * can, the first one's, which says why (no swarm, no leader). One exec when the first manager
 * answers, as it usually does.
 */
export async function takeSnapshot(engine: Engine, containers: ContainerInfo[]): Promise<ClusterSnapshot> {
  let first: ClusterSnapshot | undefined;
  for (const container of askingOrder(containers).filter((c) => c.labels[LABEL_ROLE] === 'manager')) {
    const result = await engine.exec(container.name, ['sh', '-c', SNAPSHOT_SCRIPT]);
    const snapshot = parseSnapshot(result.stdout);
    if (snapshot.isManager && snapshot.nodes.length > 0) return snapshot;
    first ??= snapshot;
  }
  if (!first) throw new LabError('no manager of the lab is running', { fix: 'swarmlab up (or swarmlab start)' });
  return first;
}
