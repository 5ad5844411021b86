// The pure core of exercise checks: the snapshot parser (on output captured from a real
// manager), expectations, the check runner with a fake lab and clock, progress, templates.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type CheckEnvironment, runChecks } from '../../src/exercise/checks.js';
import { decodeExercise } from '../../src/exercise/decode.js';
import { evaluateExpectation, globMatches } from '../../src/exercise/expect.js';
import { demotionSteps, growStep, shapeMismatch, upStep } from '../../src/exercise/prepare-lab.js';
import { emptyProgress, nextHint, recordCheck, recordStart } from '../../src/exercise/progress.js';
import { commandFor, describeStep, NODE_STEP_TIMEOUT_S, runSteps } from '../../src/exercise/run-steps.js';
import { fillTemplate, placeholdersOf, splitCommandLine } from '../../src/exercise/template.js';
import type { Expectation } from '../../src/exercise/types.js';
import { inventoryOf } from '../../src/lab/inventory.js';
import type { RunningLab } from '../../src/lab/running-lab.js';
import { PROGRESS_ENV, runActions } from '../../src/steps/action.js';
import { type ClusterSnapshot, parseSnapshot } from '../../src/swarm/snapshot.js';
import { REPO_ROOT } from '../repo-root.js';
import { FakeEngine } from './fake-engine.js';

const fixture = (name: string) => readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'snapshot', name), 'utf8');
// Captured on a manager: service echo (3 replicas, workers only, host port 80, dnsrr, secret pw,
// env FOO=bar, network ch03) and service bad, whose bind mount source does not exist.
const snapshot = parseSnapshot(fixture('services-and-failures.txt'));
const evaluate = (e: Expectation, s: ClusterSnapshot = snapshot) => evaluateExpectation(e, s);

describe('snapshot', () => {
  it('reads nodes, services, tasks, networks and secrets from a manager', () => {
    expect(snapshot).toMatchObject({ swarmState: 'active', isManager: true, ipvs: false, secrets: ['pw'], configs: [] });
    expect(snapshot.nodes.map((n) => `${n.hostname} ${n.role} ${n.state} ${n.managerStatus}`)).toEqual([
      'manager manager ready leader',
      'worker01 worker ready ',
      'worker02 worker ready ',
      'worker03 worker ready ',
    ]);
    const echo = snapshot.services.find((s) => s.name === 'echo')!;
    expect(echo).toMatchObject({
      image: 'registry:5000/swarmlab/echo:offline',
      mode: 'replicated',
      replicas: 3,
      networks: ['ch03'],
      ports: [{ published: 80, target: 8080, mode: 'host', protocol: 'tcp' }],
      endpointMode: 'dnsrr',
      secrets: ['pw'],
      env: { FOO: 'bar' },
      constraints: ['node.role != manager'],
    });
    expect(snapshot.networks.find((n) => n.name === 'ch03')).toMatchObject({ driver: 'overlay', scope: 'swarm', attachable: true });
  });

  it('reads a worker, which cannot answer for the swarm', () => {
    const worker = parseSnapshot(fixture('worker.txt'));
    expect(worker).toMatchObject({ swarmState: 'active', isManager: false, nodes: [], services: [] });
  });
});

describe('expectations', () => {
  it('passes a service as it runs, with the values it saw', () => {
    const seen = evaluate({
      on: 'service',
      name: 'echo',
      replicas: 3,
      minNodes: 3,
      notOnRole: 'manager',
      image: '*echo*',
      networks: ['ch03'],
      publishedPort: 80,
      publishMode: 'host',
      endpointMode: 'dnsrr',
      secrets: ['pw'],
      env: { FOO: 'b*' },
      constraints: ['node.role!=manager'],
    });
    expect(seen.problems).toEqual([]);
    expect(seen.values).toMatchObject({ running: 3, desired: 3, nodes: 3, nodeNames: 'worker01, worker02, worker03' });
  });

  it('names every mismatch of a service, and what it saw', () => {
    const seen = evaluate({
      on: 'service',
      name: 'echo',
      replicas: 6,
      minNodes: 4,
      onRole: 'manager',
      publishedPort: 8000,
      secrets: ['db'],
      env: { FOO: 'baz', BACKEND_HOST: 'api:8080' },
      constraints: ['node.role == manager'],
    });
    expect(seen.passed).toBe(false);
    expect(seen.problems).toEqual([
      'service echo: 3 of 6 running (the service asks for 3)',
      'service echo: running on 3 nodes (worker01, worker02, worker03), want at least 4',
      'service echo: 3 tasks on a node that is not a manager (worker01, worker02, worker03)',
      'service echo: publishes 80:8080/host, want port 8000',
      'service echo: not attached to secret db (has pw)',
      'service echo: env FOO is "bar", want "baz"',
      'service echo: env BACKEND_HOST is not set, want "api:8080"',
      'service echo: has no constraint node.role == manager (has node.role != manager)',
    ]);
  });

  it("brings a failing service's task errors along", () => {
    const seen = evaluate({ on: 'service', name: 'bad', replicas: 1, mounts: { '/var/run/docker.sock': '/var/run/docker.sock' } });
    expect(seen.problems).toEqual([
      'service bad: 0 of 1 running',
      'service bad: mounts /var/run/docker/sock at /var/run/docker.sock, want /var/run/docker.sock',
    ]);
    expect(seen.taskErrors).toEqual([
      'task bad.1 on worker03: rejected: invalid mount config for type "bind": bind source path does not exist: /var/run/docker/sock',
    ]);
  });

  it('says tasks that fail the same way once, with their names', () => {
    const echo = snapshot.services.find((s) => s.name === 'echo')!;
    const rejected = [1, 2, 3, 4, 5].map((slot) => ({
      id: `t${slot}`,
      serviceId: echo.id,
      slot,
      nodeId: snapshot.nodes[slot % 4]!.id,
      desiredState: 'ready' as const,
      state: 'rejected' as const,
      error: 'No such image: x:1',
      timestamp: `2026-11-23T10:00:0${slot}Z`,
    }));
    const pending = {
      id: 't6',
      serviceId: echo.id,
      slot: 6,
      nodeId: '',
      desiredState: 'running' as const,
      state: 'pending' as const,
      error: 'no suitable node',
      timestamp: '2026-11-23T10:00:09Z',
    };
    const failing = { ...snapshot, tasks: [...rejected, pending] };
    expect(evaluate({ on: 'service', name: 'echo', replicas: 6 }, failing).taskErrors).toEqual([
      'tasks echo.1 on worker01, echo.2 on worker02 and 3 more: rejected: No such image: x:1',
      'task echo.6: pending: no suitable node',
    ]);
  });

  it('says what exists when a service does not, and honours absent', () => {
    expect(evaluate({ on: 'service', name: 'hello', replicas: 1 }).problems).toEqual(['service hello does not exist (services: bad, echo)']);
    expect(evaluate({ on: 'service', name: 'hello', absent: true }).passed).toBe(true);
    expect(evaluate({ on: 'service', name: 'echo', absent: true }).problems).toEqual(['service echo still exists']);
  });

  it('checks nodes, one by name or all by count', () => {
    expect(evaluate({ on: 'node', name: 'manager', role: 'manager', managerStatus: 'leader', status: 'ready', availability: 'active' }).passed).toBe(true);
    expect(evaluate({ on: 'node', name: 'worker01', availability: 'drain', role: 'manager' }).problems).toEqual([
      'node worker01: role is worker, want manager',
      'node worker01: availability is active, want drain',
    ]);
    expect(evaluate({ on: 'node', name: 'worker09' }).problems).toEqual(['node worker09 is not in the swarm (nodes: manager, worker01, worker02, worker03)']);
    expect(evaluate({ on: 'nodes', ready: 4, managers: 1, workers: 3, down: 0 }).passed).toBe(true);
    expect(evaluate({ on: 'nodes', managers: 3 }).problems[0]).toBe('managers: 1, want 3');
  });

  it('says there is no swarm when the manager is in none', () => {
    const none: ClusterSnapshot = { ...snapshot, swarmState: 'inactive', isManager: false, nodes: [] };
    expect(evaluate({ on: 'node', name: 'manager' }, none).problems).toEqual(['node manager: there is no swarm yet (the manager is in no swarm)']);
    expect(evaluate({ on: 'nodes', ready: 4 }, none).problems).toEqual(['there is no swarm yet (the manager is in no swarm)']);
  });

  it('says the swarm has no leader when the manager, in it, can list no node', () => {
    const leaderless: ClusterSnapshot = { ...snapshot, swarmState: 'active', isManager: true, nodes: [] };
    expect(evaluate({ on: 'node', name: 'manager', managerStatus: 'leader' }, leaderless).problems).toEqual([
      'node manager: the swarm has no leader: too few of its managers are reachable (swarmlab status says which)',
    ]);
  });

  it('passes nothing it cannot read while the swarm has no leader: no node Down, a service gone, a stack absent', () => {
    // A student's walk through lost-quorum: "service keep does not exist (services: none)" and
    // nodes {down: 0} passing, before any work, while the swarm could list nothing.
    const leaderless: ClusterSnapshot = { ...snapshot, swarmState: 'active', isManager: true, nodes: [], services: [], tasks: [], secrets: [] };
    const noLeader = 'the swarm has no leader: too few of its managers are reachable (swarmlab status says which)';
    for (const e of [
      { on: 'nodes', down: 0 },
      { on: 'service', name: 'keep', replicas: 2 },
      { on: 'service', name: 'keep', absent: true },
      { on: 'stack', name: 'web', absent: true },
      { on: 'secret', name: 'pw' },
    ] as Expectation[]) {
      expect([e, evaluate(e, leaderless).passed, evaluate(e, leaderless).problems.join('; ')]).toEqual([e, false, expect.stringContaining(noLeader)]);
    }
  });

  it('checks networks, secrets, configs and stacks', () => {
    expect(evaluate({ on: 'network', name: 'ch03', driver: 'overlay', attachable: true, scope: 'swarm' }).passed).toBe(true);
    expect(evaluate({ on: 'network', name: 'ingress', attachable: true }).problems).toEqual(['network ingress: not attachable, want attachable']);
    expect(evaluate({ on: 'secret', name: 'pw' }).passed).toBe(true);
    expect(evaluate({ on: 'config', name: 'cfg' }).problems).toEqual(['config cfg does not exist (configs: none)']);
    expect(evaluate({ on: 'stack', name: 'web', services: 2 }).problems).toEqual(['stack web does not exist (stacks: none)']);
    expect(evaluate({ on: 'stack', name: 'web', absent: true }).passed).toBe(true);
  });

  it('matches globs', () => {
    expect(globMatches('*echo*', 'registry:5000/swarmlab/echo:offline')).toBe(true);
    expect(globMatches('echo_api:80?0', 'echo_api:8080')).toBe(true);
    expect(globMatches('echo', 'echo_api')).toBe(false);
  });
});

const exercise = decodeExercise(
  `apiVersion: swarmlab/v1alpha1
kind: Exercise
id: probe
title: t
task: t
checks:
  - id: replicas
    expect: {service: echo, replicas: 6}
    fail: "echo: {{running}}/{{desired}} running"
    hint: [scale it, "docker service scale echo=6"]
    wait: 5s
  - id: marker
    run: {node: manager, sh: "test -f /done"}
    hint: touch it
  - id: page
    http: {managerPort: 80, path: /, contains: Hello}
  - id: mesh
    when: {ipvs: true}
    expect: {service: echo, publishMode: ingress}
`,
  'probe.yaml',
).exercise!;

type FakeLab = CheckEnvironment & { snapshots: number; now: number };

function fakeLab(overrides: Partial<CheckEnvironment> = {}): FakeLab {
  const env: FakeLab = {
    snapshots: 0,
    now: 0,
    snapshot: async () => {
      env.snapshots++;
      return snapshot;
    },
    runInNode: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
    httpGet: async () => ({ status: 200, body: 'Hello Docker!!' }),
    managerHostPort: (port: number) => (port === 80 ? 8000 : undefined),
    facts: { ipvs: false },
    clock: {
      now: (): number => env.now,
      sleep: async (ms: number): Promise<void> => {
        env.now += ms;
      },
    },
    ...overrides,
  };
  return env;
}

describe('running checks', () => {
  it('runs every check even after one fails, on one snapshot per round, and waits only where asked', async () => {
    const told: [string[], number][] = [];
    // echo asks for 6 and runs 3: converging, so the check with wait: is asked again.
    const scaling = { ...snapshot, services: snapshot.services.map((s) => (s.name === 'echo' ? { ...s, replicas: 6 } : s)) };
    const lab = fakeLab({
      runInNode: async () => ({ exitCode: 1, stdout: 'FAIL: /done is missing\nnoise\n', stderr: '' }),
      onWait: (ids, seconds) => told.push([ids, seconds]),
    });
    lab.snapshot = async () => {
      lab.snapshots++;
      return scaling;
    };
    const outcomes = await runChecks(exercise, {}, lab);
    expect(outcomes).toEqual([
      { id: 'replicas', passed: false, message: 'echo: 3/6 running (want 6 running)', hint: 'scale it' },
      { id: 'marker', passed: false, message: '/done is missing', hint: 'touch it' },
      { id: 'page', passed: true, message: '' },
      { id: 'mesh', passed: true, message: '', skipped: 'needs IPVS, which this host lacks' },
    ]);
    // replicas waits 5 s: asked again each second on a new snapshot, then given up.
    expect(lab.now).toBe(5000);
    expect(told).toEqual([[['replicas'], 5]]);
    expect(lab.snapshots).toBe(6);
  });

  it('says what an HTTP check got, through the port the lab publishes', async () => {
    const asked: number[] = [];
    const wrong = fakeLab({
      httpGet: async (port) => {
        asked.push(port);
        return { status: 502, body: 'proxy: backend api:8080 did not answer\n' };
      },
    });
    const [, , page] = await runChecks(exercise, {}, wrong);
    expect(asked[0]).toBe(8000);
    expect(page!.message).toBe("GET http://127.0.0.1:8000/ (the manager's port 80) answered 502, want 200: proxy: backend api:8080 did not answer");
    const refused = fakeLab({ httpGet: async () => Promise.reject(new Error('connection refused')) });
    expect((await runChecks(exercise, {}, refused))[2]!.message).toBe("GET http://127.0.0.1:8000/ (the manager's port 80) got no answer: connection refused");
  });

  /** An exercise of these checks (YAML list items), and nothing else. */
  const exerciseWithChecks = (id: string, checks: string) =>
    decodeExercise(`apiVersion: swarmlab/v1alpha1\nkind: Exercise\nid: ${id}\ntitle: t\ntask: t\nchecks:\n${checks}`, `${id}.yaml`).exercise!;

  it('skips a check whose needs failed, and runs it once they pass', async () => {
    const needing = exerciseWithChecks(
      'needs',
      `  - id: marker
    run: {node: manager, sh: "test -f /done"}
  - id: mesh
    when: {ipvs: true}
    expect: {service: echo, publishMode: ingress}
  - id: page
    needs: [marker, mesh]
    http: {managerPort: 80, path: /, contains: Hello}
    wait: 10s
`,
    );
    let asked = 0;
    const httpGet = async () => {
      asked++;
      return { status: 200, body: 'Hello Docker!!' };
    };
    const failing = fakeLab({ httpGet, runInNode: async () => ({ exitCode: 1, stdout: 'FAIL: no /done', stderr: '' }) });
    const [, , page] = await runChecks(needing, {}, failing);
    // Another service answering the port proves nothing while marker fails: skipped, never asked.
    expect(page).toEqual({ id: 'page', passed: true, message: '', skipped: 'needs marker to pass first', waitsFor: ['marker'] });
    expect(asked).toBe(0);
    // mesh does not apply without IPVS: a need that is skipped so is met.
    expect((await runChecks(needing, {}, fakeLab({ httpGet })))[2]).toEqual({ id: 'page', passed: true, message: '' });
    expect(asked).toBe(1);
  });

  it('runs a check that needs a dependent check after it, and skips it when that one fails', async () => {
    const chained = exerciseWithChecks(
      'chain',
      ['first', 'second', 'third']
        .map((id, i, ids) => `  - {id: ${id}, ${i > 0 ? `needs: [${ids[i - 1]}], ` : ''}run: {node: manager, sh: "test -f /${id}"}}\n`)
        .join(''),
    );
    const ran: string[] = [];
    const lab = (failing: string) =>
      fakeLab({
        runInNode: async (_node, sh) => {
          ran.push(sh);
          return sh.includes(failing) ? { exitCode: 0, stdout: `FAIL: ${failing}`, stderr: '' } : { exitCode: 0, stdout: '', stderr: '' };
        },
      });
    expect(await runChecks(chained, {}, lab('none'))).toEqual([
      { id: 'first', passed: true, message: '' },
      { id: 'second', passed: true, message: '' },
      { id: 'third', passed: true, message: '' },
    ]);
    expect(ran).toEqual(['test -f /first', 'test -f /second', 'test -f /third']);
    const [, second, third] = await runChecks(chained, {}, lab('/second'));
    expect([second!.passed, third]).toEqual([false, { id: 'third', passed: true, message: '', skipped: 'needs second to pass first', waitsFor: ['second'] }]);
  });

  it('refuses needs that name no earlier check', () => {
    const problems = decodeExercise(
      'apiVersion: swarmlab/v1alpha1\nkind: Exercise\nid: n\ntitle: t\ntask: t\nchecks:\n  - id: a\n    needs: [b]\n    run: {node: manager, sh: "true"}\n  - id: b\n    run: {node: manager, sh: "true"}\n',
      'n.yaml',
    ).problems;
    expect(problems.map((p) => `${p.field}: ${p.problem}`)).toEqual(['n.yaml: checks[0].needs: names b, which is no check before this one']);
  });

  it('never shows a join token a script printed', async () => {
    const leaky = fakeLab({ runInNode: async () => ({ exitCode: 3, stdout: 'docker swarm join --token SWMTKN-1-abc-def 10.0.0.1:2377', stderr: '' }) });
    const marker = (await runChecks(exercise, {}, leaky))[1]!;
    expect(marker.message).toBe('manager: exited 3: docker swarm join --token SWMTKN-<redacted> 10.0.0.1:2377');
  });
});

describe('progress', () => {
  it('counts checks, hints and the time to the first pass', () => {
    let p = recordStart(emptyProgress('lab'), 'probe', new Date('2026-11-23T10:00:00Z'));
    p = recordCheck(p, 'probe', [{ id: 'replicas', passed: false, message: 'no', hint: 'scale it' }], new Date('2026-11-23T10:01:00Z'));
    expect(p.exercises.probe).toMatchObject({ attempts: 1, lastPassed: false, failing: { id: 'replicas', message: 'no' }, hintsShown: { replicas: 1 } });
    const second = nextHint(p, 'probe', 'replicas', 2);
    expect(second.index).toBe(1);
    expect(nextHint(second.progress, 'probe', 'replicas', 2).index).toBe(1);
    p = recordCheck(second.progress, 'probe', [{ id: 'replicas', passed: true, message: '' }], new Date('2026-11-23T10:02:30Z'));
    expect(p.exercises.probe).toMatchObject({ attempts: 2, lastPassed: true, passedAt: '2026-11-23T10:02:30.000Z', secondsToPass: 150, failing: undefined });
    expect(p.current).toBe('probe');
  });
});

describe('templates and steps', () => {
  it('fills placeholders and leaves unknown ones and Go templates alone', () => {
    expect(fillTemplate('{{ images.echo }} {{x}} {{.Name}}', { 'images.echo': 'e:1' })).toBe('e:1 {{x}} {{.Name}}');
    expect(placeholdersOf('a {{registry.echo}} {{.ID}} {{lab.name}}')).toEqual(['registry.echo', 'lab.name']);
  });

  it('splits command lines as a shell would, without one', () => {
    expect(splitCommandLine(`swarmlab docker service create --name 'my app' "a\\"b" c\\ d`)).toEqual([
      'swarmlab',
      'docker',
      'service',
      'create',
      '--name',
      'my app',
      'a"b',
      'c d',
    ]);
    expect(splitCommandLine('swarmlab "open')).toBeUndefined();
  });

  it("gives a step's command the lab's --dir and --name where its command reads them", () => {
    const target = { dir: '/labs/a', lab: 'a' };
    expect(commandFor(['docker', '--node', 'worker01', 'pull', 'x'], target)).toEqual([
      'docker',
      '--dir',
      '/labs/a',
      '--name',
      'a',
      '--node',
      'worker01',
      'pull',
      'x',
    ]);
    expect(commandFor(['push', 'x'], target)).toEqual(['push', 'x', '--dir', '/labs/a', '--name', 'a']);
    expect(describeStep({ node: 'manager', sh: '# why\ndocker x {{lab.name}}\ndocker y\n' }, { 'lab.name': 'a' })).toBe(
      '[manager] docker x a (and 1 more line)',
    );
  });

  it('plans the lab an exercise needs', () => {
    expect(upStep({ managers: 1, workers: 3, swarm: false })).toEqual({ swarmlab: ['up', '--managers', '1', '--workers', '3', '--no-swarm'] });
    expect(shapeMismatch({ managers: 1, workers: 3, swarm: true }, 1, 3)).toBeUndefined();
    // Workers promoted since (three-managers) are demoted back to the shape's managers.
    expect(demotionSteps({ managers: 1, workers: 3, swarm: true }, 1, ['worker01', 'worker02'])).toEqual([
      { swarmlab: ['node', 'demote', 'worker01'] },
      { swarmlab: ['node', 'demote', 'worker02'] },
    ]);
    expect(demotionSteps({ managers: 3, swarm: true }, 1, ['worker01', 'worker02'])).toEqual([]);
    expect(demotionSteps({ managers: 1, workers: 3, swarm: true }, 1, [])).toEqual([]);
    expect(shapeMismatch({ managers: 3, swarm: true }, 1, 3)).toBe('it needs 3 managers; the lab has 1 manager (and 3 workers)');
    // Workers: at least as many; a lab with fewer gets more.
    expect(shapeMismatch({ managers: 1, workers: 3, swarm: true }, 1, 1)).toBeUndefined();
    expect(growStep({ managers: 1, workers: 3, swarm: true }, 1)).toEqual({ swarmlab: ['up', '--workers', '3'] });
    expect(growStep({ managers: 1, workers: 3, swarm: true }, 5)).toEqual({ swarmlab: ['up'] });
  });
});

describe("a step's output, as a student sees it", () => {
  it('with SWARMLAB_PROGRESS=outcomes, says how each action ended and what it said, not its start or a skip', async () => {
    const lines: string[] = [];
    const before = process.env[PROGRESS_ENV];
    process.env[PROGRESS_ENV] = 'outcomes';
    try {
      await runActions(
        [
          { title: 'Check the Docker engine', run: async (_ctx, report) => report('Docker 20.10, cgroup v1') },
          { title: "Find the engine's pull-through mirror", skip: () => 'no mirror asked' },
        ],
        {},
        { output: (line) => lines.push(line) },
      );
    } finally {
      if (before === undefined) delete process.env[PROGRESS_ENV];
      else process.env[PROGRESS_ENV] = before;
    }
    const text = lines.join('\n');
    expect(text).toContain('Check the Docker engine');
    expect(text).toContain('Docker 20.10, cgroup v1');
    expect(text).not.toMatch(/❯|SKIPPED|mirror/);
  });
});

describe("a setup's script in a node", () => {
  it('runs under timeout(1) where the node has it, and says what a script stopped by it waited for', async () => {
    const engine = new FakeEngine().onExec((_c, argv) => ({ exitCode: argv[3]?.startsWith('sleep') ? 124 : 0, stdout: '', stderr: '' }));
    engine.addContainer('lab-manager', { labels: { 'dev.swarmlab.lab': 'lab', 'dev.swarmlab.node': 'manager', 'dev.swarmlab.role': 'manager' } });
    const running = async () => ({ inventory: inventoryOf('lab', [...engine.containers.values()]) }) as unknown as RunningLab;
    const target = { dir: '/tmp', lab: 'lab', engine, running, swarmlab: async () => 0 };
    const said: string[] = [];
    const facts = { ipvs: true, architecture: 'amd64' } as never;
    await runSteps('setup', [{ node: 'manager', sh: 'echo ok' }], {}, target, { facts, say: (l) => said.push(l) });
    expect(engine.execs[0]!.argv).toEqual(['sh', '-c', expect.stringContaining(`exec timeout ${NODE_STEP_TIMEOUT_S} sh -c "$0"`), 'echo ok']);
    await expect(runSteps('setup', [{ node: 'manager', sh: 'sleep 999' }], {}, target, { facts, say: (l) => said.push(l) })).rejects.toThrow(
      'setup step "[manager] sleep 999" exited 124',
    );
    expect(said).toContain(`  (stopped after ${NODE_STEP_TIMEOUT_S} s: swarmlab status and swarmlab ps show what it waited for)`);
  });
});
