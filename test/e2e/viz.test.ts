// swarmlab viz: the terminal view (--once) of a real lab, and the web view in a real headless
// Chromium (Debian's, driven by playwright-core), updated live as the swarm changes.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../repo-root.js';
import {
  docker,
  ECHO_IMAGE,
  freshLab,
  launchChromium,
  NODE_IMAGE,
  newLabDir,
  REGISTRY_IMAGE,
  requireEngineAndImages,
  startServing,
  swarmlab,
} from './harness.js';

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
  expect((await swarmlab(['docker', ...lab, 'network', 'create', '--driver', 'overlay', 'front'])).exitCode).toBe(0);
  expect((await swarmlab(['docker', ...lab, 'service', 'create', '-d', '--name', 'web', '--replicas', '2', '--network', 'front', image])).exitCode).toBe(0);
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

const WEB_PORT = 18391;

describe('viz --web, in headless Chromium', () => {
  let server: Awaited<ReturnType<typeof startServing>> | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const chips = (state: 'running' | 'failed', service: string) => page.locator(`.task.${state}[data-service="${service}"]`);
  /** Waits, in the page, until it shows `count` running tasks of the service. */
  const showsRunning = (service: string, count: number, timeout: number) =>
    page.waitForFunction(`document.querySelectorAll('.task.running[data-service="${service}"]').length === ${count}`, undefined, { timeout });

  beforeAll(async () => {
    server = await startServing(['viz', '--web', '--port', String(WEB_PORT), ...lab], 'Serving the swarm');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(`http://127.0.0.1:${WEB_PORT}/`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGINT');
    const result = await server?.child;
    expect(result?.exitCode).toBe(130);
  }, 30_000);

  it('shows every node, the running tasks, the failing one with its error, and the networks', async () => {
    await page.locator('[data-node="worker02"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('section.node h2').allTextContents()).toEqual(['manager', 'worker01', 'worker02']);
    await showsRunning('web', 2, 5000);
    expect(await chips('failed', 'broken').first().textContent()).toMatch(/✘ broken\.1.*No such image/);
    expect(await page.locator('tr[data-service="web"]').textContent()).toContain('front');
    expect(await page.locator('#swarm').textContent()).toBe('leader manager; managers 1, quorum 1, can lose 0');
  }, 30_000);

  it('shows a scale from 2 to 5 replicas within 5 s of the tasks running, and saves a screenshot', async () => {
    expect((await swarmlab(['docker', ...lab, 'service', 'scale', '-d', 'web=5'])).exitCode).toBe(0);
    await waitForRunning('web', 5);
    await showsRunning('web', 5, 5000);
    expect(await chips('running', 'web').count()).toBe(5);
    mkdirSync(path.join(REPO_ROOT, '.ci', 'logs'), { recursive: true });
    await page.screenshot({ path: path.join(REPO_ROOT, '.ci', 'logs', 'viz-web.png'), fullPage: true });
  }, 60_000);

  it('greys a drained node, and hides failing tasks when running only is ticked', async () => {
    expect((await docker(['exec', `${LAB}-manager`, 'docker', 'node', 'update', '--availability', 'drain', 'worker01'])).exitCode).toBe(0);
    await page.locator('section.node.drained[data-node="worker01"]').waitFor({ timeout: 5000 });
    expect(await page.locator('#feed').textContent()).toContain('worker01: Active -> Drain');
    expect(await chips('failed', 'broken').first().isVisible()).toBe(true);
    await page.locator('#running-only').check();
    expect(await chips('failed', 'broken').first().isVisible()).toBe(false);
  }, 30_000);
});
