// A lab's status: its containers (by label) joined with what the swarm says of each node, as
// told by the first manager or, when it cannot answer, by another one (answering-manager.ts).
import type { Engine } from '../engine/engine.js';
import { LABEL_ROLE } from '../plan/labels.js';
import { FIRST_MANAGER } from '../plan/topology.js';
import {
  answeredAsNoManager,
  electionUnderWay,
  findAnsweringManager,
  noAnswerProblem,
  type Quorum,
  quorumFrom,
  stoppedManagers,
} from '../swarm/answering-manager.js';
import { cliWord, type ManagerStatus, type NodeAvailability, type NodeState, type SwarmNode } from '../swarm/node-model.js';
import { listSwarmNodes } from '../swarm/nodes.js';
import { readInventory, registryHostAddress } from './inventory.js';
import { apiHost, managerApis } from './lab-api.js';

export interface NodeStatus {
  name: string;
  /** The swarm's role when the node is in it (a promoted worker is a manager), else its container's. */
  role: string;
  container: string;
  containerState: string;
  /** What the swarm says, as the docker CLI prints it (Ready, Down, ...), or "not in swarm". */
  state: Capitalize<NodeState> | 'not in swarm' | 'unknown';
  availability: Capitalize<NodeAvailability> | '';
  managerStatus: Capitalize<ManagerStatus>;
}

/**
 * up: all is well. degraded: the swarm works with a part missing (a manager killed, a worker
 * down, the registry stopped), or a majority of managers is electing a leader. down: no
 * containers, no node running, no swarm, or a lost quorum. `status` exits 0, 3 and 1.
 */
export type LabHealth = 'up' | 'degraded' | 'down';

export const HEALTH_EXIT_CODE: Record<LabHealth, number> = { up: 0, degraded: 3, down: 1 };

export interface LabStatus {
  lab: string;
  /** True when every node container runs and every node is Ready in the swarm. */
  up: boolean;
  health: LabHealth;
  /** While a majority of managers elects a leader: how many of how many managers. */
  election: { electing: number; managers: number } | null;
  registry: { host: string | null; inCluster: string; state: string };
  /** The first manager's Engine API as this machine reaches it (tcp://127.0.0.1:PORT), when it publishes one. */
  api: string | null;
  nodes: NodeStatus[];
  /** Why the lab is not up, one line each. */
  problems: string[];
  /** Its nodes run but form no swarm (`up --no-swarm`, or every node left). */
  noSwarm: boolean;
  /** The node whose view this is: `manager`, or another manager when the first cannot answer. */
  answeredBy: string | null;
  leader: string | null;
  quorum: Quorum | null;
}

/** `knownSwarm`: the node list when the caller has just read it on the first manager (after `up`), saving the asking. */
export async function readStatus(engine: Engine, lab: string, knownSwarm?: SwarmNode[]): Promise<LabStatus> {
  const inventory = await readInventory(engine, lab);
  const problems: string[] = [];
  if (inventory.containers.length === 0) problems.push(`lab "${lab}" has no containers: run swarmlab up`);
  let swarm: SwarmNode[] = [];
  let noSwarm = false;
  let answeredBy: string | null = null;
  let election: LabStatus['election'] = null;
  if (knownSwarm) {
    swarm = knownSwarm;
    answeredBy = 'manager';
  } else if (inventory.containers.length > 0) {
    const { answering, refused } = await findAnsweringManager(engine, inventory.containers);
    if (answering) {
      answeredBy = answering.node;
      swarm = await listSwarmNodes(engine, answering.container).catch((err: Error) => {
        problems.push(err.message);
        return [];
      });
    } else if (refused.length === 0) {
      problems.push('no node container is running');
    } else {
      const stopped = stoppedManagers(inventory.containers);
      noSwarm = stopped.length === 0 && refused.every(answeredAsNoManager);
      election = electionUnderWay(refused, stopped) ?? null;
      const { problem, fix } = noAnswerProblem(lab, refused, stopped);
      problems.push(`${problem}; fix: ${fix}`);
    }
  }
  const byName = new Map(swarm.map((n) => [n.hostname, n] as const));
  const nodes: NodeStatus[] = [...inventory.nodes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, container]) => {
      const inSwarm = byName.get(name);
      return {
        name,
        role: inSwarm?.role ?? container.labels[LABEL_ROLE] ?? 'unknown',
        container: container.name,
        containerState: container.state,
        state: inSwarm ? cliWord(inSwarm.state) : answeredBy ? 'not in swarm' : 'unknown',
        availability: inSwarm ? cliWord(inSwarm.availability) : '',
        managerStatus: inSwarm ? cliWord(inSwarm.managerStatus) : '',
      };
    });
  for (const n of nodes) {
    if (n.containerState !== 'running') problems.push(`${n.name}: container is ${n.containerState}`);
    else if (n.state !== 'Ready' && answeredBy) problems.push(`${n.name}: ${n.state}`);
  }
  if (inventory.containers.length > 0 && inventory.registry?.state !== 'running') problems.push('the registry is not running');
  const leader = swarm.find((n) => n.managerStatus === 'leader')?.hostname ?? null;
  const quorum = quorumFrom(swarm) ?? null;
  const firstApi = managerApis(inventory).find((a) => a.node === FIRST_MANAGER);
  const health: LabHealth =
    problems.length === 0 ? 'up' : election || (answeredBy && leader && (!quorum || quorum.reachable >= quorum.quorum)) ? 'degraded' : 'down';
  return {
    lab,
    up: problems.length === 0,
    health,
    election,
    registry: { host: registryHostAddress(inventory) ?? null, inCluster: 'registry:5000', state: inventory.registry?.state ?? 'missing' },
    api: firstApi ? apiHost(firstApi) : null,
    nodes,
    problems,
    noSwarm,
    answeredBy,
    leader,
    quorum,
  };
}
