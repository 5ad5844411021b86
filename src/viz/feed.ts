// What changed between two pictures of the swarm, as lines a class watches for: a new
// leader, a node going Down or coming back, a node drained or made Active. Pure.
import type { ClusterSnapshot } from '../swarm/snapshot.js';

/**
 * A picture with no node list (taken while the managers elect a leader, or with none
 * answering) says nothing of the nodes: compared to it, every node would seem to leave and join
 * again. It is said in one line; the next picture with nodes is compared to the last one that had them.
 */
export function hasNodeList(snapshot: ClusterSnapshot): boolean {
  return snapshot.isManager && snapshot.nodes.length > 0;
}

/** Keeps the last picture with a node list, and turns each new picture into the feed's lines. */
export class SwarmFeed {
  private last: ClusterSnapshot | undefined;
  private blind = false;
  readonly lines: string[] = [];

  /** `word`: how a state or availability is written (the web page says Ready and Drain, as its badges do). */
  constructor(
    private readonly keep = 50,
    private readonly word: (value: string) => string = (value) => value,
  ) {}

  /** `time`: the prefix of each line, e.g. 12:03:04. Returns the lines it added. */
  add(snapshot: ClusterSnapshot, time: string): string[] {
    let added: string[] = [];
    if (!hasNodeList(snapshot)) {
      if (this.last && !this.blind) added = ['no manager answers for the swarm (a leader election may be under way)'];
      this.blind = true;
    } else {
      if (this.last) added = swarmEvents(this.last, snapshot, this.word);
      this.last = snapshot;
      this.blind = false;
    }
    const stamped = added.map((e) => `${time} ${e}`);
    this.lines.push(...stamped);
    this.lines.splice(0, Math.max(0, this.lines.length - this.keep));
    return stamped;
  }
}

export function swarmEvents(before: ClusterSnapshot, after: ClusterSnapshot, word: (value: string) => string = (value) => value): string[] {
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
    if (old.state !== node.state) events.push(`${node.hostname}: ${word(old.state)} -> ${word(node.state)}`);
    if (old.availability !== node.availability) events.push(`${node.hostname}: ${word(old.availability)} -> ${word(node.availability)}`);
    if (old.role !== node.role) events.push(`${node.hostname}: ${old.role} -> ${node.role}`);
  }
  for (const node of before.nodes.filter((n) => !after.nodes.some((a) => a.id === n.id))) events.push(`${node.hostname} left the swarm`);
  return events;
}
