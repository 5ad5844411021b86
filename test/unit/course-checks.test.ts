// Course checks that must mean what they say, run on snapshots of the moments a student goes
// through (a fresh start, halfway, done), and what `exercise reset` says it changed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatOutcomes } from '../../src/cli/print-exercise.js';
import { withoutColour } from '../../src/colour-codes.js';
import { type CheckEnvironment, runChecks } from '../../src/exercise/checks.js';
import { decodeExercise } from '../../src/exercise/decode.js';
import { evaluateExpectation } from '../../src/exercise/expect.js';
import { changesReport, swarmChanges } from '../../src/exercise/swarm-changes.js';
import type { Exercise } from '../../src/exercise/types.js';
import type { LabelledNode, NodeAvailability, NodeState } from '../../src/swarm/node-model.js';
import { type ClusterSnapshot, parseSnapshot, type SnapshotTask } from '../../src/swarm/snapshot.js';
import { REPO_ROOT } from '../repo-root.js';

// Captured on a manager: manager, worker01-03 Ready; services echo (3 replicas) and bad; network ch03, secret pw.
const base = parseSnapshot(readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'snapshot', 'services-and-failures.txt'), 'utf8'));
const course = (file: string): Exercise => decodeExercise(readFileSync(path.join(REPO_ROOT, 'course', file), 'utf8'), file).exercise!;
const nodeId = (name: string) => base.nodes.find((n) => n.hostname === name)!.id;

function lab(snapshot: ClusterSnapshot, runInNode: CheckEnvironment['runInNode'] = async () => ({ exitCode: 0, stdout: '', stderr: '' })): CheckEnvironment {
  let now = 0;
  return {
    snapshot: async () => snapshot,
    runInNode,
    httpGet: async () => ({ status: 200, body: '' }),
    managerHostPort: () => undefined,
    facts: { ipvs: true },
    clock: {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    },
  };
}

const summary = async (exercise: Exercise, snapshot: ClusterSnapshot, env = lab(snapshot)) => {
  const outcomes = await runChecks(exercise, {}, env);
  return { outcomes, text: withoutColour(formatOutcomes(exercise.id, outcomes)) };
};

describe('join-tokens: nothing-down', () => {
  const exercise = course('11-join-tokens.yaml');
  const rotated = async () => ({ exitCode: 0, stdout: '', stderr: '' });
  const worker03 = base.nodes.find((n) => n.hostname === 'worker03')!;
  const withNodes = (nodes: LabelledNode[]): ClusterSnapshot => ({ ...base, nodes });
  // worker03 left and joined again: a new entry, and the old one, still Ready for a few seconds.
  const oldEntry = (state: NodeState): LabelledNode => ({ ...worker03, id: 'oldw03entry0000000000000', state });
  const rejoined = (old: NodeState) => withNodes([...base.nodes, oldEntry(old)]);

  it('passed on down: 0 alone while the old entry was still Ready (the defect)', () => {
    expect(evaluateExpectation({ on: 'nodes', down: 0 }, rejoined('ready')).passed).toBe(true);
  });

  it('fails while a node is listed twice, Ready or Down, naming it and the IDs', async () => {
    for (const state of ['ready', 'down'] as const) {
      const nothingDown = (await summary(exercise, rejoined(state), lab(rejoined(state), rotated))).outcomes[2]!;
      expect([state, nothingDown.passed]).toEqual([state, false]);
      expect(nothingDown.message).toContain('listed more than once: worker03 twice, want each node once');
      expect(nothingDown.message).toContain(`worker03 (worker, ${state}, ID oldw03entry0)`);
    }
  });

  it('passes once the old entry is removed', async () => {
    expect((await summary(exercise, base, lab(base, rotated))).text).toMatch(/join-tokens: all 3 checks pass\.$/);
  });

  it('does not pass on a fresh start, when worker03 is out of the swarm and nothing is Down: it waits for worker03', async () => {
    const fresh = withNodes(base.nodes.filter((n) => n.hostname !== 'worker03'));
    const notRotated = async () => ({ exitCode: 0, stdout: 'FAIL: the worker token is the one from the start: rotate it\n', stderr: '' });
    const { outcomes, text } = await summary(exercise, fresh, lab(fresh, notRotated));
    expect(outcomes[2]).toEqual({
      id: 'nothing-down',
      passed: true,
      message: '',
      skipped: 'needs worker03-joined to pass first',
      waitsFor: ['worker03-joined'],
    });
    expect(text).toMatch(/join-tokens: 0 of 3 checks pass\.$/);
  });
});

describe('drain-manager: manager-active', () => {
  const exercise = course('05-drain-manager.yaml');
  const echo = { ...base.services.find((s) => s.name === 'echo')!, id: 'echo8', replicas: 8, constraints: [] };
  const task = (slot: number, node: string): SnapshotTask => ({
    id: `t${slot}`,
    serviceId: echo.id,
    slot,
    nodeId: nodeId(node),
    desiredState: 'running',
    state: 'running',
    error: '',
    timestamp: '2026-12-05T10:00:00Z',
  });
  const moment = (managerAvailability: NodeAvailability, nodes: string[]): ClusterSnapshot => ({
    ...base,
    nodes: base.nodes.map((n) => (n.hostname === 'manager' ? { ...n, availability: managerAvailability } : n)),
    services: [echo],
    tasks: nodes.map((node, i) => task(i + 1, node)),
  });
  const spread = ['manager', 'manager', 'worker01', 'worker01', 'worker02', 'worker02', 'worker03', 'worker03'];
  const onWorkers = ['worker01', 'worker01', 'worker01', 'worker02', 'worker02', 'worker02', 'worker03', 'worker03'];

  it('does not pass on a fresh start, where the manager is Active but nothing was drained: it waits, 0 of 2 pass', async () => {
    const { outcomes, text } = await summary(exercise, moment('active', spread));
    expect(outcomes[1]).toEqual({
      id: 'manager-active',
      passed: true,
      message: '',
      skipped: 'needs off-the-manager to pass first',
      waitsFor: ['off-the-manager'],
    });
    expect(text).toMatch(/drain-manager: 0 of 2 checks pass\.$/);
  });

  it('counts once the drain moved the tasks: failing while drained, passing when Active again', async () => {
    const drained = await summary(exercise, moment('drain', onWorkers));
    expect(drained.outcomes[1]).toMatchObject({ id: 'manager-active', passed: false, message: 'node manager: availability is drain, want active' });
    expect(drained.text).toMatch(/drain-manager: 1 of 2 checks pass\.$/);
    expect((await summary(exercise, moment('active', onWorkers))).text).toMatch(/drain-manager: all 2 checks pass\.$/);
  });
});

describe('what a reset changed in the swarm', () => {
  const echo = base.services.find((s) => s.name === 'echo')!;

  it('names what went, what was replaced, and nodes made Active or demoted', () => {
    const after: ClusterSnapshot = {
      ...base,
      services: [{ ...echo, id: 'new', replicas: 8 }],
      networks: base.networks.filter((n) => n.name !== 'ch03'),
      secrets: [],
      nodes: base.nodes.map((n) => (n.hostname === 'worker01' ? { ...n, availability: 'drain' } : n)),
    };
    expect(swarmChanges(base, after)).toEqual([
      'removed service bad (1 replica of registry:5000/swarmlab/echo:offline)',
      'removed network ch03',
      'removed secret pw',
      'replaced service echo (3 replicas of registry:5000/swarmlab/echo:offline) with a new one (8 replicas of registry:5000/swarmlab/echo:offline)',
      'node worker01: availability active -> drain',
    ]);
  });

  it('says when nothing changed, when the swarm went, and when it could not read it', () => {
    expect(changesReport(base, base)).toEqual([
      'The reset changed nothing in the swarm (its services, networks, secrets, configs and nodes are as they were).',
    ]);
    const left: ClusterSnapshot = { ...base, swarmState: 'inactive', isManager: false, nodes: [], services: [], tasks: [], networks: [] };
    expect(changesReport(base, left)).toEqual([
      'What the reset changed in the swarm:',
      '  - left the swarm: the manager is in no swarm now (swarm state inactive)',
    ]);
    expect(changesReport(undefined, base)).toEqual(['Could not read the swarm before the reset: what it changed is what its steps printed above.']);
  });
});
