// What a list of steps changed in the swarm, from a snapshot taken before and one after: so that
// `exercise reset` says what it removed (a student's service, a network, a drained node made
// Active), whatever its steps print or hide behind >/dev/null. Pure.
import type { LabelledNode } from '../swarm/node-model.js';
import type { ClusterSnapshot, SnapshotService } from '../swarm/snapshot.js';

function describeService(s: SnapshotService): string {
  const image = s.image.split('@')[0];
  return s.mode === 'global' ? `global, ${image}` : `${s.replicas ?? 0} ${s.replicas === 1 ? 'replica' : 'replicas'} of ${image}`;
}

/** Entries by hostname; of a node listed twice (left and joined again), the Ready one speaks for it. */
function nodesByName(snapshot: ClusterSnapshot): Map<string, LabelledNode> {
  const byName = new Map<string, LabelledNode>();
  for (const node of snapshot.nodes) if (!byName.has(node.hostname) || node.state === 'ready') byName.set(node.hostname, node);
  return byName;
}

function namedChanges(what: string, before: string[], after: string[]): string[] {
  return [
    ...before.filter((n) => !after.includes(n)).map((n) => `removed ${what} ${n}`),
    ...after.filter((n) => !before.includes(n)).map((n) => `made ${what} ${n}`),
  ];
}

/** One line per change, removals first; empty when nothing a snapshot shows changed. */
export function swarmChanges(before: ClusterSnapshot, after: ClusterSnapshot): string[] {
  const inSwarm = (s: ClusterSnapshot) => s.isManager && s.nodes.length > 0;
  // With the swarm gone, everything in it went too: one line says it all.
  if (inSwarm(before) && !inSwarm(after)) return [`left the swarm: the manager is in no swarm now (swarm state ${after.swarmState})`];
  if (!inSwarm(before)) return inSwarm(after) ? ['made a swarm'] : [];
  const lines: string[] = [];
  const services = new Map(after.services.map((s) => [s.name, s]));
  for (const old of before.services) {
    const now = services.get(old.name);
    if (!now) lines.push(`removed service ${old.name} (${describeService(old)})`);
    else if (now.id !== old.id) lines.push(`replaced service ${old.name} (${describeService(old)}) with a new one (${describeService(now)})`);
    else if (describeService(now) !== describeService(old)) lines.push(`service ${old.name}: ${describeService(old)} -> ${describeService(now)}`);
  }
  const had = new Set(before.services.map((s) => s.name));
  for (const s of after.services.filter((s) => !had.has(s.name))) lines.push(`made service ${s.name} (${describeService(s)})`);
  // Swarm-scoped networks only: the nodes' local ones (bridge, host) are the engine's own.
  const swarmNetworks = (s: ClusterSnapshot) => s.networks.filter((n) => n.scope === 'swarm').map((n) => n.name);
  lines.push(...namedChanges('network', swarmNetworks(before), swarmNetworks(after)));
  lines.push(...namedChanges('secret', before.secrets, after.secrets));
  lines.push(...namedChanges('config', before.configs, after.configs));
  const nodesAfter = nodesByName(after);
  for (const [name, old] of nodesByName(before)) {
    const now = nodesAfter.get(name);
    if (!now) {
      lines.push(`removed node ${name} from the swarm (${old.role}, ${old.state})`);
      continue;
    }
    if (now.role !== old.role) lines.push(`node ${name}: ${old.role} -> ${now.role}`);
    if (now.availability !== old.availability) lines.push(`node ${name}: availability ${old.availability} -> ${now.availability}`);
  }
  const nodesBefore = nodesByName(before);
  for (const [name, node] of nodesAfter) if (!nodesBefore.has(name)) lines.push(`joined node ${name} to the swarm (${node.role})`);
  return [...lines.filter((l) => l.startsWith('removed')), ...lines.filter((l) => !l.startsWith('removed'))];
}

/**
 * What `exercise reset` prints after its steps: the changes, or that there were none; a swarm
 * that could not be read (before or after) is said, not taken for "nothing changed".
 */
export function changesReport(before: ClusterSnapshot | undefined, after: ClusterSnapshot | undefined): string[] {
  if (!before || !after) return [`Could not read the swarm ${before ? 'after' : 'before'} the reset: what it changed is what its steps printed above.`];
  const changes = swarmChanges(before, after);
  if (changes.length === 0) return ['The reset changed nothing in the swarm (its services, networks, secrets, configs and nodes are as they were).'];
  return ['What the reset changed in the swarm:', ...changes.map((c) => `  - ${c}`)];
}
