// Forming the swarm inside the node containers, all through engine exec:
// wait for each node's dockerd, `swarm init` on the first manager, join the others.
import type { Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { FIRST_MANAGER, type LabNode } from '../plan/topology.js';
import { pollUntil, type Clock } from '../wait/poll.js';
import { redactTokens } from './secrets.js';

export type LocalNodeState = 'inactive' | 'pending' | 'active' | 'error' | 'locked';

export interface JoinTokens {
  worker: string;
  manager: string;
}

export interface Timeouts {
  daemonMs: number;
  readyMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { daemonMs: 60_000, readyMs: 90_000 };

/** Waits until the node's dockerd answers; returns its swarm membership state. */
export function waitForDaemon(engine: Engine, node: LabNode, timeoutMs: number, clock?: Clock): Promise<LocalNodeState> {
  return pollUntil<LocalNodeState>(
    async () => {
      const result = await engine.exec(node.containerName, ['docker', 'info', '--format', '{{.Swarm.LocalNodeState}}']).catch((err: Error) => ({
        exitCode: -1,
        stdout: '',
        stderr: err.message,
      }));
      if (result.exitCode === 0) return { done: result.stdout.trim() as LocalNodeState };
      return { notYet: result.stderr.trim().split('\n').pop() ?? 'no answer' };
    },
    { what: `dockerd in ${node.name}`, timeoutMs, intervalMs: 100, clock },
  );
}

async function execOrFail(engine: Engine, node: LabNode, argv: string[], what: string, stdin?: string): Promise<string> {
  const result = await engine.exec(node.containerName, argv, stdin === undefined ? {} : { stdin });
  if (result.exitCode !== 0) {
    throw new LabError(`${what} failed on ${node.name}: ${redactTokens(result.stderr.trim() || result.stdout.trim())}`);
  }
  return result.stdout;
}

export async function initSwarm(engine: Engine, manager: LabNode): Promise<void> {
  await execOrFail(engine, manager, ['docker', 'swarm', 'init'], 'swarm init');
}

export async function readJoinTokens(engine: Engine, manager: LabNode): Promise<JoinTokens> {
  const [worker, manager_] = await Promise.all(
    (['worker', 'manager'] as const).map(async (role) =>
      (await execOrFail(engine, manager, ['docker', 'swarm', 'join-token', '-q', role], `reading the ${role} join token`)).trim(),
    ),
  );
  return { worker: worker!, manager: manager_! };
}

/** Joins a node. The token goes over stdin so it never appears in an exec's argv or an error. */
export async function joinSwarm(engine: Engine, node: LabNode, tokens: JoinTokens): Promise<void> {
  const token = node.role === 'manager' ? tokens.manager : tokens.worker;
  const script = `read -r token; exec docker swarm join --token "$token" ${FIRST_MANAGER}:2377`;
  await execOrFail(engine, node, ['sh', '-c', script], 'swarm join', `${token}\n`);
}
