// Nodes of a running lab removed the safe way, promoted and demoted (adding goes through `up`
// with more nodes asked for: the same bring-up, the next fixed addresses, the same joins).
import type { Engine } from '../engine/engine.js';
import { LabError, SpecError } from '../errors.js';
import { shapeOf } from '../plan/existing-shape.js';
import { FIRST_MANAGER } from '../plan/topology.js';
import { cliWord, isReachableManager } from '../swarm/node-model.js';
import { listSwarmNodes } from '../swarm/nodes.js';
import { pollUntil } from '../wait/poll.js';
import { execInManager, nodeContainer, nodeInfo, type RunningLab, requireAnsweringManager } from './running-lab.js';

/**
 * Only the last node of its kind goes: nodes are numbered, and a lab's shape is its highest
 * numbers, so a gap would be filled again by the next `up`.
 */
export function checkRemovable(nodeNames: string[], node: string): void {
  if (node === FIRST_MANAGER) {
    throw new SpecError([
      { field: 'NODE', problem: `${FIRST_MANAGER} is the lab's first manager (its ports and /stack are there)`, fix: 'remove another node, or swarmlab down' },
    ]);
  }
  const numbered = /^(manager|worker)(\d{2})$/.exec(node);
  const shape = shapeOf(nodeNames);
  const last = numbered?.[1] === 'manager' ? `manager${String(shape.managers).padStart(2, '0')}` : `worker${String(shape.workers).padStart(2, '0')}`;
  if (!numbered || !nodeNames.includes(node)) {
    throw new SpecError([{ field: 'NODE', problem: `no node ${JSON.stringify(node)} in the lab`, fix: `use one of ${nodeNames.sort().join(', ')}` }]);
  }
  if (node !== last)
    throw new SpecError([
      { field: 'NODE', problem: `${node} is not the last ${numbered[1]} (nodes are numbered; ${last} is)`, fix: `swarmlab node rm ${last} first` },
    ]);
}

/** Drain, wait for its tasks to start elsewhere, demote a manager, leave, drop its entry, remove its container and volume. */
export async function removeNode(
  engine: Engine,
  running: RunningLab,
  lab: string,
  node: string,
  say: (line: string) => void,
  timeoutMs: number,
): Promise<void> {
  checkRemovable([...running.inventory.nodes.keys()], node);
  requireAnsweringManager(running, lab);
  if (running.managerNode === node)
    throw new LabError(`${node} is the manager answering for the swarm`, { fix: `swarmlab chaos heal (so that ${FIRST_MANAGER} answers), then try again` });
  const { name: container, id: containerId } = nodeInfo(running, node, lab);
  const entries = (await listSwarmNodes(engine, running.manager)).filter((n) => n.hostname === node);
  if (entries.some((e) => e.state === 'ready')) {
    await execInManager(engine, running, ['docker', 'node', 'update', '--availability', 'drain', node], `draining ${node}`);
    say(`${node}: drained`);
    await pollUntil(
      async () => {
        const left = (
          await execInManager(engine, running, ['docker', 'node', 'ps', node, '--filter', 'desired-state=running', '-q'], `listing ${node}'s tasks`)
        ).trim();
        return left ? { notYet: `${left.split('\n').length} tasks still on ${node}` } : { done: true };
      },
      { what: `${node}'s tasks to move`, timeoutMs, intervalMs: 500 },
    );
    say(`${node}: its tasks run elsewhere`);
    if (entries.some((e) => e.role === 'manager')) {
      await execInManager(engine, running, ['docker', 'node', 'demote', node], `demoting ${node}`);
      say(`${node}: demoted`);
    }
  }
  await engine.exec(container, ['docker', 'swarm', 'leave', '--force']).catch(() => undefined);
  for (const entry of (await listSwarmNodes(engine, running.manager)).filter((n) => n.hostname === node)) {
    await execInManager(engine, running, ['docker', 'node', 'rm', '--force', entry.id], `removing ${node}'s swarm entry`);
  }
  say(`${node}: left the swarm; its entry is removed`);
  await engine.removeContainer(containerId);
  await engine.removeVolume(`${lab}-${node}-data`);
  say(`${node}: container and volume removed`);
}

/** promote or demote a node; the manager count after, for the caller's warning. */
export async function changeRole(engine: Engine, running: RunningLab, lab: string, node: string, to: 'promote' | 'demote'): Promise<number> {
  requireAnsweringManager(running, lab);
  nodeContainer(running, node, lab);
  const countManagers = async () =>
    (await execInManager(engine, running, ['docker', 'node', 'ls', '--filter', 'role=manager', '-q'], 'counting the managers'))
      .trim()
      .split('\n')
      .filter(Boolean).length;
  const wasManager =
    (await execInManager(engine, running, ['docker', 'node', 'inspect', '--format', '{{.Spec.Role}}', node], `reading ${node}'s role`)).trim() === 'manager';
  const before = await countManagers();
  await execInManager(engine, running, ['docker', 'node', to, node], `${to} ${node}`);
  // The command returns once the change is asked for; the node takes its place in (or leaves)
  // the Raft membership a moment later. Until then a demote right after a promote fails ("can't
  // find manager in raft memberlist", seen in CI), so the change is waited for.
  await pollUntil(
    async () => {
      const entry = (await listSwarmNodes(engine, running.manager)).find((n) => n.hostname === node);
      const now = cliWord(entry?.managerStatus ?? '');
      const settled = to === 'promote' ? entry !== undefined && isReachableManager(entry) : now === '';
      return settled ? { done: true } : { notYet: `${node} is ${now || 'a worker'}` };
    },
    { what: `${node} to be ${to === 'promote' ? 'a reachable manager' : 'a worker'}`, timeoutMs: 30_000, intervalMs: 250 },
  );
  // Counted from before: the swarm shows the new role only once the node has changed it.
  return to === 'promote' ? before + (wasManager ? 0 : 1) : before - (wasManager ? 1 : 0);
}
