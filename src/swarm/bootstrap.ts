// Forming the swarm inside the node containers, all through engine exec:
// wait for each node's dockerd, `swarm init` on the first manager, join the others.
import type { Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { FIRST_MANAGER, type LabNode } from '../plan/topology.js';
import { trace } from '../trace.js';
import { type Clock, pollUntil, WaitTimeout } from '../wait/poll.js';
import { execInNode } from './exec-in-node.js';
import { redactTokens } from './secrets.js';

export type LocalNodeState = 'inactive' | 'pending' | 'active' | 'error' | 'locked';

export interface Timeouts {
  daemonMs: number;
  readyMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { daemonMs: 60_000, readyMs: 90_000 };

// dockerd logs this once it serves its socket (Debian's docker.io and the official dind image alike).
const DAEMON_READY_LINE = 'API listen on /var/run/docker.sock';
// How long to follow a node's output for that line before asking dockerd itself, in case an
// image logs something else.
const ASK_AFTER_MS = 1000;

async function askSwarmState(engine: Engine, node: LabNode): Promise<{ state?: LocalNodeState; problem: string }> {
  const result = await engine
    .exec(node.containerName, ['docker', 'info', '--format', '{{.Swarm.LocalNodeState}}'])
    .catch((err: Error) => ({ exitCode: -1, stdout: '', stderr: err.message }));
  if (result.exitCode === 0) return { state: result.stdout.trim() as LocalNodeState, problem: '' };
  const said = (result.stderr.trim() || result.stdout.trim()).split('\n').pop();
  return { problem: said || `docker info exited ${result.exitCode}` };
}

export interface DaemonWait {
  timeoutMs: number;
  /**
   * The node's data volume was made by this bring-up, so its dockerd starts outside any swarm:
   * once it listens, no exec is needed to ask.
   */
  fresh?: boolean;
  /** The engine's time when this bring-up began: a container that stopped before it is one compose has yet to start. */
  since: Date;
  signal?: AbortSignal;
  clock?: Clock;
}

/**
 * Waits until the node's dockerd answers; returns its swarm membership state. The container
 * need not exist yet: `up` starts waiting while compose is still creating the nodes. The wait
 * follows the node's output (the engine pushes each line, nothing is polled) until dockerd
 * says it listens; an exec into the node costs a process on the engine, so it is spent only
 * where the answer is not already known.
 */
export function waitForDaemon(engine: Engine, node: LabNode, wait: DaemonWait): Promise<LocalNodeState> {
  return pollUntil<LocalNodeState>(
    async () => {
      const run = await engine.runState(node.containerName);
      // Until compose has created and started the container, ask less often: eleven nodes
      // polled every 100 ms are load on the very engine that is creating them.
      if (!run) return { notYet: 'container not created yet', retryInMs: 250 };
      // A node whose dockerd died during this bring-up will not come back by waiting; say so
      // now, not at the timeout. One stopped before it began is waiting for compose to start it.
      if ((run.status === 'exited' || run.status === 'dead') && run.finishedAt >= wait.since) {
        throw new LabError(`node ${node.name} stopped (container ${run.status}) before its dockerd answered`);
      }
      // Under the restart policy a node whose process exits is started again and again: it says
      // `restarting` where one without a policy said `exited`. Either way it is not coming up.
      if (run.status === 'restarting') {
        throw new LabError(`node ${node.name} stopped (container restarting: its process keeps exiting) before its dockerd answered`);
      }
      if (!run.running) return { notYet: `container ${run.status}`, retryInMs: 250 };
      const follow = { since: run.startedAt, timeoutMs: ASK_AFTER_MS, signal: wait.signal };
      const listening = await engine.waitForOutput(node.containerName, DAEMON_READY_LINE, follow);
      if (listening && wait.fresh) return { done: 'inactive' };
      const answer = await askSwarmState(engine, node);
      return answer.state ? { done: answer.state } : { notYet: answer.problem };
    },
    { what: `dockerd in ${node.name}`, timeoutMs: wait.timeoutMs, intervalMs: 100, clock: wait.clock, signal: wait.signal },
  );
}

/**
 * A node's fixed address as both its advertised and its listen address. With the listen
 * address left at 0.0.0.0, a restarted dockerd finds its own IP by dialling manager:2377, and
 * dies ("could not find local IP address") when it starts before the manager's name resolves.
 */
function addressFlags(node: LabNode): string[] {
  return ['--advertise-addr', node.address, '--listen-addr', `${node.address}:2377`];
}

export type JoinTokens = Map<LabNode['role'], string>;

// `swarm init` prints the command a worker joins with, its token in it.
const WORKER_TOKEN_IN_INIT = /--token (SWMTKN-\S+)/;
/**
 * Inside the first manager, after init: the ingress network removed when the kernel has no IPVS
 * (/proc/net/ip_vs is in every network namespace once it has). `network rm ingress` asks for a
 * yes; it prints to stdout only, which would mix with init's token line. A removal that fails
 * leaves a lab as it was before the cut, so it does not fail the init.
 */
const DROP_INGRESS_UNLESS_IPVS = '{ [ -e /proc/net/ip_vs ] || echo y | docker network rm ingress >/dev/null 2>&1 || true; }';

// A line between the output of `first` and the tokens read after it in the same exec.
const TOKENS_FOLLOW = '--- tokens ---';

/**
 * The join tokens of `roles`, one exec for all, after `first` (a command that must succeed
 * before them) when given; what `first` printed comes back beside them. Kept in memory only.
 */
async function execForTokens(
  engine: Engine,
  manager: LabNode,
  roles: LabNode['role'][],
  what: string,
  first?: string,
): Promise<{ tokens: JoinTokens; firstSaid: string }> {
  const script = [...(first ? [first, `echo '${TOKENS_FOLLOW}'`] : []), ...roles.map((role) => `docker swarm join-token -q ${role}`)].join(' && ');
  const stdout = await execInNode(engine, manager.containerName, ['sh', '-c', script], { what, node: manager.name });
  const [firstSaid = '', tokenLines = ''] = first ? stdout.split(`${TOKENS_FOLLOW}\n`) : ['', stdout];
  const lines = tokenLines.trim().split('\n');
  return { tokens: new Map(roles.map((role, i) => [role, lines[i]?.trim() ?? ''])), firstSaid };
}

/**
 * `swarm init` on the first manager, and the join tokens of `roles` from the same exec: every
 * exec into a node is a process the engine starts, and this one is on the critical path of
 * every bring-up. The worker's token is taken from init's own output (one docker command fewer
 * inside the manager); should a Docker ever word that output otherwise, it is asked for.
 * `withoutIngressUnlessIpvs` (the node cut `ingress`): where the kernel has no IPVS the ingress
 * network is removed before any other node joins, so none builds its sandbox (docs/speed.md).
 */
export async function initSwarm(
  engine: Engine,
  manager: LabNode,
  roles: LabNode['role'][],
  options: { withoutIngressUnlessIpvs?: boolean } = {},
): Promise<JoinTokens> {
  const asked = roles.filter((role) => role !== 'worker');
  const init = `docker swarm init ${addressFlags(manager).join(' ')}`;
  const { tokens, firstSaid } = await execForTokens(
    engine,
    manager,
    asked,
    'swarm init',
    options.withoutIngressUnlessIpvs ? `${init} && ${DROP_INGRESS_UNLESS_IPVS}` : init,
  );
  if (roles.includes('worker')) {
    const worker = WORKER_TOKEN_IN_INIT.exec(firstSaid)?.[1];
    tokens.set('worker', worker ?? (await readJoinTokens(engine, manager, ['worker'])).get('worker') ?? '');
  }
  return tokens;
}

/** The join tokens of `roles` from a swarm formed already. */
export async function readJoinTokens(engine: Engine, manager: LabNode, roles: LabNode['role'][]): Promise<JoinTokens> {
  if (roles.length === 0) return new Map();
  return (await execForTokens(engine, manager, roles, `reading the ${roles.join(' and ')} join token${roles.length > 1 ? 's' : ''}`)).tokens;
}

/** How a manager words a swarm without a leader (`docker swarm join-token` and every other change). */
const NO_LEADER = /does not have a leader|context deadline exceeded/;

/**
 * The join tokens of a swarm formed already, once it has a leader. `up` on a lab whose managers
 * were stopped (a `swarmlab stop`, a lost-quorum drill) starts them beside this read: the first
 * manager answers before the others are back, and its swarm has no leader for some seconds.
 * Measured: `exercise start lost-quorum` run again while the quorum was lost failed at once here.
 */
export async function readJoinTokensOnceLed(
  engine: Engine,
  manager: LabNode,
  roles: LabNode['role'][],
  wait: { timeoutMs: number; signal?: AbortSignal; clock?: Clock; lab: string },
): Promise<JoinTokens> {
  try {
    return await pollUntil<JoinTokens>(
      async () => {
        try {
          return { done: await readJoinTokens(engine, manager, roles) };
        } catch (err) {
          if (err instanceof LabError && NO_LEADER.test(err.message)) return { notYet: 'the swarm has no leader yet' };
          throw err;
        }
      },
      { what: `a leader in the swarm of ${manager.name}`, timeoutMs: wait.timeoutMs, intervalMs: 1000, signal: wait.signal, clock: wait.clock },
    );
  } catch (err) {
    if (!(err instanceof WaitTimeout)) throw err;
    throw new LabError(`the swarm of ${manager.name} has no leader: too few of its managers came back (${Math.round(wait.timeoutMs / 1000)} s)`, {
      fix: `swarmlab docker swarm init --force-new-cluster makes ${manager.name} the one manager of its swarm, services kept (then swarmlab up --name ${wait.lab} joins the others); or swarmlab down --name ${wait.lab}, then up`,
    });
  }
}

/** Join attempts per node before up gives up on it. */
const JOIN_ATTEMPTS = 3;
/** Polls of the node's state (a second apart, or longer under load) while a background join is pending. */
const PENDING_POLLS = 60;

/**
 * The shell run inside a joining node, the token read from stdin. Measured with 50 workers on
 * 2 cores: some joins outlast dockerd's own 20 s wait ("will continue in the background") and
 * then end in the error state ("no route to host", "context deadline exceeded") and stay there.
 * So a join that fails is followed until the node is active, and one that ends otherwise is
 * left (`swarm leave --force`) and tried again after a second. Each retry's reason goes to
 * stderr, for the trace. A node that fails every attempt is left too, so the next up, which
 * joins only nodes outside any swarm, tries it again.
 */
export function joinScript(node: LabNode): string {
  const join = `docker swarm join ${addressFlags(node).join(' ')} --token "$token" ${FIRST_MANAGER}:2377`;
  return [
    'read -r token',
    'attempt=1',
    'while :; do',
    `  if out=$(${join} 2>&1); then exit 0; fi`,
    '  polls=0',
    `  while [ "$polls" -lt ${PENDING_POLLS} ]; do`,
    "    state=$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)",
    '    case "$state" in active) exit 0 ;; pending) ;; *) break ;; esac',
    '    sleep 1; polls=$((polls + 1))',
    '  done',
    // What the node itself says went wrong: the join's own text only says it went on.
    "  why=$(docker info --format '{{.Swarm.Error}}' 2>/dev/null)",
    '  docker swarm leave --force >/dev/null 2>&1',
    `  if [ "$attempt" -ge ${JOIN_ATTEMPTS} ]; then printf '%s\\n' "$out" "node state: $state\${why:+, $why}" >&2; exit 1; fi`,
    `  printf 'swarmlab: join attempt %s ended (state %s%s): %s\\n' "$attempt" "$state" "\${why:+, $why}" "$out" >&2`,
    '  sleep 1',
    '  attempt=$((attempt + 1))',
    'done',
  ].join('\n');
}

/** Joins a node. The token goes over stdin so it never appears in an exec's argv or an error. */
export async function joinSwarm(engine: Engine, node: LabNode, token: string): Promise<void> {
  const result = await engine.exec(node.containerName, ['sh', '-c', joinScript(node)], { stdin: `${token}\n` });
  if (result.exitCode !== 0) {
    throw new LabError(`swarm join failed on ${node.name}: ${redactTokens(result.stderr.trim() || result.stdout.trim())}`);
  }
  for (const retry of result.stderr.split('\n').filter((l) => l.startsWith('swarmlab: join attempt'))) {
    trace(`${node.name}: ${redactTokens(retry.slice('swarmlab: '.length))}`);
  }
}
