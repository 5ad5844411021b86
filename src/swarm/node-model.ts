// A swarm node in the swarm's own words (its API's, lower case), whether read from `docker node
// ls` or from `docker node inspect` (the snapshot). The docker CLI prints the same words with a
// capital (Ready, Leader): `cliWord` gives them so, for what swarmlab prints.

export type NodeRole = 'manager' | 'worker';
export type NodeState = 'ready' | 'down' | 'unknown' | 'disconnected';
export type NodeAvailability = 'active' | 'pause' | 'drain';
/** A manager's standing in the Raft group; '' for a worker. */
export type ManagerStatus = 'leader' | 'reachable' | 'unreachable' | 'unknown' | '';

export interface SwarmNode {
  id: string;
  /** Equal to the swarmlab node name. */
  hostname: string;
  role: NodeRole;
  state: NodeState;
  availability: NodeAvailability;
  managerStatus: ManagerStatus;
}

/** A node with its labels (docker node update --label-add), which `docker node inspect` shows and `docker node ls` does not. */
export interface LabelledNode extends SwarmNode {
  labels: Record<string, string>;
}

const NODE_STATES: readonly NodeState[] = ['ready', 'down', 'unknown', 'disconnected'];
const AVAILABILITIES: readonly NodeAvailability[] = ['active', 'pause', 'drain'];
const MANAGER_STATUSES: readonly ManagerStatus[] = ['leader', 'reachable', 'unreachable', 'unknown', ''];

function oneOf<T extends string>(word: string, words: readonly T[], otherwise: T): T {
  const lower = word.trim().toLowerCase();
  return words.find((w) => w === lower) ?? otherwise;
}

/** The word as the swarm says it, whatever its case; 'unknown' for a word it does not use. */
export const nodeState = (word: string): NodeState => oneOf(word, NODE_STATES, 'unknown');
/** The word as the swarm says it, whatever its case; 'active' (the swarm's default) for a word it does not use. */
export const nodeAvailability = (word: string): NodeAvailability => oneOf(word, AVAILABILITIES, 'active');
/** The word as the swarm says it, whatever its case; 'unknown' for a word it does not use ('' stays ''). */
export const managerStatus = (word: string): ManagerStatus => oneOf(word, MANAGER_STATUSES, 'unknown');

/** A manager the swarm can count on: the leader, or one the leader reaches. */
export function isReachableManager(node: Pick<SwarmNode, 'managerStatus'>): boolean {
  return node.managerStatus === 'leader' || node.managerStatus === 'reachable';
}

/** The word as the docker CLI prints it: Ready, Drain, Leader ('' stays ''). */
export function cliWord<T extends string>(word: T): Capitalize<T> {
  return (word.charAt(0).toUpperCase() + word.slice(1)) as Capitalize<T>;
}
