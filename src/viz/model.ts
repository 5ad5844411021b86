// What the web view of `swarmlab viz` shows, as plain data sent to the page: nodes with their
// tasks, services with their networks, the leader and the quorum. Pure: a snapshot in.
import { quorumFrom, quorumLine } from '../swarm/answering-manager.js';
import { cliWord } from '../swarm/node-model.js';
import type { ClusterSnapshot, SnapshotService, SnapshotTask } from '../swarm/snapshot.js';

export interface VizTask {
  service: string;
  /** echo.3, or the service's name for a global task. */
  label: string;
  state: string;
  error: string;
  running: boolean;
}

export interface VizNode {
  name: string;
  role: string;
  state: string;
  availability: string;
  managerStatus: string;
  tasks: VizTask[];
}

export interface VizService {
  name: string;
  stack: string | null;
  mode: string;
  running: number;
  desired: number;
  networks: string[];
  /** A hue (0-359): the same service keeps its colour. */
  hue: number;
}

export interface VizModel {
  lab: string;
  /** Null when a manager answers for the swarm, else why not. */
  problem: string | null;
  leader: string | null;
  quorum: string | null;
  nodes: VizNode[];
  /** Tasks no node took (pending, no suitable node). */
  unassigned: VizTask[];
  services: VizService[];
  stacks: string[];
  /** Recent changes (leader, nodes), oldest first, as the server saw them from picture to picture (feed.ts). */
  feed: string[];
}

function hueOf(name: string): number {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return (hash * 137) % 360;
}

/** Per service, its running tasks and the latest attempt of each slot (or node) that is not running. */
function shownTasks(snapshot: ClusterSnapshot, service: SnapshotService): SnapshotTask[] {
  const latest = new Map<string, SnapshotTask>();
  for (const task of snapshot.tasks.filter((t) => t.serviceId === service.id)) {
    const key = `${task.slot ?? task.nodeId}`;
    const seen = latest.get(key);
    if (!seen || Date.parse(task.timestamp) > Date.parse(seen.timestamp)) latest.set(key, task);
  }
  return [...latest.values()].filter((t) => t.desiredState !== 'shutdown' || t.state === 'running');
}

export function vizModel(snapshot: ClusterSnapshot, lab: string, feed: string[] = []): VizModel {
  const toTask = (service: SnapshotService, task: SnapshotTask): VizTask => ({
    service: service.name,
    label: task.slot !== undefined ? `${service.name}.${task.slot}` : service.name,
    state: task.state,
    error: task.error,
    running: task.state === 'running' && task.desiredState === 'running',
  });
  const services = [...snapshot.services].sort((a, b) => a.name.localeCompare(b.name));
  const placed = services.flatMap((s) => shownTasks(snapshot, s).map((t) => ({ node: t.nodeId, task: toTask(s, t) })));
  const nodes = [...snapshot.nodes].sort((a, b) => (a.role === b.role ? a.hostname.localeCompare(b.hostname) : a.role === 'manager' ? -1 : 1));
  const quorum = quorumFrom(snapshot.nodes);
  return {
    lab,
    problem: snapshot.isManager ? null : snapshot.swarmState === 'inactive' ? 'No swarm yet.' : 'No manager answers for the swarm.',
    leader: snapshot.nodes.find((n) => n.managerStatus === 'leader')?.hostname ?? null,
    quorum: quorum ? quorumLine(quorum) : null,
    nodes: nodes.map((n) => ({
      name: n.hostname,
      role: n.role,
      state: cliWord(n.state),
      availability: cliWord(n.availability),
      managerStatus: cliWord(n.managerStatus),
      tasks: placed.filter((p) => p.node === n.id).map((p) => p.task),
    })),
    unassigned: placed.filter((p) => !p.node).map((p) => p.task),
    services: services.map((s) => {
      const tasks = snapshot.tasks.filter((t) => t.serviceId === s.id);
      return {
        name: s.name,
        stack: s.stack ?? null,
        mode: s.mode,
        running: tasks.filter((t) => t.state === 'running' && t.desiredState === 'running').length,
        desired: s.mode === 'replicated' ? (s.replicas ?? 0) : tasks.filter((t) => t.desiredState === 'running').length,
        networks: s.networks.filter((n) => n !== 'ingress'),
        hue: hueOf(s.name),
      };
    }),
    stacks: [...new Set(services.map((s) => s.stack).filter((s): s is string => Boolean(s)))].sort(),
    feed: [...feed],
  };
}
