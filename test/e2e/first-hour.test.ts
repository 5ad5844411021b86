// What a newcomer met in the first hour (issue 26), on a lab of three managers and a worker:
// status during the election that follows chaos kill-leader says degraded (or electing), never
// advises --force-new-cluster while a majority of managers runs, and says up after heal; the viz
// feed records the leader change; doctor with the lab up names the lab's ports as the lab's.
import { eventually, freshLab, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, startServing, swarmlab } from './harness.js';

const LAB = 'e2e-fh';
const dir = newLabDir();
const lab = ['--dir', dir];
const REGISTRY_PORT = 32510;
const WEB_PORT = 32511;
const VIZ_PORT = 32512;

interface StatusJson {
  up: boolean;
  health: 'up' | 'degraded' | 'down';
  leader: string | null;
  election: { electing: number; managers: number } | null;
  problems: string[];
}

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE]);
  await freshLab(dir, `name: ${LAB}\nmanagers: 3\nworkers: 1\nregistryPort: ${REGISTRY_PORT}\nports: ["${WEB_PORT}:80"]\n`);
}, 240_000);

afterAll(async () => {
  await swarmlab(['down', ...lab]);
}, 60_000);

describe('doctor with the lab up', () => {
  it("names the lab's own ports as the lab's, not as another program's", async () => {
    const doctor = await swarmlab(['doctor', '--json', ...lab]);
    const ports = (JSON.parse(doctor.stdout) as { checks: { check: string; status: string; detail: string }[] }).checks.find((c) => c.check === 'ports')!;
    expect(ports).toMatchObject({ status: 'pass' });
    expect(ports.detail).toContain(`${REGISTRY_PORT}: lab ${LAB}'s registry`);
    expect(ports.detail).toContain(`${WEB_PORT}: lab ${LAB}'s manager`);
    expect(ports.detail).not.toContain('another program');
  }, 60_000);
});

describe('chaos kill-leader on three managers', () => {
  let viz: Awaited<ReturnType<typeof startServing>> | undefined;

  afterAll(() => {
    viz?.child.kill('SIGINT');
  });

  it('status, asked at once and every second for 20 s and until the election is over, says degraded or electing and never advises --force-new-cluster; after heal, up', async () => {
    // The web view takes a picture every second from now on: its feed sees the leader go and come.
    viz = await startServing(['viz', '--web', '--port', String(VIZ_PORT), ...lab], 'Serving the swarm');
    const before = JSON.parse((await swarmlab(['status', '--json', ...lab])).stdout) as StatusJson;
    expect(before).toMatchObject({ up: true, health: 'up', leader: 'manager' });

    const kill = await swarmlab(['chaos', 'kill-leader', ...lab]);
    expect([kill.exitCode, kill.stdout]).toEqual([0, expect.stringContaining('killed manager, the leader')]);
    const seen: { exitCode: number; headline: string; seconds: number }[] = [];
    const start = Date.now();
    // At least 20 s, then until the election is over: raft's election timeout is randomised
    // between 10 and 19 ticks of 1 s, so a new leader may come only after 20 s (a clean-clone
    // CI run saw none within them).
    const settledSeen = () => seen.some((s) => s.headline.includes('manager down (container exited)'));
    while (Date.now() - start < 20_000 || (!settledSeen() && Date.now() - start < 60_000)) {
      const asked = Date.now();
      const status = await swarmlab(['status', ...lab]);
      const seconds = (Date.now() - asked) / 1000;
      expect(status.stdout + status.stderr).not.toContain('force-new-cluster');
      seen.push({ exitCode: status.exitCode, headline: status.stdout.split('\n')[0]!, seconds });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    // The figures, for the report (not asserted: speed goes to the bench).
    console.log(seen.map((s) => `${s.seconds.toFixed(2)} s exit ${s.exitCode}: ${s.headline}`).join('\n'));
    for (const s of seen) {
      expect(s).toMatchObject({ exitCode: 3, headline: expect.stringMatching(new RegExp(`^Lab "${LAB}" is up, degraded: `)) });
    }
    // The election was said as such while it ran, or was over before the first status.
    const electing = seen.filter((s) => s.headline.includes('an election is under way among 2 of 3 managers'));
    const settled = seen.filter((s) => s.headline.includes('manager down (container exited)'));
    expect(electing.length + settled.length).toBe(seen.length);
    expect(settled.length).toBeGreaterThan(0);

    const json = JSON.parse((await swarmlab(['status', '--json', ...lab])).stdout) as StatusJson;
    expect(json).toMatchObject({ up: false, health: 'degraded', leader: expect.stringMatching(/^manager0[23]$/) });

    expect((await swarmlab(['chaos', 'heal', ...lab])).exitCode).toBe(0);
    const healed = await eventually(
      'status says up after heal',
      async () => swarmlab(['status', ...lab]),
      (r) => r.exitCode === 0,
      60_000,
    );
    expect(healed.stdout.split('\n')[0]).toBe(`Lab "${LAB}" is up: 3 managers, 1 worker.`);
  }, 180_000);

  it('the viz feed records the leader change', async () => {
    const model = await eventually(
      'the viz feed shows the new leader',
      async () => (await fetch(`http://127.0.0.1:${VIZ_PORT}/model`)).json() as Promise<{ feed: string[] }>,
      (m) => m.feed.some((line) => /leader: manager -> manager0[23]$/.test(line)),
      30_000,
    );
    // No picture taken while no manager answered turned into every node leaving and joining.
    expect(model.feed.filter((line) => / left the swarm$| joined \(/.test(line))).toEqual([]);
  }, 60_000);
});
