// What misled a newcomer in the first hour (issue 26), pinned in the pure parts: an election
// said as such (never --force-new-cluster while a majority runs), degraded apart from down, the
// viz feed across pictures taken while no manager answers, check messages that state the target,
// the wait rule, hint numbering, "added" apart from "repaired", and the lab's ports named as its own.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatHint, formatOutcomes } from '../../src/cli/print-exercise.js';
import { degradedBy, formatStatus } from '../../src/cli/print-lab.js';
import { labPortHolder } from '../../src/doctor/checks.js';
import { type CheckEnvironment, runChecks, wantedBeside } from '../../src/exercise/checks.js';
import { decodeExercise } from '../../src/exercise/decode.js';
import { evaluateExpectation } from '../../src/exercise/expect.js';
import type { LabStatus, NodeStatus } from '../../src/lab/status.js';
import { LABEL_LAB, LABEL_NODE, LABEL_ROLE } from '../../src/plan/labels.js';
import { changesLine, splitRepairs } from '../../src/steps/preflight.js';
import { electionUnderWay, type NodeAnswer, noAnswerProblem, type Refusal } from '../../src/swarm/answering-manager.js';
import { type ClusterSnapshot, parseSnapshot } from '../../src/swarm/snapshot.js';
import { SwarmFeed } from '../../src/viz/feed.js';
import { REPO_ROOT } from '../repo-root.js';

// Service echo: 3 replicas asked for, 3 running, on worker01-03.
const snapshot = parseSnapshot(readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'snapshot', 'services-and-failures.txt'), 'utf8'));
const refusal = (node: string, refusal: Refusal): NodeAnswer => ({ node, container: `lab-${node}`, refusal });
const NO_LEADER: Refusal = { reason: 'no-leader' };
const EXITED: Refusal = { reason: 'container-stopped', state: 'exited' };

describe('an election among a majority of managers', () => {
  it('is said as such, and the fix is to wait, never --force-new-cluster', () => {
    const refused = [refusal('manager02', NO_LEADER), refusal('manager03', NO_LEADER)];
    const stopped = [refusal('manager', EXITED)];
    expect(electionUnderWay(refused, stopped)).toEqual({ electing: 2, managers: 3 });
    const said = noAnswerProblem('kl', refused, stopped);
    expect(said.problem).toBe('no leader yet: an election is under way among 2 of 3 managers');
    expect(said.fix).not.toContain('force-new-cluster');
    expect(said.fix).toContain('wait a few seconds');
  });

  it('is no election when too few managers run: then the quorum is lost, and --force-new-cluster is a way out', () => {
    const refused = [refusal('manager', NO_LEADER)];
    const stopped = [refusal('manager02', EXITED), refusal('manager03', EXITED)];
    expect(electionUnderWay(refused, stopped)).toBeUndefined();
    expect(noAnswerProblem('kl', refused, stopped).fix).toContain('--force-new-cluster');
  });
});

describe('a degraded lab', () => {
  const node = (name: string, role: string, containerState: string, state: NodeStatus['state']): NodeStatus => ({
    name,
    role,
    container: `kl-${name}`,
    containerState,
    state,
    availability: 'Active',
    managerStatus: '',
  });
  const status: LabStatus = {
    lab: 'kl',
    up: false,
    health: 'degraded',
    election: null,
    registry: { host: '127.0.0.1:5000', inCluster: 'registry:5000', state: 'running' },
    api: null,
    nodes: [node('manager', 'manager', 'exited', 'Down'), node('manager02', 'manager', 'running', 'Ready'), node('worker01', 'worker', 'running', 'Ready')],
    problems: ['manager: container is exited'],
    noSwarm: false,
    answeredBy: 'manager02',
    leader: 'manager02',
    quorum: { managers: 3, reachable: 2, quorum: 2, canLose: 0 },
  };

  it('says what runs and the way back in its headline', () => {
    expect(formatStatus(status).split('\n')[0]).toBe(
      'Lab "kl" is up, degraded: manager down (container exited); undo: swarmlab chaos heal --name kl (or swarmlab up --name kl repairs).',
    );
  });

  it('says an election as such', () => {
    expect(degradedBy({ ...status, election: { electing: 2, managers: 3 } })).toBe(
      'no leader yet, an election is under way among 2 of 3 managers (ask again in a few seconds)',
    );
  });

  it('a lab that is down says so', () => {
    expect(formatStatus({ ...status, health: 'down' }).split('\n')[0]).toBe('Lab "kl" is not up.');
  });
});

describe('the viz feed', () => {
  const leaderIs = (name: string): ClusterSnapshot => ({
    ...snapshot,
    nodes: snapshot.nodes.map((n) => ({ ...n, managerStatus: n.hostname === name ? 'leader' : n.role === 'manager' ? 'reachable' : '' })),
  });
  const blind: ClusterSnapshot = { ...snapshot, nodes: [], services: [], tasks: [] };

  it('records a leader change across the pictures taken while no manager answered, without nodes leaving and joining', () => {
    const feed = new SwarmFeed();
    feed.add(leaderIs('manager'), '10:00:00');
    feed.add(blind, '10:00:01');
    feed.add(blind, '10:00:02');
    feed.add(leaderIs('worker01'), '10:00:03');
    expect(feed.lines).toEqual(['10:00:01 no manager answers for the swarm (a leader election may be under way)', '10:00:03 leader: manager -> worker01']);
  });

  it('keeps the latest lines only', () => {
    const feed = new SwarmFeed(2);
    for (const [i, leader] of ['manager', 'worker01', 'worker02', 'worker03'].entries()) feed.add(leaderIs(leader), `t${i}`);
    expect(feed.lines).toEqual(['t2 leader: worker01 -> worker02', 't3 leader: worker02 -> worker03']);
  });
});

describe('check messages state the target', () => {
  it("says 'N of M running' in its own words", () => {
    const seen = evaluateExpectation({ on: 'service', name: 'echo', replicas: 6 }, snapshot);
    expect(seen.problems).toEqual(['service echo: 3 of 6 running (the service asks for 3)']);
  });

  it("adds the target to an author's message that does not say it", () => {
    expect(wantedBeside('echo: {{running}}/{{desired}} running', { running: 5, want: 6, nodes: 2, wantNodes: 3 })).toBe(
      ' (want 6 running, on at least 3 nodes)',
    );
    expect(wantedBeside('echo: {{running}}/{{desired}} running', { running: 6, want: 6, nodes: 2, wantNodes: 3 })).toBe(' (want on at least 3 nodes)');
    expect(wantedBeside('echo: {{running}} of {{want}} running on {{nodes}} of {{wantNodes}}', { running: 5, want: 6, nodes: 2, wantNodes: 3 })).toBe('');
    expect(wantedBeside('echo: {{running}}/{{desired}}', {})).toBe('');
  });
});

describe('the wait rule: a failing check waits only while what it looks at exists and converges', () => {
  const exercise = decodeExercise(
    `apiVersion: swarmlab/v1alpha1
kind: Exercise
id: w
title: t
task: t
checks:
  - id: replicas
    expect: {service: echo, replicas: 6}
    fail: "echo: {{running}}/{{desired}} running"
    wait: 10s
`,
    'w.yaml',
  ).exercise!;
  const run = async (picture: ClusterSnapshot) => {
    let now = 0;
    let snapshots = 0;
    const told: number[] = [];
    const env: CheckEnvironment = {
      snapshot: async () => {
        snapshots++;
        return picture;
      },
      runInNode: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
      httpGet: async () => ({ status: 200, body: '' }),
      managerHostPort: () => undefined,
      facts: { ipvs: false },
      onWait: (_ids, seconds) => told.push(seconds),
      clock: {
        now: () => now,
        sleep: async (ms) => {
          now += ms;
        },
      },
    };
    const [outcome] = await runChecks(exercise, {}, env);
    return { outcome: outcome!, snapshots, told, waitedMs: now };
  };

  it('a missing service fails at once', async () => {
    const { outcome, snapshots, told } = await run({ ...snapshot, services: snapshot.services.filter((s) => s.name !== 'echo') });
    expect(outcome.message).toMatch(/^service echo does not exist/);
    expect([snapshots, told]).toEqual([1, []]);
  });

  it('a service settled on another number than the one wanted fails at once, saying the target', async () => {
    const { outcome, snapshots, told } = await run(snapshot);
    expect(outcome.message).toBe('echo: 3/3 running (want 6 running)');
    expect([snapshots, told]).toEqual([1, []]);
  });

  it('a service still scaling is asked again until its wait is up', async () => {
    const scaling = { ...snapshot, services: snapshot.services.map((s) => (s.name === 'echo' ? { ...s, replicas: 6 } : s)) };
    const { outcome, snapshots, told, waitedMs } = await run(scaling);
    expect(outcome.message).toBe('echo: 3/6 running (want 6 running)');
    expect([snapshots, told, waitedMs]).toEqual([11, [10], 10_000]);
  });
});

describe("check's summary line", () => {
  it('counts a check that waits for another as not passing yet, and leaves out one that does not apply here', () => {
    const text = formatOutcomes('auto-rollback', [
      { id: 'rolled-back', passed: false, message: 'm' },
      { id: 'on-v1', passed: true, message: '', skipped: 'needs rolled-back to pass first', waitsFor: ['rolled-back'] },
      { id: 'mesh', passed: true, message: '', skipped: 'only with IPVS' },
    ]);
    expect(text.split('\n').pop()).toBe('auto-rollback: 0 of 2 checks pass.');
  });
});

describe('hint numbering counts what the student was shown', () => {
  it('check shows the first hint numbered when there are more', () => {
    const text = formatOutcomes('x', [{ id: 'replicas', passed: false, message: 'm', hint: 'scale it' }], { replicas: 2 });
    expect(text.split('\n')[1]).toBe('    hint 1 of 2: scale it (next: swarmlab exercise hint)');
    expect(formatOutcomes('x', [{ id: 'replicas', passed: false, message: 'm', hint: 'scale it' }], { replicas: 1 }).split('\n')[1]).toBe('    hint: scale it');
  });

  it('hint after check says the first was shown already', () => {
    expect(formatHint(1, ['scale it', 'docker service scale echo=6'], 'x').split('\n')).toEqual([
      '(already shown: hint 1)',
      'hint 2 of 2: docker service scale echo=6',
      'That was the last hint. The reference solution: swarmlab exercise solve x',
    ]);
    expect(formatHint(0, ['a', 'b'], 'x')).toBe('hint 1 of 2: a');
  });
});

describe('up says added apart from repaired', () => {
  it('growing is not repairing', () => {
    expect(changesLine(['added manager02', 'added manager03'])).toBe('adding: manager02, manager03');
    expect(changesLine(['started worker01 (was exited)'])).toBe('repairing: started worker01 (was exited)');
    expect(splitRepairs(['added worker04', 'recreated worker02'])).toEqual({ added: ['worker04'], repaired: ['recreated worker02'] });
  });
});

describe("doctor names swarmlab's own labs' ports", () => {
  it("as the lab's registry or node", () => {
    expect(labPortHolder({ [LABEL_LAB]: 'swarmlab', [LABEL_ROLE]: 'registry' })).toBe("lab swarmlab's registry");
    expect(labPortHolder({ [LABEL_LAB]: 'kl', [LABEL_ROLE]: 'manager', [LABEL_NODE]: 'manager' })).toBe("lab kl's manager");
    expect(labPortHolder({})).toBeUndefined();
  });
});
