// `expect` checks: one expectation against one snapshot of the swarm. Pure. Each returns
// every mismatch (not only the first), the values it saw (for `fail:` templates), and the
// errors of the tasks that concern it, since "No such image" is usually the real answer.
import { count } from '../count.js';
import type { LabelledNode } from '../swarm/node-model.js';
import { type ClusterSnapshot, type SnapshotService, type SnapshotTask, serviceTasks } from '../swarm/snapshot.js';
import type { TemplateValues } from './template.js';
import type {
  Expectation,
  NamedExpectation,
  NetworkExpectation,
  NodeExpectation,
  NodesExpectation,
  ServiceExpectation,
  StackExpectation,
  SwarmExpectation,
} from './types.js';

export interface ExpectationResult {
  passed: boolean;
  /** What is wrong, one phrase per mismatch. */
  problems: string[];
  /** Errors of the tasks concerned, e.g. "task echo.3 on worker02: rejected: No such image: ...". */
  taskErrors: string[];
  values: TemplateValues;
  /**
   * Whether asking again later may see it pass: what it looks at exists and is still changing
   * (tasks starting, fewer running than the service asks for, a node that is not Ready yet).
   * False for what does not exist, and for a service that has settled on a number other than
   * the one wanted: nothing will change it, so a check with `wait:` fails at once.
   */
  converging: boolean;
}

/** The {{names}} a `fail:` template may use, per kind of expectation. */
export const VALUE_NAMES: Record<Expectation['on'], string[]> = {
  service: [
    'name',
    'exists',
    'running',
    'desired',
    'nodes',
    'nodeNames',
    'image',
    'mode',
    'endpointMode',
    'ports',
    'networks',
    'secrets',
    'configs',
    'constraints',
    'errors',
    'want',
    'wantNodes',
    'updateState',
    'healthcheck',
  ],
  node: ['name', 'exists', 'role', 'status', 'availability', 'managerStatus', 'labels'],
  nodes: ['ready', 'managers', 'workers', 'down', 'duplicates', 'total'],
  swarm: ['autolock'],
  network: ['name', 'exists', 'driver', 'attachable', 'scope'],
  secret: ['name', 'exists'],
  config: ['name', 'exists'],
  stack: ['name', 'exists', 'services'],
};

/** Shell-style glob: * any run of characters, ? one character. */
export function globMatches(pattern: string, text: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(text);
}

const noSpaces = (s: string) => s.replace(/\s+/g, '');

function result(problems: string[], values: TemplateValues, taskErrors: string[] = []): ExpectationResult {
  return { passed: problems.length === 0, problems, taskErrors, values, converging: true };
}

/** A node by hostname; of several entries (a node that left and joined again), the Ready one. */
function nodeNamed(snapshot: ClusterSnapshot, name: string): LabelledNode | undefined {
  const entries = snapshot.nodes.filter((n) => n.hostname === name);
  return entries.find((n) => n.state === 'ready') ?? entries[0];
}

function hostnameOf(snapshot: ClusterSnapshot, nodeId: string): string {
  return snapshot.nodes.find((n) => n.id === nodeId)?.hostname ?? (nodeId ? nodeId.slice(0, 12) : '(no node)');
}

/** A task's name as `docker service ps` shows it: echo.3 for a replica, viz_app.<node> for a global task. */
function taskName(service: SnapshotService, task: SnapshotTask, snapshot: ClusterSnapshot): string {
  return task.slot !== undefined ? `${service.name}.${task.slot}` : `${service.name}.${hostnameOf(snapshot, task.nodeId)}`;
}

/**
 * The latest task of each slot (or node, for a global service) that is not running while it
 * should, with its state and error: what a student needs to see to know why. Tasks that fail
 * the same way are said once, with their names.
 */
export function taskProblems(snapshot: ClusterSnapshot, service: SnapshotService): string[] {
  const latest = new Map<string, SnapshotTask>();
  for (const task of snapshot.tasks.filter((t) => t.serviceId === service.id)) {
    const key = task.slot !== undefined ? `slot ${task.slot}` : `node ${task.nodeId}`;
    const seen = latest.get(key);
    // Docker trims trailing zeros of the fraction, so the text does not sort: compare times.
    if (!seen || Date.parse(task.timestamp) > Date.parse(seen.timestamp)) latest.set(key, task);
  }
  const byReason = new Map<string, string[]>();
  const tasks = [...latest.values()].sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0) || a.nodeId.localeCompare(b.nodeId));
  for (const task of tasks) {
    // Running as it should, or stopped on purpose (scaled down, updated): nothing to say.
    if (task.state === 'running' || (task.desiredState === 'shutdown' && !task.error)) continue;
    const reason = `${task.state}${task.error ? `: ${task.error}` : ''}`;
    const node = task.nodeId ? ` on ${hostnameOf(snapshot, task.nodeId)}` : '';
    byReason.set(reason, [...(byReason.get(reason) ?? []), `${taskName(service, task, snapshot)}${node}`]);
  }
  return [...byReason].slice(0, 3).map(([reason, names]) => {
    const shown = names.length > 3 ? `${names.slice(0, 2).join(', ')} and ${names.length - 2} more` : names.join(', ');
    return `${names.length === 1 ? 'task' : 'tasks'} ${shown}: ${reason}`;
  });
}

function checkService(e: ServiceExpectation, snapshot: ClusterSnapshot): ExpectationResult {
  const service = snapshot.services.find((s) => s.name === e.name);
  if (!service) {
    const values = { name: e.name, exists: false, running: 0, desired: 0, nodes: 0 };
    // A swarm that cannot list its services has not lost them: say why it cannot (a lost quorum).
    const why = noSwarm(snapshot);
    if (why) return result([why], values);
    if (e.absent) return result([], values);
    const others = snapshot.services.map((s) => s.name).sort();
    return result([`service ${e.name} does not exist (services: ${others.join(', ') || 'none'})`], values);
  }
  const { running, desired } = serviceTasks(service, snapshot);
  const nodeNames = [...new Set(running.map((t) => hostnameOf(snapshot, t.nodeId)))].sort();
  const taskErrors = taskProblems(snapshot, service);
  const values: TemplateValues = {
    name: service.name,
    exists: true,
    running: running.length,
    desired,
    nodes: nodeNames.length,
    nodeNames: nodeNames.join(', '),
    image: service.image,
    mode: service.mode,
    endpointMode: service.endpointMode,
    ports: service.ports.map((p) => `${p.published}:${p.target}/${p.mode}`).join(', '),
    networks: service.networks.join(', '),
    secrets: service.secrets.join(', '),
    configs: service.configs.join(', '),
    constraints: service.constraints.join(', '),
    errors: taskErrors.join('; '),
    updateState: service.updateState ?? 'none',
    healthcheck: service.healthcheck ?? "the image's own",
    // The targets, for a `fail:` that says "{{running}} of {{want}} running".
    ...(e.replicas !== undefined ? { want: e.replicas } : {}),
    ...(e.minNodes !== undefined ? { wantNodes: e.minNodes } : {}),
  };
  const problems: string[] = [];
  const say = (text: string) => problems.push(`service ${e.name}: ${text}`);
  if (e.absent) return result([`service ${e.name} still exists`], values);
  if (e.replicas !== undefined && running.length !== e.replicas)
    say(`${running.length} of ${e.replicas} running${desired !== e.replicas ? ` (the service asks for ${desired})` : ''}`);
  if (e.minNodes !== undefined && nodeNames.length < e.minNodes) {
    say(`running on ${count(nodeNames.length, 'node')} (${nodeNames.join(', ') || 'none'}), want at least ${e.minNodes}`);
  }
  for (const [key, role] of [
    ['notOnRole', e.notOnRole],
    ['onRole', e.onRole],
  ] as const) {
    if (!role) continue;
    const wrong = running.filter((t) => {
      const node = snapshot.nodes.find((n) => n.id === t.nodeId);
      return key === 'notOnRole' ? node?.role === role : node?.role !== role;
    });
    const where = [...new Set(wrong.map((t) => hostnameOf(snapshot, t.nodeId)))].sort().join(', ');
    if (wrong.length > 0) say(`${count(wrong.length, 'task')} on ${key === 'notOnRole' ? `a ${role}` : `a node that is not a ${role}`} (${where})`);
  }
  if (e.image !== undefined && !globMatches(e.image, service.image)) say(`image is ${service.image}, want ${e.image}`);
  if (e.mode !== undefined && service.mode !== e.mode) say(`mode is ${service.mode}, want ${e.mode}`);
  if (e.endpointMode !== undefined && service.endpointMode !== e.endpointMode) say(`endpoint mode is ${service.endpointMode}, want ${e.endpointMode}`);
  if (e.publishedPort !== undefined) {
    const port = service.ports.find((p) => p.published === e.publishedPort);
    if (!port) say(`publishes ${values.ports || 'no port'}, want port ${e.publishedPort}`);
    else if (e.publishMode !== undefined && port.mode !== e.publishMode)
      say(`port ${e.publishedPort} is published in ${port.mode} mode, want ${e.publishMode}`);
  }
  for (const [what, wanted, has] of [
    ['network', e.networks, service.networks],
    ['secret', e.secrets, service.secrets],
    ['config', e.configs, service.configs],
  ] as const) {
    const missing = (wanted ?? []).filter((name) => !has.includes(name));
    if (missing.length > 0) say(`not attached to ${what} ${missing.join(', ')} (has ${has.join(', ') || 'none'})`);
  }
  for (const [name, pattern] of Object.entries(e.env ?? {})) {
    const value = service.env[name];
    if (value === undefined) {
      const near = Object.keys(service.env).filter((k) => k.toLowerCase().startsWith(name.toLowerCase().slice(0, 4)));
      say(`env ${name} is not set${near.length > 0 ? ` (it sets ${near.join(', ')})` : ''}, want ${JSON.stringify(pattern)}`);
    } else if (!globMatches(pattern, value)) {
      say(`env ${name} is ${JSON.stringify(value)}, want ${JSON.stringify(pattern)}`);
    }
  }
  // An entry may offer alternatives, `a | b`: any one of them will do.
  for (const constraint of e.constraints ?? []) {
    const accepted = constraint.split('|').map(noSpaces);
    if (!service.constraints.some((c) => accepted.includes(noSpaces(c)))) {
      say(`has no constraint ${constraint.replace(/\s*\|\s*/g, ' or ')} (has ${service.constraints.join(', ') || 'none'})`);
    }
  }
  for (const [target, source] of Object.entries(e.mounts ?? {})) {
    const mount = service.mounts.find((m) => m.target === target);
    if (!mount) say(`mounts nothing at ${target}`);
    else if (mount.source !== source) say(`mounts ${mount.source} at ${target}, want ${source}`);
  }
  if (e.updateState !== undefined && service.updateState !== e.updateState)
    say(`its last update is ${service.updateState ? service.updateState.replace(/_/g, ' ') : 'none yet'}, want ${e.updateState.replace(/_/g, ' ')}`);
  if (e.healthcheck !== undefined && !globMatches(e.healthcheck, service.healthcheck ?? ''))
    say(
      `health check is ${service.healthcheck ? JSON.stringify(service.healthcheck) : "the image's own (none set on the service)"}, want ${JSON.stringify(e.healthcheck)}`,
    );
  for (const pref of e.placementPrefs ?? []) {
    if (!service.placementPrefs.some((p) => noSpaces(p) === noSpaces(pref)))
      say(`has no placement preference ${pref} (has ${service.placementPrefs.join(', ') || 'none'})`);
  }
  if (e.reservesMemory !== undefined && service.reservedMemory > 0 !== e.reservesMemory)
    say(e.reservesMemory ? 'reserves no memory, want a reservation its tasks can get' : `reserves ${service.reservedMemory} bytes of memory, want none`);
  // A service that runs as asked needs no task history in its message.
  return result(problems, values, problems.length > 0 ? taskErrors : []);
}

/** Said instead of "not in the swarm" when there is no swarm to be in, or none that answers. */
function noSwarm(snapshot: ClusterSnapshot): string | undefined {
  if (snapshot.isManager && snapshot.nodes.length > 0) return undefined;
  // A manager lists at least itself; one that lists nothing could not: it has no leader.
  if (snapshot.isManager) return 'the swarm has no leader: too few of its managers are reachable (swarmlab status says which)';
  return snapshot.swarmState === 'inactive'
    ? 'there is no swarm yet (the manager is in no swarm)'
    : `the manager cannot answer for the swarm (swarm state ${snapshot.swarmState})`;
}

function checkNode(e: NodeExpectation, snapshot: ClusterSnapshot): ExpectationResult {
  const node = nodeNamed(snapshot, e.name);
  if (!node) {
    const why = noSwarm(snapshot);
    if (why) return result([`node ${e.name}: ${why}`], { name: e.name, exists: false });
    const known = snapshot.nodes.map((n) => n.hostname).sort();
    return result([`node ${e.name} is not in the swarm (nodes: ${known.join(', ') || 'none'})`], { name: e.name, exists: false });
  }
  const labels = Object.entries(node.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const values = {
    name: e.name,
    exists: true,
    role: node.role,
    status: node.state,
    availability: node.availability,
    managerStatus: node.managerStatus,
    labels,
  };
  const problems: string[] = [];
  for (const [label, pattern] of Object.entries(e.labels ?? {})) {
    const value = node.labels[label];
    if (value === undefined || !globMatches(pattern, value))
      problems.push(
        `node ${e.name}: label ${label} is ${value === undefined ? 'not set' : JSON.stringify(value)}, want ${JSON.stringify(pattern)} (labels: ${labels || 'none'})`,
      );
  }
  for (const key of ['role', 'status', 'availability', 'managerStatus'] as const) {
    const wanted = e[key];
    if (wanted !== undefined && String(values[key]).toLowerCase() !== wanted.toLowerCase()) {
      problems.push(`node ${e.name}: ${key} is ${values[key] || 'none'}, want ${wanted}`);
    }
  }
  return result(problems, values);
}

function checkNodes(e: NodesExpectation, snapshot: ClusterSnapshot): ExpectationResult {
  const entries = new Map<string, number>();
  for (const n of snapshot.nodes) entries.set(n.hostname, (entries.get(n.hostname) ?? 0) + 1);
  const listedTwice = [...entries].filter(([, n]) => n > 1);
  const values = {
    ready: snapshot.nodes.filter((n) => n.state === 'ready').length,
    managers: snapshot.nodes.filter((n) => n.role === 'manager').length,
    workers: snapshot.nodes.filter((n) => n.role === 'worker').length,
    down: snapshot.nodes.filter((n) => n.state === 'down').length,
    duplicates: snapshot.nodes.length - entries.size,
    total: snapshot.nodes.length,
  };
  // No nodes listed is no answer, not a swarm with none Down.
  const why = noSwarm(snapshot);
  if (why) return result([why], values);
  const problems: string[] = [];
  for (const key of ['ready', 'managers', 'workers', 'down'] as const) {
    if (e[key] !== undefined && values[key] !== e[key]) problems.push(`${key === 'down' ? 'nodes Down' : key}: ${values[key]}, want ${e[key]}`);
  }
  if (e.duplicates !== undefined && values.duplicates !== e.duplicates) {
    const names = listedTwice.map(([host, n]) => `${host} ${n === 2 ? 'twice' : `${n} times`}`).join(', ');
    problems.push(
      e.duplicates === 0
        ? `listed more than once: ${names}, want each node once (a node that left and joined again keeps its old entry, Ready for a few seconds, then Down: docker node rm ID removes it)`
        : `entries beyond a node's first: ${values.duplicates} (${names || 'none'}), want ${e.duplicates}`,
    );
  }
  if (problems.length > 0) {
    // The IDs of a hostname listed twice: `docker node rm` needs the old entry's.
    const twice = new Set(listedTwice.map(([host]) => host));
    const list = snapshot.nodes.map((n) => `${n.hostname} (${n.role}, ${n.state}${twice.has(n.hostname) ? `, ID ${n.id.slice(0, 12)}` : ''})`).join(', ');
    problems.push(`the swarm lists ${list || 'no nodes'}`);
  }
  return result(problems, values);
}

function checkSwarm(e: SwarmExpectation, snapshot: ClusterSnapshot): ExpectationResult {
  const values = { autolock: snapshot.autolock };
  const why = noSwarm(snapshot);
  if (why) return result([why], values);
  const problems: string[] = [];
  if (e.autolock !== undefined && snapshot.autolock !== e.autolock)
    problems.push(`autolock is ${snapshot.autolock ? 'on' : 'off'}, want ${e.autolock ? 'on' : 'off'}`);
  return result(problems, values);
}

function checkNetwork(e: NetworkExpectation, snapshot: ClusterSnapshot): ExpectationResult {
  const network = snapshot.networks.find((n) => n.name === e.name);
  if (!network) return result(e.absent ? [] : [`network ${e.name} does not exist`], { name: e.name, exists: false });
  const values = { name: e.name, exists: true, driver: network.driver, attachable: network.attachable, scope: network.scope };
  if (e.absent) return result([`network ${e.name} still exists`], values);
  const problems: string[] = [];
  if (e.driver !== undefined && network.driver !== e.driver) problems.push(`network ${e.name}: driver is ${network.driver}, want ${e.driver}`);
  if (e.scope !== undefined && network.scope !== e.scope) problems.push(`network ${e.name}: scope is ${network.scope}, want ${e.scope}`);
  if (e.attachable !== undefined && network.attachable !== e.attachable) {
    problems.push(`network ${e.name}: ${network.attachable ? 'attachable' : 'not attachable'}, want ${e.attachable ? 'attachable' : 'not attachable'}`);
  }
  return result(problems, values);
}

function checkNamed(e: NamedExpectation, snapshot: ClusterSnapshot): ExpectationResult {
  const names = e.on === 'secret' ? snapshot.secrets : snapshot.configs;
  const exists = names.includes(e.name);
  const values = { name: e.name, exists };
  const why = exists ? undefined : noSwarm(snapshot);
  if (why) return result([why], values);
  if (e.absent) return result(exists ? [`${e.on} ${e.name} still exists`] : [], values);
  return result(exists ? [] : [`${e.on} ${e.name} does not exist (${e.on}s: ${names.join(', ') || 'none'})`], values);
}

function checkStack(e: StackExpectation, snapshot: ClusterSnapshot): ExpectationResult {
  const services = snapshot.services
    .filter((s) => s.stack === e.name)
    .map((s) => s.name)
    .sort();
  const values = { name: e.name, exists: services.length > 0, services: services.length };
  const why = services.length > 0 ? undefined : noSwarm(snapshot);
  if (why) return result([why], values);
  if (e.absent) return result(services.length > 0 ? [`stack ${e.name} still has services ${services.join(', ')}`] : [], values);
  if (services.length === 0) {
    const stacks = [...new Set(snapshot.services.map((s) => s.stack).filter(Boolean))].sort();
    return result([`stack ${e.name} does not exist (stacks: ${stacks.join(', ') || 'none'})`], values);
  }
  const problems: string[] = [];
  if (typeof e.services === 'number' && services.length !== e.services)
    problems.push(`stack ${e.name}: ${count(services.length, 'service')} (${services.join(', ')}), want ${e.services}`);
  if (Array.isArray(e.services)) {
    const missing = e.services.filter((name) => !services.includes(`${e.name}_${name}`));
    if (missing.length > 0) problems.push(`stack ${e.name}: no service ${missing.map((m) => `${e.name}_${m}`).join(', ')} (has ${services.join(', ')})`);
  }
  return result(problems, values);
}

/** Tasks still on their way (being made, started or stopped), or fewer running than the service asks for. */
export function serviceConverging(service: SnapshotService, snapshot: ClusterSnapshot): boolean {
  const { tasks, running, desired } = serviceTasks(service, snapshot);
  const settled = new Set(['running', 'complete', 'failed', 'rejected', 'shutdown', 'orphaned']);
  if (tasks.some((t) => !settled.has(t.state) || (t.desiredState === 'shutdown' && t.state === 'running'))) return true;
  return running.length !== desired;
}

/** Whether a failing result may still pass when asked again (see ExpectationResult.converging). */
function converging(e: Expectation, seen: ExpectationResult, snapshot: ClusterSnapshot): boolean {
  if (seen.passed) return false;
  // No picture of the swarm (an election, say): it may come back.
  if (noSwarm(snapshot)) return true;
  if (seen.values.exists === false) return false;
  if (e.on === 'service' && !e.absent) {
    const service = snapshot.services.find((s) => s.name === e.name);
    // An update or rollback under way settles by itself, tasks running or not.
    if (service && ['updating', 'rollback_started'].includes(service.updateState ?? '')) return true;
    return service ? serviceConverging(service, snapshot) : false;
  }
  return true;
}

export function evaluateExpectation(e: Expectation, snapshot: ClusterSnapshot): ExpectationResult {
  const seen = evaluateAgainst(e, snapshot);
  return { ...seen, converging: converging(e, seen, snapshot) };
}

function evaluateAgainst(e: Expectation, snapshot: ClusterSnapshot): ExpectationResult {
  switch (e.on) {
    case 'service':
      return checkService(e, snapshot);
    case 'node':
      return checkNode(e, snapshot);
    case 'nodes':
      return checkNodes(e, snapshot);
    case 'swarm':
      return checkSwarm(e, snapshot);
    case 'network':
      return checkNetwork(e, snapshot);
    case 'secret':
    case 'config':
      return checkNamed(e, snapshot);
    case 'stack':
      return checkStack(e, snapshot);
  }
}
