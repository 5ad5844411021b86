// swarmlab viz: the terminal view (--once) of a real lab.
import { ECHO_IMAGE, freshLab, newLabDir, NODE_IMAGE, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

const LAB = 'e2e-viz';
const dir = newLabDir();
const lab = ['--dir', dir];
const image = 'registry:5000/swarmlab/echo:offline';

async function runningTasks(service: string): Promise<number> {
  const ps = JSON.parse((await swarmlab(['ps', service, '--json', ...lab])).stdout) as { tasks: { desiredState: string; currentState: string }[] };
  return ps.tasks.filter((t) => t.desiredState === 'Running' && t.currentState.startsWith('Running')).length;
}

async function waitForRunning(service: string, count: number): Promise<void> {
  for (let i = 0; i < 60 && (await runningTasks(service)) !== count; i++) await new Promise((r) => setTimeout(r, 500));
  expect(await runningTasks(service)).toBe(count);
}

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE, ECHO_IMAGE]);
  await freshLab(dir, `name: ${LAB}\nworkers: 2\nregistryPort: 5533\nports: []\n`);
  expect((await swarmlab(['push', ECHO_IMAGE, ...lab])).exitCode).toBe(0);
  expect((await swarmlab(['docker', ...lab, 'service', 'create', '-d', '--name', 'web', '--replicas', '2', image])).exitCode).toBe(0);
  expect((await swarmlab(['docker', ...lab, 'service', 'create', '-d', '--name', 'broken', 'registry:5000/swarmlab/no-such:1'])).exitCode).toBe(0);
  await waitForRunning('web', 2);
}, 180_000);

afterAll(async () => {
  await swarmlab(['down', ...lab]);
}, 60_000);

describe('viz --once', () => {
  it('shows every node, every running task, and a failing task with its error', async () => {
    const viz = await swarmlab(['viz', '--once', ...lab]);
    expect([viz.exitCode, viz.stderr]).toEqual([0, '']);
    const lines = viz.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^swarmlab viz: lab "${LAB}"  \\d\\d:\\d\\d:\\d\\d$`));
    expect(lines[1]).toBe('Swarm: leader manager; managers 1, quorum 1, can lose 0; 2 services');
    expect(lines[3]).toMatch(/^manager\s+worker01\s+worker02$/);
    expect(lines[4]).toMatch(/^Ready Active\s+Ready Active\s+Ready Active$/);
    expect(viz.stdout.match(/\bweb\.\d\b/g)?.sort()).toEqual(['web.1', 'web.2']);
    expect(viz.stdout).toMatch(/✘ broken\.1/);
    expect(viz.stdout).toMatch(/No such image:/);
  }, 30_000);

  it('shows only the services of the stack asked for', async () => {
    const viz = await swarmlab(['viz', '--once', '--stack', 'nothing-here', ...lab]);
    expect(viz.stdout.split('\n')[1]).toMatch(/; 0 services$/);
    expect(viz.stdout).not.toMatch(/web\.\d/);
  }, 30_000);
});
