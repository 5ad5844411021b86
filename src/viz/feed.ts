// What changed between two pictures of the swarm, as lines a class watches for: a new
// leader, a node going Down or coming back, a node drained or made Active. Pure.
import type { ClusterSnapshot } from '../swarm/snapshot.js';

export function swarmEvents(before: ClusterSnapshot, after: ClusterSnapshot): string[] {
  const events: string[] = [];
  const leaderOf = (s: ClusterSnapshot) => s.nodes.find((n) => n.managerStatus === 'leader')?.hostname;
  const [was, now] = [leaderOf(before), leaderOf(after)];
  if (was !== now) events.push(now ? `leader: ${was ?? 'none'} -> ${now}` : `no leader (was ${was}): the swarm has lost its quorum`);
  for (const node of after.nodes) {
    const old = before.nodes.find((n) => n.id === node.id);
    if (!old) {
      events.push(`${node.hostname} joined (${node.role})`);
      continue;
    }
    if (old.state !== node.state) events.push(`${node.hostname}: ${old.state} -> ${node.state}`);
    if (old.availability !== node.availability) events.push(`${node.hostname}: ${old.availability} -> ${node.availability}`);
    if (old.role !== node.role) events.push(`${node.hostname}: ${old.role} -> ${node.role}`);
  }
  for (const node of before.nodes.filter((n) => !after.nodes.some((a) => a.id === n.id))) events.push(`${node.hostname} left the swarm`);
  return events;
}
