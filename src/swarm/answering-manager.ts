// Which node answers for the swarm. A lab with three managers exists to survive the loss of
// one: when the first manager is gone (killed, stopped, cut off), any manager that still
// reaches a leader serves swarm commands, as `docker node ls` there shows. Asked in order: the
// first manager, the other managers, then workers (one may have been promoted).
import type { ContainerInfo, Engine } from '../engine/engine.js';
import { LABEL_NODE, LABEL_ROLE } from '../plan/labels.js';
import { FIRST_MANAGER } from '../plan/topology.js';
import { isReachableManager, type SwarmNode } from './node-model.js';

export interface NodeAnswer {
  node: string;
  container: string;
  /** Why this node cannot answer for the swarm; undefined when it can. */
  refusal?: Refusal;
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
    .sort((a, b) => rank(a) - rank(b) || (a.labels[LABEL_NODE] ?? '').localeCompare(b.labels[LABEL_NODE] ?? ''));
}

/**
 * Why a node does not answer for the swarm: no leader to follow, in no swarm at all (`docker
 * swarm init` or `join` is its way in), a worker, a dockerd that does not answer, a container
 * that does not run, or what the daemon said when it is none of these.
 */
export type Refusal =
  | { reason: 'no-leader' }
  | { reason: 'in-no-swarm' }
  | { reason: 'not-a-manager' }
  | { reason: 'daemon-down' }
  | { reason: 'container-stopped'; state: string }
  | { reason: 'other'; said: string };

/** The node answered, but as no manager: a worker, or a node in no swarm at all. */
export function answeredAsNoManager(answer: NodeAnswer): boolean {
  return answer.refusal?.reason === 'not-a-manager' || answer.refusal?.reason === 'in-no-swarm';
}

/** What a daemon's refusal (its stderr) means. The daemon's words are read here and nowhere else. */
export function readRefusal(stderr: string): Refusal {
  // Without a leader a manager either says so or waits for one until its deadline.
  if (/does not have a leader|too few managers are online|DeadlineExceeded|context deadline exceeded|lost leader status/i.test(stderr)) {
    return { reason: 'no-leader' };
  }
  // A worker says it is not a manager; a node in no swarm says so too, and to init or join.
  if (/not a swarm manager/i.test(stderr) && /swarm init|swarm join/i.test(stderr)) return { reason: 'in-no-swarm' };
  if (/not a swarm manager/i.test(stderr)) return { reason: 'not-a-manager' };
  if (/Cannot connect to the Docker daemon/i.test(stderr)) return { reason: 'daemon-down' };
  return { reason: 'other', said: stderr.trim().split('\n').pop() || 'no answer' };
}

/** A refusal in words a student can act on. */
export function refusalWords(refusal: Refusal): string {
  switch (refusal.reason) {
    case 'no-leader':
      return 'the swarm has no leader (too few managers are online)';
    case 'in-no-swarm':
      return 'in no swarm';
    case 'not-a-manager':
      return 'not a swarm manager';
    case 'daemon-down':
      return 'its dockerd does not answer';
    case 'container-stopped':
      return `container ${refusal.state}`;
    case 'other':
      return refusal.said;
  }
}

/** How long one node is given to answer `docker node ls`: a manager that follows a leader just
 * lost forwards the call to it and would wait some 20 s for its deadline. */
export const ANSWER_TIMEOUT_S = 2;
/** How long an election among a majority of managers is waited for, in all. Bounded, so that
 * `status` during a drill answers within a few seconds and says what is going on. */
export const ELECTION_WAIT_MS = 2000;

async function askNode(engine: Engine, c: ContainerInfo, seconds: number): Promise<NodeAnswer> {
  const node = c.labels[LABEL_NODE] ?? c.name;
  const ask = (argv: string[]) => engine.exec(c.name, argv).catch((err: Error) => ({ exitCode: -1, stdout: '', stderr: err.message }));
  let result = await ask(['timeout', String(seconds), 'docker', 'node', 'ls', '-q']);
  // An image without timeout(1): asked without a bound.
  if ((result.exitCode === 126 || result.exitCode === 127) && /timeout/.test(result.stderr)) result = await ask(['docker', 'node', 'ls', '-q']);
  if (result.exitCode === 0) return { node, container: c.name };
  // 124: coreutils' timeout; 143: busybox's (killed by TERM). A manager that found no leader in
  // that time has none it can reach: an election, or too few managers (electionUnderWay tells which).
  const refusal: Refusal = result.exitCode === 124 || result.exitCode === 143 ? { reason: 'no-leader' } : readRefusal(result.stderr);
  return { node, container: c.name, refusal };
}

/** Running managers that wait for a leader, when they are a majority of the lab's managers: the
 * swarm is electing one, and will have it within seconds. Undefined otherwise. */
export function electionUnderWay(refused: NodeAnswer[], stopped: NodeAnswer[]): { electing: number; managers: number } | undefined {
  const electing = refused.filter((r) => r.refusal?.reason === 'no-leader').length;
  const otherManagers = refused.filter((r) => r.refusal?.reason !== 'no-leader' && !answeredAsNoManager(r)).length;
  const managers = electing + otherManagers + stopped.length;
  return electing > 0 && electing >= quorumOf(managers) ? { electing, managers } : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The first node (in asking order) where `docker node ls` works, and what each node asked
 * before it said. The managers are asked at once, each for at most ANSWER_TIMEOUT_S; while a
 * majority of them is electing a leader they are asked again, for ELECTION_WAIT_MS in all.
 * Workers are asked only when no manager-labelled node answers, and not when the
 * first manager is in no swarm at all: then the lab's swarm is not formed (yet, or again), and a
 * worker that ran `swarm init` by mistake leads a swarm of its own, not the lab's (commands
 * would follow it there, the exercise's `swarm init` among them).
 */
export async function findAnsweringManager(
  engine: Engine,
  containers: ContainerInfo[],
  electionWaitMs = ELECTION_WAIT_MS,
): Promise<{ answering?: NodeAnswer; refused: NodeAnswer[] }> {
  const order = askingOrder(containers);
  const managers = order.filter((c) => c.labels[LABEL_ROLE] === 'manager');
  const deadline = Date.now() + electionWaitMs;
  let answers: NodeAnswer[] = [];
  for (let first = true; managers.length > 0; first = false) {
    const seconds = first ? ANSWER_TIMEOUT_S : Math.min(ANSWER_TIMEOUT_S, Math.floor((deadline - Date.now()) / 1000));
    if (seconds < 1) break;
    answers = await Promise.all(managers.map((c) => askNode(engine, c, seconds)));
    const answering = answers.findIndex((a) => a.refusal === undefined);
    if (answering >= 0) return { answering: answers[answering], refused: answers.slice(0, answering) };
    if (!electionUnderWay(answers, stoppedManagers(containers))) break;
    await sleep(300);
  }
  const refused = [...answers];
  for (const c of order.filter((w) => w.labels[LABEL_ROLE] !== 'manager')) {
    if (refused.some((r) => r.node === FIRST_MANAGER && r.refusal?.reason === 'in-no-swarm')) break;
    const answer = await askNode(engine, c, ANSWER_TIMEOUT_S);
    if (answer.refusal === undefined) return { answering: answer, refused };
    refused.push(answer);
  }
  return { refused };
}

/** The manager nodes whose containers do not run (killed by a drill, stopped), as "manager: container exited". */
export function stoppedManagers(containers: ContainerInfo[]): NodeAnswer[] {
  return containers
    .filter((c) => c.labels[LABEL_ROLE] === 'manager' && c.labels[LABEL_NODE] && c.state !== 'running')
    .map((c) => ({ node: c.labels[LABEL_NODE] ?? c.name, container: c.name, refusal: { reason: 'container-stopped', state: c.state } }));
}

/**
 * Why no node answers for the swarm, and the way out, in one line. `stopped`: the managers whose
 * containers do not run; with them, a lab whose running nodes are all workers has lost its
 * managers, not its swarm, and `swarm init` would be the wrong advice.
 */
/** What a node answered, in words: "in no swarm". */
export function answerWords(answer: NodeAnswer): string {
  return answer.refusal ? refusalWords(answer.refusal) : 'answers for the swarm';
}

/** "manager02: in no swarm". */
const answerLine = (answer: NodeAnswer) => `${answer.node}: ${answerWords(answer)}`;

export function noAnswerProblem(lab: string, refused: NodeAnswer[], stopped: NodeAnswer[] = []): { problem: string; fix: string } {
  const said = [...refused, ...stopped].map(answerLine).join('; ');
  const onlyWorkersRun = refused.every(answeredAsNoManager);
  if (onlyWorkersRun && stopped.length > 0) {
    return {
      problem: `lab "${lab}" has no manager running (${stopped.map(answerLine).join('; ')})`,
      fix: `swarmlab start --name ${lab} starts it again (after a drill, swarmlab chaos heal --name ${lab} undoes them all)`,
    };
  }
  if (onlyWorkersRun) {
    const words = new Set(refused.map(answerWords));
    const [only] = words;
    return {
      // One line, whatever the lab's size: every node said the same.
      problem: `lab "${lab}" has no swarm yet (${refused.length > 1 && words.size === 1 ? `all ${refused.length} nodes: ${only}` : said})`,
      fix: `swarmlab up --name ${lab}, or form it by hand: swarmlab docker --name ${lab} swarm init`,
    };
  }
  const election = electionUnderWay(refused, stopped);
  if (election) {
    // A majority runs: a leader comes within seconds. --force-new-cluster here would throw the swarm away.
    return {
      problem: `no leader yet: an election is under way among ${election.electing} of ${election.managers} managers`,
      fix: `wait a few seconds and ask again (swarmlab status --name ${lab}); a drill is undone by swarmlab chaos heal --name ${lab}`,
    };
  }
  // A manager still up that knows it lacks a leader can become the whole control plane;
  // one whose dockerd does not answer cannot.
  const survivor = (refused.find((r) => r.refusal?.reason === 'no-leader') ?? refused.find((r) => !answeredAsNoManager(r)))?.node ?? FIRST_MANAGER;
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

/** The quorum as the swarm's node list shows it (managerStatus leader, reachable or unreachable). */
export function quorumFrom(nodes: Pick<SwarmNode, 'managerStatus'>[]): Quorum | undefined {
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
