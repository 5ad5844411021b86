// Nodes of a running lab: added with the next names and addresses, removed the safe way,
// promoted and demoted; and up afterwards keeps the lab as it now is.
import { docker, ECHO_IMAGE, freshLab, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

const LAB = 'e2e-nodes';
const dir = newLabDir();
const lab = ['--dir', dir];

const swarmNodes = async () =>
  (await docker(['exec', `${LAB}-manager`, 'docker', 'node', 'ls', '--format', '{{.Hostname}} {{.Status}}'])).stdout.split('\n').sort();

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE, ECHO_IMAGE]);
  await freshLab(dir, `name: ${LAB}\nworkers: 3\nregistryPort: 5534\nports: []\n`);
  expect((await swarmlab(['push', ECHO_IMAGE, ...lab])).exitCode).toBe(0);
  expect(
    (await swarmlab(['docker', ...lab, 'service', 'create', '-d', '--name', 'web', '--replicas', '6', 'registry:5000/swarmlab/echo:offline'])).exitCode,
  ).toBe(0);
}, 180_000);

afterAll(async () => {
  await swarmlab(['down', ...lab]);
}, 60_000);

describe('swarmlab node', () => {
  it('add --workers 2: worker04 and worker05 join, Ready, on the next fixed addresses', async () => {
    const add = await swarmlab(['node', 'add', '--workers', '2', ...lab]);
    expect([add.exitCode, add.stderr]).toEqual([0, '']);
    expect(add.stdout).toContain(`Lab "${LAB}" is up: 1 manager, 5 workers.`);
    expect(add.stdout).toContain('Added: worker04, worker05.');
    expect(await swarmNodes()).toEqual(['manager Ready', 'worker01 Ready', 'worker02 Ready', 'worker03 Ready', 'worker04 Ready', 'worker05 Ready']);
    const address = await docker(['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', `${LAB}-worker05`]);
    expect(address.stdout).toMatch(/^10\.210\.\d+\.104$/);
  }, 120_000);

  it('rm refuses a node that is not the last of its kind, and the first manager', async () => {
    const early = await swarmlab(['node', 'rm', 'worker03', ...lab]);
    expect(early).toMatchObject({
      exitCode: 2,
      stderr: 'error: NODE: worker03 is not the last worker (nodes are numbered; worker05 is); fix: swarmlab node rm worker05 first',
    });
    expect((await swarmlab(['node', 'rm', 'manager', ...lab])).exitCode).toBe(2);
  }, 30_000);

  it('rm worker05: drained, its tasks elsewhere, out of the swarm with no stale entry, container and volume gone', async () => {
    await swarmlab(['docker', ...lab, 'service', 'scale', '-d', 'web=10']);
    const rm = await swarmlab(['node', 'rm', 'worker05', ...lab]);
    expect([rm.exitCode, rm.stderr]).toEqual([0, '']);
    expect(rm.stdout.split('\n').slice(0, 4)).toEqual([
      'worker05: drained',
      'worker05: its tasks run elsewhere',
      'worker05: left the swarm; its entry is removed',
      'worker05: container and volume removed',
    ]);
    expect(rm.stdout).toContain(`Lab "${LAB}" is up: 1 manager, 4 workers.`);
    expect(await swarmNodes()).toEqual(['manager Ready', 'worker01 Ready', 'worker02 Ready', 'worker03 Ready', 'worker04 Ready']);
    expect((await docker(['ps', '-a', '--filter', `name=${LAB}-worker05`, '-q'])).stdout).toBe('');
    expect((await docker(['volume', 'ls', '-q', '--filter', `name=${LAB}-worker05-data`])).stdout).toBe('');
  }, 180_000);

  it('up afterwards keeps the lab as it now is, though swarmlab.yaml says 3 workers', async () => {
    const up = await swarmlab(['up', ...lab]);
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toContain('up and healthy: nothing to do');
    expect(up.stdout).toContain(`swarmlab.yaml: workers is 3; lab "${LAB}" has 4 workers: kept as it is (--workers changes it)`);
    expect((await swarmNodes()).length).toBe(5);
  }, 60_000);

  it('promote and demote, warning of an even manager count', async () => {
    const promote = await swarmlab(['node', 'promote', 'worker01', ...lab]);
    expect(promote).toMatchObject({ exitCode: 0, stdout: 'worker01 promoted to a manager: the swarm has 2 managers.' });
    expect(promote.stderr).toMatch(/^warning: 2 managers: an even count buys nothing/);
    // Returned only once the node has its place in the Raft membership.
    const reachability = await docker(['exec', `${LAB}-manager`, 'docker', 'node', 'inspect', '--format', '{{.ManagerStatus.Reachability}}', 'worker01']);
    expect(reachability.stdout.trim()).toBe('reachable');
    const demote = await swarmlab(['node', 'demote', 'worker01', ...lab]);
    expect(demote).toMatchObject({ exitCode: 0, stdout: 'worker01 demoted to a worker: the swarm has 1 manager.', stderr: '' });
  }, 60_000);
});
