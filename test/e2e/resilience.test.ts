// Labs that survive: repair by `up`, stop/start, restarts and hard kills from outside.
import { capturedOutputs, docker, ECHO_IMAGE, freshLab, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

const LAB = 'e2e-res';
const dir = newLabDir();
const lab = ['--dir', dir];
const NODES = ['manager', 'worker01', 'worker02', 'worker03'].map((n) => `${LAB}-${n}`);
const clusterRef = 'registry:5000/swarmlab/echo:offline';

async function nodeList(): Promise<string[]> {
  return (await docker(['exec', `${LAB}-manager`, 'docker', 'node', 'ls', '--format', '{{.Hostname}} {{.Status}}'])).stdout.split('\n').sort();
}

/** Polls `swarmlab status` until it exits 0: a bounded wait, not a timing assertion. */
async function waitUntilUp(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if ((await swarmlab(['status', ...lab])).exitCode === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`lab not up after 60 s:\n${(await swarmlab(['status', ...lab])).stdout}`);
}

const ALL_READY = ['manager Ready', 'worker01 Ready', 'worker02 Ready', 'worker03 Ready'];

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE, ECHO_IMAGE]);
  await freshLab(dir, `name: ${LAB}\nworkers: 3\nregistryPort: 5514\nports: []\n`);
  expect((await swarmlab(['push', ECHO_IMAGE, ...lab])).exitCode).toBe(0);
}, 180_000);

afterAll(async () => {
  await swarmlab(['down', ...lab]);
}, 60_000);

describe('repair by up', () => {
  it.each([
    ['worker02', 'a removed worker, which finds its swarm again from its kept volume'],
    ['worker03', 'the last worker removed by hand: its kept volume says the lab still has it'],
  ])(
    'recreates %s: %s',
    async (worker) => {
      await docker(['rm', '-fv', `${LAB}-${worker}`]);
      const up = await swarmlab(['up', ...lab]);
      expect(up.exitCode).toBe(0);
      expect(up.stdout).toContain(`Repaired: recreated ${worker}.`);
      expect(await nodeList()).toEqual(ALL_READY);
    },
    120_000,
  );

  it('rejoins a worker whose data is gone too, and removes its stale swarm entry', async () => {
    await docker(['rm', '-fv', `${LAB}-worker02`]);
    await docker(['volume', 'rm', `${LAB}-worker02-data`]);
    const up = await swarmlab(['up', ...lab]);
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toMatch(/Repaired: recreated worker02; removed the stale swarm entry of worker02 \(\w+\)\./);
    expect(await nodeList()).toEqual(ALL_READY);
    expect((await swarmlab(['status', ...lab])).exitCode).toBe(0);
  }, 120_000);

  it('starts a stopped node again', async () => {
    await docker(['stop', '-t', '1', `${LAB}-worker03`]);
    // Degraded (3), not down: the swarm works without a worker.
    expect((await swarmlab(['status', ...lab])).exitCode).toBe(3);
    const up = await swarmlab(['up', ...lab]);
    expect(up.stdout).toContain('Repaired: started worker03 (was exited).');
    await waitUntilUp();
  }, 120_000);
});

describe('stop, start and restarts', () => {
  it('stop keeps everything; start brings every node back Ready and the registry still serves', async () => {
    const stop = await swarmlab(['stop', ...lab]);
    expect(stop).toMatchObject({ exitCode: 0, stdout: `Lab "${LAB}" stopped (5 containers). Bring it back with swarmlab start.` });
    expect((await swarmlab(['status', ...lab])).exitCode).toBe(1);
    const start = await swarmlab(['start', ...lab]);
    expect(start.exitCode).toBe(0);
    expect(start.stdout).toContain(`Lab "${LAB}" is up: 1 manager, 3 workers.`);
    expect(await nodeList()).toEqual(ALL_READY);
    await docker(['exec', `${LAB}-worker01`, 'docker', 'rmi', '-f', clusterRef]);
    expect((await docker(['exec', `${LAB}-worker01`, 'docker', 'pull', clusterRef])).exitCode).toBe(0);
  }, 120_000);

  it('docker restart of every node container from outside gives all nodes Ready', async () => {
    expect((await docker(['restart', ...NODES])).exitCode).toBe(0);
    await waitUntilUp();
    expect(await nodeList()).toEqual(ALL_READY);
  }, 120_000);

  it('a hard stop and a start in reverse order (workers before the manager) gives all nodes Ready', async () => {
    expect((await docker(['stop', '-t', '1', ...NODES])).exitCode).toBe(0);
    expect((await docker(['start', ...[...NODES].reverse()])).exitCode).toBe(0);
    await waitUntilUp();
    expect(await nodeList()).toEqual(ALL_READY);
  }, 120_000);

  it('never shows a join token', () => {
    for (const text of capturedOutputs) expect(text).not.toContain('SWMTKN');
  });
});
