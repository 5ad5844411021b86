// Which node answers for the swarm. A lab with three managers exists to survive the loss of
// one: when the first manager is gone (killed, stopped, cut off), any manager that still
// reaches a leader serves swarm commands, as `docker node ls` there shows. Asked in order: the
// first manager, the other managers, then workers (one may have been promoted).
import type { ContainerInfo, Engine } from '../engine/engine.js';
import { LABEL_NODE, LABEL_ROLE } from '../plan/labels.js';
import { FIRST_MANAGER } from '../plan/topology.js';
import { isReachableManager } from './nodes.js';

export interface NodeAnswer {
  node: string;
  container: string;
  /** Why this node cannot answer for the swarm; undefined when it can. */
  problem?: string;
}

/** Raft's majority: how many of `managers` must be reachable for the swarm to change anything. */
export function quorumOf(managers: number): number {
  return Math.floor(managers / 2) + 1;
}

/** The order in which nodes are asked: the first manager, other managers, then workers; running ones only. */
export function askingOrder(containers: ContainerInfo[]): ContainerInfo[] {
  const rank = (c: ContainerInfo) => (c.labels[LABEL_NODE] === FIRST_MANAGER ? 0 : c.labels[LABEL_ROLE] === 'manager' ? 1 : 2);
  return containers
    .filter((c) => c.state === 'running' && c.labels[LABEL_NODE] && c.labels[LABEL_ROLE] !== 'registry')
    .sort((a, b) => rank(a) - rank(b) || a.labels[LABEL_NODE]!.localeCompare(b.labels[LABEL_NODE]!));
}

const NO_LEADER = 'the swarm has no leader (too few managers are online)';

/** What a node outside any swarm says: `docker swarm init` or `join` is its way in. */
export const IN_NO_SWARM = 'in no swarm';
/** What a worker says. */
const NOT_A_MANAGER = 'not a swarm manager';

/** The node answered, but as no manager: a worker, or a node in no swarm at all. */
export function answeredAsNoManager(answer: NodeAnswer): boolean {
  return answer.problem === NOT_A_MANAGER || answer.problem === IN_NO_SWARM;
}

/** A daemon's refusal, in words a student can act on. */
export function describeRefusal(stderr: string): string {
  // Without a leader a manager either says so or waits for one until its deadline.
  if (/does not have a leader|too few managers are online|DeadlineExceeded|context deadline exceeded|lost leader status/i.test(stderr)) return NO_LEADER;
  // A worker says it is not a manager; a node in no swarm says so too, and to init or join.
  if (/not a swarm manager/i.test(stderr) && /swarm init|swarm join/i.test(stderr)) return IN_NO_SWARM;
  if (/not a swarm manager/i.test(stderr)) return NOT_A_MANAGER;
  if (/Cannot connect to the Docker daemon/i.test(stderr)) return 'its dockerd does not answer';
  return stderr.trim().split('\n').pop() || 'no answer';
}

/**
 * The first node (in asking order) where `docker node ls` works, and what each node asked
 * before it said. Workers are asked only when no manager-labelled node answers, and not when the
 * first manager is in no swarm at all: then the lab's swarm is not formed (yet, or again), and a
 * worker that ran `swarm init` by mistake leads a swarm of its own, not the lab's (commands
 * would follow it there, the exercise's `swarm init` among them).
 */
export async function findAnsweringManager(engine: Engine, containers: ContainerInfo[]): Promise<{ answering?: NodeAnswer; refused: NodeAnswer[] }> {
  const refused: NodeAnswer[] = [];
  for (const c of askingOrder(containers)) {
    const node = c.labels[LABEL_NODE]!;
    if (c.labels[LABEL_ROLE] !== 'manager' && refused.some((r) => r.node === FIRST_MANAGER && r.problem === IN_NO_SWARM)) break;
    const result = await engine.exec(c.name, ['docker', 'node', 'ls', '-q']).catch((err: Error) => ({ exitCode: -1, stdout: '', stderr: err.message }));
    if (result.exitCode === 0) return { answering: { node, container: c.name }, refused };
    refused.push({ node, container: c.name, problem: describeRefusal(result.stderr) });
  }
  return { refused };
}

/** The manager nodes whose containers do not run (killed by a drill, stopped), as "manager: container exited". */
export function stoppedManagers(containers: ContainerInfo[]): NodeAnswer[] {
  return containers
    .filter((c) => c.labels[LABEL_ROLE] === 'manager' && c.labels[LABEL_NODE] && c.state !== 'running')
    .map((c) => ({ node: c.labels[LABEL_NODE]!, container: c.name, problem: `container ${c.state}` }));
}

/**
 * Why no node answers for the swarm, and the way out, in one line. `stopped`: the managers whose
 * containers do not run; with them, a lab whose running nodes are all workers has lost its
 * managers, not its swarm, and `swarm init` would be the wrong advice.
 */
export function noAnswerProblem(lab: string, refused: NodeAnswer[], stopped: NodeAnswer[] = []): { problem: string; fix: string } {
  const said = [...refused, ...stopped].map((r) => `${r.node}: ${r.problem}`).join('; ');
  const onlyWorkersRun = refused.every(answeredAsNoManager);
  if (onlyWorkersRun && stopped.length > 0) {
    return {
      problem: `lab "${lab}" has no manager running (${stopped.map((r) => `${r.node}: ${r.problem}`).join('; ')})`,
      fix: `swarmlab start --name ${lab} starts it again (after a drill, swarmlab chaos heal --name ${lab} undoes them all)`,
    };
  }
  if (onlyWorkersRun) {
    return {
      // One line, whatever the lab's size: every node said the same.
      problem: `lab "${lab}" has no swarm yet (${
        refused.length === 1
          ? `${refused[0]!.node}: ${refused[0]!.problem}`
          : refused.every((r) => r.problem === refused[0]!.problem)
            ? `all ${refused.length} nodes: ${refused[0]!.problem}`
            : said
      })`,
      fix: `swarmlab up --name ${lab}, or form it by hand: swarmlab docker --name ${lab} swarm init`,
    };
  }
  // A manager still up that knows it lacks a leader can become the whole control plane;
  // one whose dockerd does not answer cannot.
  const survivor = (refused.find((r) => r.problem === NO_LEADER) ?? refused.find((r) => !answeredAsNoManager(r)))?.node ?? FIRST_MANAGER;
  return {
    problem: `lab "${lab}" has no swarm quorum: no manager answers for the swarm (${said})`,
    fix: `start the stopped managers again (swarmlab start --name ${lab}), or make a surviving manager the whole control plane: swarmlab docker --name ${lab} --node ${survivor} swarm init --force-new-cluster`,
  };
}

export interface Quorum {
  managers: number;
  reachable: number;
  quorum: number;
  /** How many more managers can be lost before the swarm stops taking changes. */
  canLose: number;
}

/** The quorum as the swarm's node list shows it (managerStatus Leader, Reachable or Unreachable). */
export function quorumFrom(nodes: { managerStatus: string }[]): Quorum | undefined {
  const managers = nodes.filter((n) => n.managerStatus !== '');
  if (managers.length === 0) return undefined;
  const reachable = managers.filter(isReachableManager).length;
  const quorum = quorumOf(managers.length);
  return { managers: managers.length, reachable, quorum, canLose: Math.max(0, reachable - quorum) };
}

/** "managers 3, quorum 2, can lose 1", or with the unreachable ones said. */
export function quorumLine(q: Quorum): string {
  const reach = q.reachable === q.managers ? '' : ` (${q.reachable} reachable)`;
  if (q.reachable < q.quorum) return `managers ${q.managers}${reach}, quorum ${q.quorum}: lost, the swarm takes no changes`;
  return `managers ${q.managers}${reach}, quorum ${q.quorum}, can lose ${q.canLose}${q.reachable === q.managers ? '' : ' more'}`;
}
