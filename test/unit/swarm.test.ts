import type { ExecResult } from '../../src/engine/engine.js';
import { LABEL_NODE, LABEL_ROLE } from '../../src/plan/labels.js';
import { planTopology } from '../../src/plan/topology.js';
import { defaultSpec } from '../../src/spec/defaults.js';
import {
  findAnsweringManager,
  type NodeAnswer,
  noAnswerProblem,
  quorumFrom,
  quorumLine,
  quorumOf,
  type Refusal,
  readRefusal,
  refusalWords,
  stoppedManagers,
} from '../../src/swarm/answering-manager.js';
import { initSwarm, joinSwarm, readJoinTokens, readJoinTokensOnceLed } from '../../src/swarm/bootstrap.js';
import { duplicatedNames, missingOrNotReady, parseNodeList, staleEntries } from '../../src/swarm/nodes.js';
import { redactTokens } from '../../src/swarm/secrets.js';
import { FakeClock, FakeEngine } from './fake-engine.js';

const TOKEN = 'SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx';

describe('node list', () => {
  const text = [
    'm1\tmanager\tReady\tActive\tLeader',
    'w1\tworker01\tReady\tActive\t',
    'w2old\tworker02\tDown\tActive\t',
    'w2\tworker02\tReady\tActive\t',
    'w9\tworker09\tDown\tActive\t',
    '',
  ].join('\n');

  it('parses docker node ls lines, telling managers by their manager status', () => {
    const nodes = parseNodeList(text);
    expect(nodes[0]).toEqual({ id: 'm1', hostname: 'manager', role: 'manager', state: 'ready', availability: 'active', managerStatus: 'leader' });
    expect(nodes[1]!.role).toBe('worker');
    expect(nodes).toHaveLength(5);
  });

  it('counts a node Ready when any entry of its name is Ready, and names the rest', () => {
    expect(missingOrNotReady(parseNodeList(text), ['manager', 'worker01', 'worker02', 'worker03'])).toEqual(['worker03']);
  });

  it('calls stale the entries of replaced nodes and the Down entries of nodes no longer in the lab', () => {
    const nodes = parseNodeList(text);
    expect(duplicatedNames(nodes)).toEqual(['worker02']);
    expect(staleEntries(nodes, ['manager', 'worker01', 'worker02'], new Map([['worker02', 'w2']])).map((n) => n.id)).toEqual(['w2old', 'w9']);
    // Still Ready, but not the ID worker02 holds now: stale all the same.
    const readyTwice = parseNodeList('w2old\tworker02\tReady\tActive\t\nw2\tworker02\tReady\tActive\t');
    expect(staleEntries(readyTwice, ['worker02'], new Map([['worker02', 'w2']])).map((n) => n.id)).toEqual(['w2old']);
    // A Down node that is still wanted and has no replacement is not stale: it may come back.
    expect(staleEntries(parseNodeList('w3\tworker03\tDown\tActive\t'), ['worker03'], new Map())).toEqual([]);
  });
});

describe('join tokens', () => {
  it('are redacted from any text', () => {
    expect(redactTokens(`join failed: docker swarm join --token ${TOKEN} manager:2377`)).toBe(
      'join failed: docker swarm join --token SWMTKN-<redacted> manager:2377',
    );
  });

  it('travel to the joining node on stdin, never in its argv, even when the join fails', async () => {
    const engine = new FakeEngine().onExec(() => ({ exitCode: 1, stdout: '', stderr: `Error response from daemon: invalid join token ${TOKEN}` }));
    const calls = engine.execs;
    const worker = planTopology({ ...defaultSpec({}), workers: 1 }).nodes[1]!;
    const failure = await joinSwarm(engine, worker, TOKEN).catch((err: Error) => err);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.container).toBe('swarmlab-worker01');
    expect(calls[0]!.argv.join(' ')).not.toContain('SWMTKN');
    expect(calls[0]!.argv.join(' ')).toContain('--advertise-addr 10.210.1.100 --listen-addr 10.210.1.100:2377');
    expect(calls[0]!.stdin).toBe(`${TOKEN}\n`);
    expect((failure as Error).message).toContain('swarm join failed on worker01');
    expect((failure as Error).message).not.toContain(TOKEN);
  });

  const initSaid = (token: string) =>
    `Swarm initialized: current node (x1) is now a manager.\n\nTo add a worker to this swarm, run the following command:\n\n    docker swarm join --token ${token} 10.210.1.10:2377\n\n`;

  it("come out of the same exec as swarm init: the worker's from init's own output, the others asked after it", async () => {
    const engine = new FakeEngine().onExec((_container, argv) => ({
      exitCode: 0,
      stdout: argv[2]!.startsWith('docker swarm init') ? `${initSaid(TOKEN)}--- tokens ---\nSWMTKN-1-manager\n` : `${TOKEN}\nSWMTKN-1-manager\n`,
      stderr: '',
    }));
    const calls = engine.execs;
    const manager = planTopology({ ...defaultSpec({}), workers: 1 }).nodes[0]!;
    const tokens = await initSwarm(engine, manager, ['worker', 'manager']);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(calls[0]!.argv[2]).toBe(
      "docker swarm init --advertise-addr 10.210.1.10 --listen-addr 10.210.1.10:2377 && echo '--- tokens ---' && docker swarm join-token -q manager",
    );
    expect(tokens).toEqual(
      new Map([
        ['worker', TOKEN],
        ['manager', 'SWMTKN-1-manager'],
      ]),
    );
    // From a swarm formed already: the same tokens, one exec, no init.
    expect(await readJoinTokens(engine, manager, ['worker', 'manager'])).toEqual(tokens);
    expect(calls[1]!.argv).toEqual(['sh', '-c', 'docker swarm join-token -q worker && docker swarm join-token -q manager']);
    expect(await readJoinTokens(engine, manager, [])).toEqual(new Map());
    expect(calls).toHaveLength(2);
  });

  it('with the ingress cut, drop the ingress network in the same exec, after init and only without IPVS, before any token is read', async () => {
    const engine = new FakeEngine().onExec(() => ({ exitCode: 0, stdout: `${initSaid(TOKEN)}--- tokens ---\n`, stderr: '' }));
    const manager = planTopology({ ...defaultSpec({}), workers: 1 }).nodes[0]!;
    expect(await initSwarm(engine, manager, ['worker'], { withoutIngressUnlessIpvs: true })).toEqual(new Map([['worker', TOKEN]]));
    expect(engine.execs).toHaveLength(1);
    expect(engine.execs[0]!.argv[2]).toBe(
      "docker swarm init --advertise-addr 10.210.1.10 --listen-addr 10.210.1.10:2377 && { [ -e /proc/net/ip_vs ] || echo y | docker network rm ingress >/dev/null 2>&1 || true; } && echo '--- tokens ---'",
    );
    await initSwarm(engine, manager, ['worker']);
    expect(engine.execs[1]!.argv[2]).not.toContain('ingress');
  });

  it("are asked for when init's output names no token (a Docker that words it otherwise)", async () => {
    const engine = new FakeEngine().onExec((_container, argv) => ({
      exitCode: 0,
      stdout: argv[2]!.startsWith('docker swarm init') ? 'Swarm initialized.\n--- tokens ---\n' : `${TOKEN}\n`,
      stderr: '',
    }));
    const calls = engine.execs;
    const manager = planTopology({ ...defaultSpec({}), workers: 1 }).nodes[0]!;
    expect(await initSwarm(engine, manager, ['worker'])).toEqual(new Map([['worker', TOKEN]]));
    expect(calls).toHaveLength(2);
    expect(calls[1]!.argv).toEqual(['sh', '-c', 'docker swarm join-token -q worker']);
  });
});

describe('join tokens of a swarm whose other managers are starting again', () => {
  const noLeader = { exitCode: 1, stdout: '', stderr: 'Error response from daemon: rpc error: code = Unknown desc = The swarm does not have a leader.' };
  const manager = planTopology({ ...defaultSpec({}), workers: 1 }).nodes[0]!;

  it('waits for a leader (the others come back beside the read), then reads them', async () => {
    let asked = 0;
    const engine = new FakeEngine().onExec(() => (++asked < 4 ? noLeader : { exitCode: 0, stdout: `${TOKEN}\n`, stderr: '' }));
    const tokens = await readJoinTokensOnceLed(engine, manager, ['worker'], { timeoutMs: 60_000, clock: new FakeClock(), lab: 'lab' });
    expect([tokens, asked]).toEqual([new Map([['worker', TOKEN]]), 4]);
  });

  it('says how to recover when no leader comes back, and fails at once on anything else', async () => {
    const engine = new FakeEngine().onExec(() => noLeader);
    await expect(readJoinTokensOnceLed(engine, manager, ['worker'], { timeoutMs: 10_000, clock: new FakeClock(), lab: 'lab' })).rejects.toMatchObject({
      problem: 'the swarm of manager has no leader: too few of its managers came back (10 s)',
      fix: expect.stringContaining('swarmlab docker swarm init --force-new-cluster'),
    });
    const refused = new FakeEngine().onExec(() => ({ exitCode: 1, stdout: '', stderr: 'permission denied' }));
    await expect(readJoinTokensOnceLed(refused, manager, ['worker'], { timeoutMs: 10_000, clock: new FakeClock(), lab: 'lab' })).rejects.toThrow(
      'reading the worker join token failed on manager: permission denied',
    );
    expect(refused.execs).toHaveLength(1);
  });
});

describe('the manager that answers for the swarm', () => {
  it('words a refusal so a student can act on it', () => {
    const words = (stderr: string) => refusalWords(readRefusal(stderr));
    expect(words('Error response from daemon: rpc error: code = DeadlineExceeded desc = context deadline exceeded')).toBe(
      'the swarm has no leader (too few managers are online)',
    );
    expect(words('Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" ...')).toBe('in no swarm');
    expect(words("Error response from daemon: This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state.")).toBe(
      'not a swarm manager',
    );
    expect(words('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?')).toBe('its dockerd does not answer');
    expect(words('Error response from daemon: something else\nlast line')).toBe('last line');
  });

  it('tells refusals apart by reason, not by their words', () => {
    expect(readRefusal('Error response from daemon: The swarm does not have a leader.')).toEqual({ reason: 'no-leader' });
    expect(readRefusal('This node is not a swarm manager. Use "docker swarm init" or "docker swarm join"')).toEqual({ reason: 'in-no-swarm' });
    expect(readRefusal("This node is not a swarm manager. Worker nodes can't be used")).toEqual({ reason: 'not-a-manager' });
    expect(readRefusal('')).toEqual({ reason: 'other', said: 'no answer' });
  });

  it('does not follow a worker that formed a swarm of its own while the first manager is in none', async () => {
    const said: Record<string, ExecResult> = {
      manager: {
        exitCode: 1,
        stdout: '',
        stderr: 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm',
      },
      worker01: { exitCode: 0, stdout: 'abc\n', stderr: '' },
    };
    const engine = new FakeEngine().onExec((container) => said[container.replace('lab-', '')]);
    const container = (node: string, role: string) => ({ id: node, name: `lab-${node}`, state: 'running', labels: { [LABEL_NODE]: node, [LABEL_ROLE]: role } });
    const found = await findAnsweringManager(engine, [container('manager', 'manager'), container('worker01', 'worker')] as never);
    expect(found).toEqual({ refused: [{ node: 'manager', container: 'lab-manager', refusal: { reason: 'in-no-swarm' } }] });
    expect(engine.execs.map((e) => e.container)).toEqual(['lab-manager']);
    expect(noAnswerProblem('s', found.refused).problem).toBe('lab "s" has no swarm yet (manager: in no swarm)');
  });

  it('counts the quorum from the node list', () => {
    const q = quorumFrom([{ managerStatus: 'leader' }, { managerStatus: 'reachable' }, { managerStatus: 'unreachable' }, { managerStatus: '' }]);
    expect(q).toEqual({ managers: 3, reachable: 2, quorum: 2, canLose: 0 });
    expect(quorumLine(q!)).toBe('managers 3 (2 reachable), quorum 2, can lose 0 more');
    expect(quorumLine(quorumFrom([{ managerStatus: 'leader' }, { managerStatus: 'reachable' }, { managerStatus: 'reachable' }])!)).toBe(
      'managers 3, quorum 2, can lose 1',
    );
    expect(quorumLine(quorumFrom([{ managerStatus: 'leader' }, { managerStatus: 'unreachable' }])!)).toBe(
      'managers 2 (1 reachable), quorum 2: lost, the swarm takes no changes',
    );
    expect([1, 3, 5, 7].map(quorumOf)).toEqual([1, 2, 3, 4]);
  });
});

describe('when no manager answers for the swarm', () => {
  const refusal = (node: string, refusal: Refusal): NodeAnswer => ({ node, container: `lab-${node}`, refusal });

  it('a lab with no swarm yet is said in one short line, however many nodes it has', () => {
    const refused = ['manager', ...Array.from({ length: 50 }, (_, i) => `worker${String(i + 1).padStart(2, '0')}`)].map((n) =>
      refusal(n, { reason: 'not-a-manager' }),
    );
    expect(noAnswerProblem('big', refused)).toEqual({
      problem: 'lab "big" has no swarm yet (all 51 nodes: not a swarm manager)',
      fix: 'swarmlab up --name big, or form it by hand: swarmlab docker --name big swarm init',
    });
  });

  it('a lab whose only manager is killed or stopped is told to start it, not to form a swarm', () => {
    const said = noAnswerProblem(
      'k',
      [refusal('worker01', { reason: 'not-a-manager' })],
      [refusal('manager', { reason: 'container-stopped', state: 'exited' })],
    );
    expect(said).toEqual({
      problem: 'lab "k" has no manager running (manager: container exited)',
      fix: 'swarmlab start --name k starts it again (after a drill, swarmlab chaos heal --name k undoes them all)',
    });
  });

  it('finds the managers whose containers do not run', () => {
    const container = (node: string, role: string, state: string) => ({
      id: node,
      name: `lab-${node}`,
      state,
      labels: { [LABEL_NODE]: node, [LABEL_ROLE]: role },
    });
    const containers = [container('manager', 'manager', 'exited'), container('manager02', 'manager', 'running'), container('worker01', 'worker', 'exited')];
    expect(stoppedManagers(containers as never)).toEqual([
      { node: 'manager', container: 'lab-manager', refusal: { reason: 'container-stopped', state: 'exited' } },
    ]);
  });

  it('a lab that lost its quorum names what each node said and a surviving manager', () => {
    const said = noAnswerProblem('q', [refusal('manager', { reason: 'daemon-down' }), refusal('manager02', { reason: 'no-leader' })]);
    expect(said.problem).toBe(
      'lab "q" has no swarm quorum: no manager answers for the swarm (manager: its dockerd does not answer; manager02: the swarm has no leader (too few managers are online))',
    );
    expect(said.fix).toContain('swarmlab docker --name q --node manager02 swarm init --force-new-cluster');
  });
});
