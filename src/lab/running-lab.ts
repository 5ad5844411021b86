// What commands that work inside a lab (push, deploy, docker, ps, exercises) need: the lab's
// containers, its registry, and the node that answers for the swarm (see answering-manager.ts).
import type { ContainerInfo, Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { LABEL_NODE } from '../plan/labels.js';
import { FIRST_MANAGER } from '../plan/topology.js';
import { answerWords, askingOrder, findAnsweringManager, type NodeAnswer, noAnswerProblem, stoppedManagers } from '../swarm/answering-manager.js';
import { execInNode } from '../swarm/exec-in-node.js';
import { type LabInventory, readInventory, registryHostAddress } from './inventory.js';

export interface RunningLab {
  inventory: LabInventory;
  /** Container where swarm commands run: a manager that answers for the swarm, else the first node that runs. */
  manager: string;
  /** Its node name: `manager` unless the first manager cannot answer. */
  managerNode: string;
  /** Whether `manager` answers for the swarm (there is a swarm, and a leader it reaches). */
  answers: boolean;
  /** The nodes asked before it, and why they could not answer. */
  refused: NodeAnswer[];
  /** The registry as the host reaches it, e.g. 127.0.0.1:5000. */
  registryHost: string;
  registryHostPort: number;
}

/** `argv` run in the manager that answers for the swarm; its stdout, or an error naming that node and what it said. */
export function execInManager(engine: Engine, running: RunningLab, argv: string[], what: string): Promise<string> {
  return execInNode(engine, running.manager, argv, { what, node: running.managerNode });
}

export async function requireRunningLab(engine: Engine, lab: string): Promise<RunningLab> {
  await engine.info();
  const inventory = await readInventory(engine, lab);
  const registryHost = registryHostAddress(inventory);
  const [first] = askingOrder(inventory.containers);
  if (!first || !registryHost || inventory.registry?.state !== 'running') {
    throw new LabError(`lab "${lab}" is not up`, { fix: `swarmlab up --name ${lab} (swarmlab status --name ${lab} tells what is missing)` });
  }
  const { answering, refused } = await findAnsweringManager(engine, inventory.containers);
  // With no manager answering (no swarm yet, or no quorum), commands still go to the first
  // node that runs, so that `docker swarm init` (even --force-new-cluster) can be typed there.
  const chosen = answering ?? { node: first.labels[LABEL_NODE] ?? first.name, container: first.name };
  return {
    inventory,
    manager: chosen.container,
    managerNode: chosen.node,
    answers: answering !== undefined,
    refused,
    registryHost,
    registryHostPort: Number(registryHost.split(':').pop()),
  };
}

/** Why the first manager is not the one answering, in one line; undefined when it is. */
export function managerNote(running: RunningLab): string | undefined {
  if (running.managerNode === FIRST_MANAGER && running.answers) return undefined;
  const first = running.refused.find((r) => r.node === FIRST_MANAGER);
  const why = first ? answerWords(first) : `its container is ${running.inventory.nodes.get(FIRST_MANAGER)?.state ?? 'missing'}`;
  return running.answers ? `${FIRST_MANAGER} does not answer for the swarm (${why}); using ${running.managerNode}` : undefined;
}

/** Throws, naming each manager's answer and both ways out, unless a manager answers for the swarm. */
export function requireAnsweringManager(running: RunningLab, lab: string): void {
  if (!running.answers) {
    const { problem, fix } = noAnswerProblem(lab, running.refused, stoppedManagers(running.inventory.containers));
    throw new LabError(problem, { fix });
  }
}

/** The container of a node by its node name; a one-line error listing the real names otherwise. */
export function nodeContainer(running: RunningLab, node: string, lab: string): string {
  return nodeInfo(running, node, lab).name;
}

/** The container of the lab's node `node`, or a refusal naming the lab's nodes. */
export function nodeInfo(running: RunningLab, node: string, lab: string): ContainerInfo {
  const container = running.inventory.nodes.get(node);
  if (!container) {
    const names = [...running.inventory.nodes.keys()].sort().join(', ');
    throw new LabError(`lab "${lab}" has no node "${node}"`, { fix: `use one of ${names}` });
  }
  return container;
}
