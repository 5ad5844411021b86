// The shared pull-through mirror: an upstream registry on this machine seeded with an image;
// two labs started with --mirror pull it on every node; upstream serves each blob once (its own
// access log; see below for the one exception, distribution's own), the mirror the rest (its
// access log, as `mirror status` reads it).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { docker, ECHO_IMAGE, labelledObjects, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

const UPSTREAM = 'e2e-mirror-upstream';
const UPSTREAM_NET = 'e2e-mirror-upstream-net';
const UPSTREAM_PORT = 5547;
const SEEDED = `127.0.0.1:${UPSTREAM_PORT}/library/mirrored:1`;
const labs = [
  { name: 'e2e-mir-a', dir: newLabDir(), registryPort: 5543 },
  { name: 'e2e-mir-b', dir: newLabDir(), registryPort: 5544 },
];
const NODES = ['manager', 'worker01'];
const at = (lab: (typeof labs)[number]) => ['--dir', lab.dir];

async function removeAll(): Promise<void> {
  for (const lab of labs) await swarmlab(['down', ...at(lab)]);
  await swarmlab(['mirror', 'down', '--purge']);
  await docker(['rm', '-fv', UPSTREAM]);
  await docker(['network', 'rm', UPSTREAM_NET]);
  await docker(['rmi', SEEDED]);
}

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE, ECHO_IMAGE]);
  for (const lab of labs) writeFileSync(path.join(lab.dir, 'swarmlab.yaml'), `name: ${lab.name}\nworkers: 1\nregistryPort: ${lab.registryPort}\nports: []\n`);
  await removeAll();
  // The upstream: a plain registry on a network of its own, which the mirror will join.
  expect((await docker(['network', 'create', UPSTREAM_NET])).exitCode).toBe(0);
  expect((await docker(['run', '-d', '--name', UPSTREAM, '--network', UPSTREAM_NET, '-p', `127.0.0.1:${UPSTREAM_PORT}:5000`, REGISTRY_IMAGE])).exitCode).toBe(
    0,
  );
  for (
    let i = 0;
    i < 50 &&
    !(await fetch(`http://127.0.0.1:${UPSTREAM_PORT}/v2/`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  )
    await new Promise((r) => setTimeout(r, 200));
  expect((await docker(['tag', ECHO_IMAGE, SEEDED])).exitCode).toBe(0);
  const push = await docker(['push', SEEDED]);
  expect([push.exitCode, push.stderr]).toEqual([0, '']);
}, 120_000);

afterAll(async () => {
  await removeAll();
}, 120_000);

/** The blob digests upstream served with a GET, each with how many times. */
async function upstreamBlobGets(): Promise<Map<string, number>> {
  const log = await docker(['logs', UPSTREAM]);
  const counts = new Map<string, number>();
  for (const match of `${log.stdout}\n${log.stderr}`.matchAll(/"GET \/v2\/library\/mirrored\/blobs\/(sha256:[0-9a-f]{64}) HTTP\/1\.1" 200/g)) {
    counts.set(match[1]!, (counts.get(match[1]!) ?? 0) + 1);
  }
  return counts;
}

describe('swarmlab mirror', () => {
  it('up --mirror without a mirror on the engine is refused in one line, and nothing is made', async () => {
    const up = await swarmlab(['up', ...at(labs[0]!), '--mirror']);
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toContain('no pull-through mirror runs on this engine; fix: swarmlab mirror up');
    expect(await labelledObjects(labs[0]!.name)).toEqual({ containers: [], networks: [], volumes: [] });
  }, 60_000);

  it('mirror up starts one registry in proxy mode, labelled, its storage in a named volume', async () => {
    const bad = await swarmlab(['mirror', 'up', '--upstream', 'registry-1.docker.io']);
    expect([bad.exitCode, bad.stderr.trim()]).toEqual([2, expect.stringMatching(/^error: --upstream: .*; fix: /)]);
    // An upstream out of reach (a venue without a network): said in one line, nothing left.
    const unreachable = await swarmlab(['mirror', 'up', '--upstream', 'http://upstream.invalid:5000']);
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.stderr.trim()).toMatch(
      /^error: the mirror stopped as it started: it must reach http:\/\/upstream\.invalid:5000 \(.*upstream\.invalid.*\); fix: /,
    );
    expect((await docker(['inspect', 'swarmlab-mirror'])).exitCode).not.toBe(0);
    // The upstream is reached by name on its own network.
    const up = await swarmlab(['mirror', 'up', '--upstream', `http://${UPSTREAM}:5000`, '--network', UPSTREAM_NET]);
    expect([up.exitCode, up.stderr]).toEqual([0, '']);
    expect(up.stdout).toContain(`Mirror up: proxies http://${UPSTREAM}:5000.`);
    const again = await swarmlab(['mirror', 'up']);
    expect([again.exitCode, again.stdout]).toEqual([0, expect.stringContaining('Mirror already up')]);
    const labels = await docker(['inspect', '-f', '{{index .Config.Labels "dev.swarmlab.mirror"}} {{range .Mounts}}{{.Name}}{{end}}', 'swarmlab-mirror']);
    expect(labels.stdout.trim()).toBe('true swarmlab-mirror-data');
  }, 60_000);

  it('two labs with --mirror pull the image on every node; upstream is asked only for the first pull, the mirror serves the rest', async () => {
    for (const lab of labs) {
      const up = await swarmlab(['up', ...at(lab), '--mirror']);
      expect([lab.name, up.exitCode, up.stderr]).toEqual([lab.name, 0, '']);
    }
    const status = JSON.parse((await swarmlab(['mirror', 'status', '--json'])).stdout) as { up: boolean; labs: string[] };
    expect(status.up).toBe(true);
    expect([...status.labs].sort()).toEqual(labs.map((l) => l.name));
    // One node after another (a proxy fetches a blob again for a request that comes while it
    // is still fetching it). Distribution's proxy fetches a blob twice on its first miss: once to
    // stream to that node, once to fill its cache (measured with 2.8; the official registry:2
    // does the same). After that first pull, upstream is not asked for a blob again.
    const pulls: string[][] = labs.flatMap((lab) => NODES.map((node) => [...at(lab), '--node', node]));
    const pull = async (where: string[]) => {
      const result = await swarmlab(['docker', ...where, 'pull', 'mirrored:1']);
      expect([where.join(' '), result.exitCode, result.stderr]).toEqual([where.join(' '), 0, '']);
    };
    await pull(pulls[0]!);
    const afterFirst = await upstreamBlobGets();
    expect(afterFirst.size).toBeGreaterThanOrEqual(2); // the config and at least one layer
    for (const [digest, count] of afterFirst) expect([digest, count <= 2]).toEqual([digest, true]);
    for (const where of pulls.slice(1)) await pull(where);
    expect(await upstreamBlobGets()).toEqual(afterFirst);
    const after = JSON.parse((await swarmlab(['mirror', 'status', '--json'])).stdout) as {
      counters: { hits: number; misses: number; served: number };
      sizeBytes: number;
    };
    const blobs = afterFirst.size;
    expect(after.counters).toEqual(expect.objectContaining({ served: blobs * pulls.length, misses: blobs, hits: blobs * (pulls.length - 1) }));
    expect(after.sizeBytes).toBeGreaterThan(100_000);
    const text = await swarmlab(['mirror', 'status']);
    expect(text.stdout).toContain(`blobs     ${blobs * (pulls.length - 1)} hits, ${blobs} misses`);
  }, 300_000);

  it("class up --mirror: each student's lab pulls through its engine's mirror", async () => {
    const classDir = newLabDir();
    const before = await upstreamBlobGets();
    try {
      const up = await swarmlab([
        'class',
        'up',
        '--students',
        '1',
        '--workers',
        '0',
        '--prefix',
        'e2e-mirc',
        '--base-port',
        '27000',
        '--mirror',
        '--dir',
        classDir,
      ]);
      expect([up.exitCode, up.stderr]).toEqual([0, '']);
      expect(up.stdout).toContain('mirror on default: Mirror already up');
      const student = ['--dir', path.join(classDir, 'students', 's01')];
      const mirrors = await swarmlab(['docker', ...student, 'info', '--format', '{{.RegistryConfig.Mirrors}}']);
      expect(mirrors.stdout.trim()).toBe('[http://swarmlab-mirror:5000/]');
      const pull = await swarmlab(['docker', ...student, 'pull', 'mirrored:1']);
      expect([pull.exitCode, pull.stderr]).toEqual([0, '']);
      expect(await upstreamBlobGets()).toEqual(before);
    } finally {
      await swarmlab(['class', 'down', '--dir', classDir]);
    }
  }, 180_000);

  it("a lab's down works while the mirror is on its network; mirror down keeps the cache unless --purge", async () => {
    const down = await swarmlab(['down', ...at(labs[0]!)]);
    expect([down.exitCode, down.stderr]).toEqual([0, '']);
    expect(await labelledObjects(labs[0]!.name)).toEqual({ containers: [], networks: [], volumes: [] });
    const mirrorDown = await swarmlab(['mirror', 'down']);
    expect([mirrorDown.exitCode, mirrorDown.stdout]).toEqual([0, expect.stringContaining('its cache stays in the volume swarmlab-mirror-data')]);
    expect((await docker(['inspect', 'swarmlab-mirror'])).exitCode).not.toBe(0);
    expect((await docker(['volume', 'inspect', 'swarmlab-mirror-data'])).exitCode).toBe(0);
    // The other lab is untouched, and its network no longer has the mirror on it.
    expect((await swarmlab(['status', ...at(labs[1]!)])).exitCode).toBe(0);
    const status = await swarmlab(['mirror', 'status']);
    expect(status.stdout).toContain('No mirror on this engine. Start one: swarmlab mirror up');
    const purge = await swarmlab(['mirror', 'down', '--purge']);
    expect(purge.exitCode).toBe(0);
    expect((await docker(['volume', 'inspect', 'swarmlab-mirror-data'])).exitCode).not.toBe(0);
  }, 120_000);
});
