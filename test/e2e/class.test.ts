// A workshop: class up brings a lab up per student (distinct subnets and ports), class status
// shows each student's lab and exercises, exec runs a command on chosen labs, cards say what
// each student needs, down leaves nothing labelled.

import { chmodSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from '../repo-root.js';
import { docker, labelledObjects, launchChromium, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, startServing, swarmlab } from './harness.js';

const classDir = newLabDir();
const at = ['--dir', classDir];
const PREFIX = 'e2e-cls';
const labs = ['s01', 's02', 's03'].map((s) => `${PREFIX}-${s}`);

interface ClassStatusJson {
  students: {
    id: string;
    lab: string;
    up: boolean;
    nodesReady: number;
    nodes: number;
    leader: string | null;
    passed: number;
    exercises: number;
    current: string | null;
    currentState: string | null;
  }[];
}

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE]);
  for (const lab of labs) await swarmlab(['down', '--name', lab, '--dir', newLabDir()]);
}, 120_000);

afterAll(async () => {
  await swarmlab(['class', 'down', ...at]);
}, 120_000);

describe('swarmlab class', () => {
  it('up: a lab per student, Ready, each on its own subnet and ports', async () => {
    const up = await swarmlab(['class', 'up', '--students', '3', '--workers', '1', '--prefix', PREFIX, '--base-port', '21000', ...at]);
    expect([up.exitCode, up.stderr]).toEqual([0, '']);
    expect(up.stdout).toContain('3 of 3 labs up.');
    expect(up.stdout).toMatch(/^s02\s+e2e-cls-s02\s+default\s+\S+students\/s02\s+127\.0\.0\.1:21020\s+21021->80, 21022->9000$/m);
    const subnets = await Promise.all(
      labs.map(async (l) => (await docker(['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', `${l}-net`])).stdout.trim()),
    );
    expect(new Set(subnets).size).toBe(3);
    // Each lab came up in the class's own process; what its up said is in the student's log.
    const log = readFileSync(path.join(classDir, '.swarmlab', 'class', 's02.up.log'), 'utf8');
    expect(log).toMatch(/Start the nodes and form the swarm/);
    expect(log).toMatch(/^Lab "e2e-cls-s02" is up: 1 manager, 1 worker\.$/m);
    expect(log).toMatch(/^worker01 +worker +running +Ready/m);
    expect(log.trimEnd().endsWith('exit 0')).toBe(true);
    const again = await swarmlab(['class', 'up', ...at]);
    expect(again.stdout).toContain('3 of 3 labs up.');
  }, 300_000);

  // The course's exercises want 3 workers: starting one in a 1-worker lab adds two.
  it("status shows one student's solved exercise for that student only", async () => {
    const s02 = ['--dir', path.join(classDir, 'students', 's02')];
    expect((await swarmlab(['exercise', 'start', 'overlay-network', ...s02])).exitCode).toBe(0);
    expect((await swarmlab(['exercise', 'solve', 'overlay-network', ...s02])).exitCode).toBe(0);
    expect((await swarmlab(['exercise', 'check', ...s02])).exitCode).toBe(0);
    const status = await swarmlab(['class', 'status', '--json', ...at]);
    expect(status.exitCode).toBe(0);
    const parsed = JSON.parse(status.stdout) as ClassStatusJson;
    // Of the seeds' course, the only one started: 12 exercises.
    expect(parsed.students.map((s) => [s.id, s.up, `${s.nodesReady}/${s.nodes}`, s.leader, `${s.passed}/${s.exercises}`, s.current, s.currentState])).toEqual([
      ['s01', true, '2/2', 'manager', '0/12', null, null],
      ['s02', true, '4/4', 'manager', '1/12', 'overlay-network', 'passing'],
      ['s03', true, '2/2', 'manager', '0/12', null, null],
    ]);
    const table = await swarmlab(['class', 'status', ...at]);
    expect(table.stdout).toMatch(/^s02\s+default\s+4\/4 Ready\s+manager\s+0\/0\s+1\/12\s+overlay-network passing/m);
  }, 120_000);

  it("web shows the grid in headless Chromium, and a student's failing check within seconds", async () => {
    const server = await startServing(['class', 'web', '--port', '18392', ...at], 'Serving class');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      // The instructor's own link (the grid is behind a login since the class server has pages per student).
      const cards = await swarmlab(['class', 'cards', '--instructor', '--url', 'http://127.0.0.1:18392', ...at]);
      const own = cards.stdout.match(/http:\/\/127\.0\.0\.1:18392\/login\?key=[A-Za-z0-9_-]+/g)?.at(-1);
      await page.goto(own!);
      await page.locator('tr[data-student="s03"]').waitFor({ timeout: 10_000 });
      expect(await page.locator('tbody tr').count()).toBe(3);
      expect(await page.locator('tr[data-student="s02"] td.passed').textContent()).toMatch(/^1\/\d+$/);
      expect(await page.locator('tr[data-student="s02"] td.current').textContent()).toBe('overlay-network passing');
      // The student breaks what they made and checks again: the instructor sees why.
      const s02 = ['--dir', path.join(classDir, 'students', 's02')];
      expect((await swarmlab(['docker', ...s02, 'network', 'rm', 'ch03'])).exitCode).toBe(0);
      expect((await swarmlab(['exercise', 'check', ...s02])).exitCode).toBe(1);
      await page.waitForFunction(
        `(document.querySelector('tr[data-student="s02"] td.failing') || {}).textContent === 'ch03: network ch03 does not exist'`,
        undefined,
        { timeout: 5000 },
      );
    } finally {
      await browser.close();
      server.child.kill('SIGINT');
    }
    expect((await server.child).exitCode).toBe(130);
  }, 60_000);

  it('exec runs a swarmlab command on the chosen students only', async () => {
    const exec = await swarmlab(['class', 'exec', '--students', 's01,s03', ...at, '--', 'docker', 'node', 'ls', '--format', '{{.Hostname}}']);
    expect(exec.exitCode).toBe(0);
    expect(exec.stdout).toContain('── s01 (e2e-cls-s01) ──\n  manager\n  worker01');
    expect(exec.stdout).toContain('── s03 (e2e-cls-s03) ──');
    expect(exec.stdout).not.toContain('── s02');
    expect(exec.stdout).toContain('2 of 2 succeeded.');
    const unknown = await swarmlab(['class', 'exec', '--students', 's09', ...at, '--', 'status']);
    expect(unknown).toMatchObject({ exitCode: 2, stderr: 'error: --students: no student s09 in this class; fix: use s01..s03' });
  }, 60_000);

  it("writes the instructor's images into each student's swarmlab.yaml, and refuses a change that would leave labs outside the class", async () => {
    expect(readFileSync(path.join(classDir, 'students', 's02', 'swarmlab.yaml'), 'utf8')).toContain(`nodeImage: ${NODE_IMAGE}`);
    const renamed = await swarmlab(['class', 'up', '--prefix', 'e2e-other', ...at]);
    expect(renamed).toMatchObject({
      exitCode: 2,
      stderr: `error: --prefix: would leave ${labs.join(', ')} running outside the class (class down would no longer remove them); fix: swarmlab class down first, or keep --prefix ${PREFIX}`,
    });
    const fewer = await swarmlab(['class', 'up', '--students', '2', ...at]);
    expect(fewer.stderr).toBe(
      `error: --students: would leave ${labs[2]} running outside the class (class down would no longer remove it); fix: swarmlab class down first, or keep --students 3`,
    );
    // Nothing was rewritten: the class and its students are as they were.
    expect(readFileSync(path.join(classDir, 'class.yaml'), 'utf8')).toContain(`prefix: ${PREFIX}`);
    expect(readFileSync(path.join(classDir, 'students', 's01', 'swarmlab.yaml'), 'utf8')).toContain(`name: ${labs[0]}`);
  }, 30_000);

  it('cards say what each student needs, as text and as a printable page', async () => {
    const cards = await swarmlab(['class', 'cards', ...at]);
    expect(cards.stdout).toContain('Student s03: lab e2e-cls-s03 (engine default)');
    expect(cards.stdout).toContain('Registry from your machine: 127.0.0.1:21030; inside the nodes: registry:5000');
    // Each lab on this machine's engine has its docker context, on the student's fourth port.
    expect(cards.stdout).toContain('Your own docker CLI: docker --context swarmlab-e2e-cls-s03 node ls');
    const nodes = await docker(['--context', 'swarmlab-e2e-cls-s03', 'node', 'ls', '--format', '{{.Hostname}}']);
    expect(nodes.stdout.split('\n').sort()).toEqual(['manager', 'worker01']);
    expect((await docker(['context', 'inspect', '-f', '{{.Endpoints.docker.Host}}', 'swarmlab-e2e-cls-s03'])).stdout).toBe('tcp://127.0.0.1:21033');
    const html = path.join(classDir, 'cards.html');
    expect((await swarmlab(['class', 'cards', '--html', html, ...at])).stdout.split('\n')[0]).toBe(`Wrote 3 cards to ${html}.`);
    expect(readFileSync(html, 'utf8').match(/<section class="card">/g)).toHaveLength(3);
    // Every student's login is on it: readable by the instructor alone, also when printed over an older page.
    chmodSync(html, 0o644);
    await swarmlab(['class', 'cards', '--html', html, ...at]);
    expect(statSync(html).mode & 0o777).toBe(0o600);
  }, 30_000);

  it("down leaves nothing labelled, and keeps the students' directories", async () => {
    const down = await swarmlab(['class', 'down', ...at]);
    expect(down.stdout).toContain('3 of 3 labs removed (11 containers).');
    for (const lab of labs) expect(await labelledObjects(lab)).toEqual({ containers: [], networks: [], volumes: [] });
    expect((await docker(['context', 'ls', '--format', '{{.Name}}'])).stdout).not.toContain('swarmlab-e2e-cls-');
    expect(readFileSync(path.join(classDir, 'students', 's02', 'swarmlab.yaml'), 'utf8')).toContain('name: e2e-cls-s02');
  }, 120_000);
});

describe('a class over two engines', () => {
  // A second dockerd on this machine (scripts/test-host.sh second-up): its own socket, data
  // root, exec root and no default bridge; the node and registry images copied to it.
  const SECOND = 'unix:///var/run/swarmlab-second.sock';
  const dir = newLabDir();
  const two = ['--dir', dir];
  const onSecond = (args: string[]) => execa('docker', ['-H', SECOND, ...args], { reject: false });

  beforeAll(async () => {
    const started = await execa('bash', [path.join(REPO_ROOT, 'scripts', 'test-host.sh'), 'second-up'], { reject: false, all: true });
    if (started.exitCode !== 0) throw new Error(`the second engine did not start: ${String(started.all)}`);
  }, 180_000);

  afterAll(async () => {
    await swarmlab(['class', 'down', ...two]);
    await execa('bash', [path.join(REPO_ROOT, 'scripts', 'test-host.sh'), 'second-down'], { reject: false });
  }, 120_000);

  it('up puts labs on both, on distinct subnets, and status shows all four', async () => {
    const up = await swarmlab([
      'class',
      'up',
      '--students',
      '4',
      '--workers',
      '1',
      '--prefix',
      'e2e-two',
      '--base-port',
      '21500',
      '--engine',
      'default',
      '--engine',
      SECOND,
      ...two,
    ]);
    expect([up.exitCode, up.stderr]).toEqual([0, '']);
    expect(up.stdout).toContain('4 of 4 labs up.');
    const onA = (await docker(['ps', '--filter', 'label=dev.swarmlab.role=registry', '--format', '{{.Label "dev.swarmlab.lab"}}'])).stdout
      .split('\n')
      .filter((l) => l.startsWith('e2e-two-'))
      .sort();
    const onB = (await onSecond(['ps', '--filter', 'label=dev.swarmlab.role=registry', '--format', '{{.Label "dev.swarmlab.lab"}}'])).stdout
      .split('\n')
      .filter((l) => l.startsWith('e2e-two-'))
      .sort();
    expect(onA.length).toBeGreaterThan(0);
    expect(onB.length).toBeGreaterThan(0);
    expect([...onA, ...onB].sort()).toEqual(['e2e-two-s01', 'e2e-two-s02', 'e2e-two-s03', 'e2e-two-s04']);
    const subnet = async (lab: string) => {
      const inspect = ['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', `${lab}-net`];
      return (onA.includes(lab) ? await docker(inspect) : await onSecond(inspect)).stdout.trim();
    };
    const subnets = await Promise.all([...onA, ...onB].map(subnet));
    expect(new Set(subnets).size).toBe(4);
    const status = JSON.parse((await swarmlab(['class', 'status', '--json', ...two])).stdout) as { students: { id: string; engine: string; up: boolean }[] };
    expect(status.students.map((s) => s.up)).toEqual([true, true, true, true]);
    expect(new Set(status.students.map((s) => s.engine))).toEqual(new Set(['default', SECOND]));
    // A lab on the second engine (brought up in the class's process) has the docker context an
    // up sent to that engine makes: its API on this machine, and the engine it lives on.
    const context = `swarmlab-${onB[0]}`;
    const [meta] = JSON.parse((await docker(['context', 'inspect', context])).stdout) as {
      Metadata: Record<string, string>;
      Endpoints: { docker: { Host: string } };
    }[];
    expect(meta!.Metadata['dev.swarmlab.engine']).toBe(SECOND);
    expect(meta!.Endpoints.docker.Host).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const nodes = await docker(['--context', context, 'node', 'ls', '--format', '{{.Hostname}}']);
    expect(nodes.stdout.split('\n').sort()).toEqual(['manager', 'worker01']);
  }, 300_000);

  it('exec and down reach every lab on its own engine', async () => {
    const exec = await swarmlab(['class', 'exec', ...two, '--', 'status']);
    expect([exec.exitCode, exec.stdout]).toEqual([0, expect.stringContaining('4 of 4 succeeded.')]);
    expect((await swarmlab(['class', 'down', ...two])).stdout).toContain('4 of 4 labs removed (12 containers).');
    expect((await onSecond(['ps', '-aq', '--filter', 'label=dev.swarmlab.lab'])).stdout).toBe('');
  }, 120_000);
});
