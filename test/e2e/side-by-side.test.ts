// Several labs on one engine: free ports chosen for defaults, ls, preflight of chosen ports,
// names owned by someone else, a lab network someone else uses, one up at a time, and Ctrl-C
// during up.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { currentEndpoint } from '../../src/engine/current-endpoint.js';
import { lockFileOf } from '../../src/lab/lock.js';
import { REPO_ROOT } from '../repo-root.js';
import { capturedOutputs, docker, ECHO_IMAGE, labelledObjects, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

const A = { name: 'e2e-a', dir: newLabDir() };
const B = { name: 'e2e-b', dir: newLabDir() };
const args = (lab: { name: string; dir: string }) => ['--dir', lab.dir, '--name', lab.name];
const NOTHING = { containers: [], networks: [], volumes: [] };

interface LabLine {
  name: string;
  state: string;
  registry: string;
  ports: string[];
}

async function ls(): Promise<LabLine[]> {
  return JSON.parse((await swarmlab(['ls', '--json'])).stdout) as LabLine[];
}

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE, ECHO_IMAGE]);
  for (const lab of [A, B]) await swarmlab(['down', ...args(lab)]);
}, 60_000);

afterAll(async () => {
  for (const lab of [A, B]) await swarmlab(['down', ...args(lab)]);
}, 60_000);

describe('two labs side by side', () => {
  it('the second lab moves its default ports off the first one and says so', async () => {
    expect((await swarmlab(['up', ...args(A), '--workers', '1'])).exitCode).toBe(0);
    const a = (await ls()).find((l) => l.name === A.name)!;
    const aRegistryPort = a.registry.split(':')[1];
    const up = await swarmlab(['up', ...args(B), '--workers', '1']);
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toMatch(new RegExp(`^port moved: registry on 127\\.0\\.0\\.1:\\d+ \\(${aRegistryPort} is in use by container e2e-a-registry\\)$`, 'm'));
    expect(up.stdout).toMatch(/^port moved: manager port 80 on 127\.0\.0\.1:\d+ \(\d+ is in use by container e2e-a-manager\)$/m);
    const labs = await ls();
    const b = labs.find((l) => l.name === B.name)!;
    expect([a.state, b.state]).toEqual(['up', 'up']);
    expect(b.registry).not.toBe(a.registry);
    expect(b.ports.some((p) => a.ports.includes(p))).toBe(false);
    const table = await swarmlab(['ls']);
    expect(table.stdout).toMatch(/^LAB\s+STATE\s+MANAGERS\s+WORKERS\s+REGISTRY\s+PORTS$/m);
    expect(table.stdout).toMatch(/^e2e-b\s+up\s+1\s+1\s+127\.0\.0\.1:\d+/m);
  }, 180_000);

  it('a port chosen by the user that is taken is refused before anything is made, naming its container', async () => {
    const b = (await ls()).find((l) => l.name === B.name)!;
    const port = b.registry.split(':')[1]!;
    const dir = newLabDir();
    const up = await swarmlab(['up', '--dir', dir, '--name', 'e2e-c', '--registry-port', port]);
    expect(up.exitCode).toBe(2);
    expect(up.stderr).toBe(
      `error: --registry-port: host port ${port} on 127.0.0.1 is in use by container e2e-b-registry; fix: free it, or pick another registryPort (--registry-port)`,
    );
    expect(await labelledObjects('e2e-c')).toEqual(NOTHING);
  }, 60_000);

  it('down of the first leaves the second whole', async () => {
    expect((await swarmlab(['down', ...args(A)])).exitCode).toBe(0);
    expect(await labelledObjects(A.name)).toEqual(NOTHING);
    const status = await swarmlab(['status', ...args(B)]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain('Lab "e2e-b" is up: 1 manager, 1 worker.');
  }, 60_000);
});

describe('a lab shared beyond this machine', () => {
  it('binds where bindAddress says and warns that the registry becomes reachable from the network', async () => {
    const dir = newLabDir();
    writeFileSync(path.join(dir, 'swarmlab.yaml'), 'name: e2e-open\nworkers: 0\nregistryPort: 5522\nports: []\nbindAddress: 0.0.0.0\n');
    try {
      const up = await swarmlab(['up', '--dir', dir]);
      expect(up.exitCode).toBe(0);
      expect(up.stdout).toMatch(
        /^warning: ports bind to 0\.0\.0\.0: the lab registry \(no TLS, no login\) and the manager's ports are reachable from your network$/m,
      );
      expect((await ls()).find((l) => l.name === 'e2e-open')!.registry).toBe('0.0.0.0:5522');
    } finally {
      await swarmlab(['down', '--dir', dir]);
    }
  }, 120_000);

  it('binds to 127.0.0.1 and says nothing when bindAddress is left alone', async () => {
    const labs = await ls();
    expect(labs.find((l) => l.name === B.name)!.registry).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});

describe('a network the lab cannot give back', () => {
  it("down names a container someone else put on the lab's network, leaves it running, and ends the lab once it has left", async () => {
    const guest = 'e2e-b-guest';
    const network = `${B.name}-net`;
    await docker(['rm', '-fv', guest]);
    try {
      expect((await docker(['run', '-d', '--name', guest, '--network', network, '--entrypoint', '/bin/sleep', ECHO_IMAGE, '600'])).exitCode).toBe(0);
      const down = await swarmlab(['down', ...args(B)]);
      expect(down.exitCode).toBe(1);
      expect(down.stderr).toBe(
        `error: network ${network} is still used by ${guest}, not made by this lab; fix: docker network disconnect ${network} ${guest}, then swarmlab down again`,
      );
      expect((await docker(['inspect', '-f', '{{.State.Running}}', guest])).stdout.trim()).toBe('true');
      expect((await labelledObjects(B.name)).containers).toEqual([]);
      expect((await docker(['network', 'disconnect', network, guest])).exitCode).toBe(0);
      expect((await swarmlab(['down', ...args(B)])).exitCode).toBe(0);
      expect(await labelledObjects(B.name)).toEqual(NOTHING);
    } finally {
      await docker(['rm', '-fv', guest]);
    }
  }, 60_000);
});

describe('ownership and concurrency', () => {
  const foreign = 'e2e-own-manager';

  afterAll(async () => {
    await docker(['rm', '-fv', foreign]);
    rmSync(lockFileOf('e2e-lock', currentEndpoint()), { force: true });
  }, 30_000);

  it('refuses to make a lab over a container that has its name but not its label, and down leaves it alone', async () => {
    expect((await docker(['create', '--name', foreign, ECHO_IMAGE])).exitCode).toBe(0);
    const dir = newLabDir();
    const up = await swarmlab(['up', '--dir', dir, '--name', 'e2e-own', '--workers', '0', '--registry-port', '5515']);
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toContain(`container ${foreign} already exists without the label dev.swarmlab.lab=e2e-own`);
    expect(up.stderr).toContain('fix: remove or rename it, or choose another lab name with --name');
    expect(await labelledObjects('e2e-own')).toEqual(NOTHING);
    expect((await swarmlab(['down', '--dir', dir, '--name', 'e2e-own'])).exitCode).toBe(0);
    expect((await docker(['inspect', foreign])).exitCode).toBe(0);
  }, 60_000);

  it('a second up of a lab that one is bringing up waits its turn instead of making a second swarm', async () => {
    const lock = lockFileOf('e2e-lock', currentEndpoint());
    mkdirSync(path.dirname(lock), { recursive: true });
    writeFileSync(lock, String(process.pid)); // a live owner
    const up = await swarmlab(['up', '--dir', newLabDir(), '--name', 'e2e-lock', '--registry-port', '5516']);
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toBe(
      `error: another swarmlab is bringing lab "e2e-lock" up (pid ${process.pid}); fix: wait for it to finish, then run swarmlab status --name e2e-lock`,
    );
    expect(await labelledObjects('e2e-lock')).toEqual(NOTHING);
  }, 60_000);

  it('of two processes taking a lab lock at the same instant, exactly one gets it, every time', async () => {
    // Both wait for the same moment, then lock; the holder keeps it 300 ms. A lock file
    // created empty and written after once let both through, now and then.
    // The CLI is one bundled file, so the lock module is built on its own for these processes.
    const buildDir = mkdtempSync(path.join(tmpdir(), 'swarmlab-lock-'));
    const lockModule = path.join(buildDir, 'lock.mjs');
    await build({
      entryPoints: [path.join(REPO_ROOT, 'src', 'lab', 'lock.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: lockModule,
      logLevel: 'error',
    });
    const script = `import { lockLab } from ${JSON.stringify(lockModule)};
      const at = Number(process.argv[1]); while (Date.now() < at) {}
      try { const release = lockLab('e2e-race', { host: 'unix:///var/run/docker.sock', source: 'the test' }); console.log('got'); setTimeout(release, 300); } catch { console.log('refused'); }`;
    for (let round = 0; round < 15; round++) {
      const at = String(Date.now() + 300);
      const both = await Promise.all([0, 1].map(() => execa('node', ['--input-type=module', '-e', script, at])));
      expect(both.map((r) => r.stdout).sort()).toEqual(['got', 'refused']);
    }
    rmSync(buildDir, { recursive: true, force: true });
  }, 60_000);

  it('two ups of one lab at once give one swarm', async () => {
    const dir = newLabDir();
    const both = await Promise.all([0, 1].map(() => swarmlab(['up', '--dir', dir, '--name', 'e2e-twice', '--workers', '2', '--registry-port', '5517'])));
    expect(both.map((r) => r.exitCode)).toContain(0);
    for (const r of both) if (r.exitCode !== 0) expect(r.stderr).toContain('another swarmlab is bringing lab "e2e-twice" up');
    const again = await swarmlab(['up', '--dir', dir, '--name', 'e2e-twice', '--workers', '2', '--registry-port', '5517']);
    expect(again.stdout).toContain('up and healthy: nothing to do');
    const nodes = (await docker(['exec', 'e2e-twice-manager', 'docker', 'node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'])).stdout
      .split('\n')
      .sort();
    expect(nodes).toEqual(['manager Ready Leader', 'worker01 Ready ', 'worker02 Ready ']);
    expect((await swarmlab(['down', '--dir', dir, '--name', 'e2e-twice'])).exitCode).toBe(0);
  }, 120_000);
});

describe('labs brought up at the same moment', () => {
  it('six ups of different labs started at the same instant all come up, on distinct subnets and host ports', async () => {
    // Each wants the default ports (5000, 8000, 9000, the API's 2376) and the first free subnet: the choices
    // are made one at a time under a machine-wide lock and claimed until each up ends.
    const labs = [1, 2, 3, 4, 5, 6].map((i) => ({ name: `e2e-burst${i}`, dir: newLabDir() }));
    const args = (l: { name: string; dir: string }) => ['--dir', l.dir, '--name', l.name];
    try {
      const ups = await Promise.all(labs.map((l) => swarmlab(['up', ...args(l), '--workers', '1'])));
      expect(ups.map((u) => [u.exitCode, u.stderr])).toEqual(labs.map(() => [0, '']));
      const subnets = await Promise.all(
        labs.map(async (l) => (await docker(['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', `${l.name}-net`])).stdout.trim()),
      );
      expect(new Set(subnets).size).toBe(labs.length);
      const published = await Promise.all(
        labs.map(async (l) => (await docker(['ps', '--filter', `label=dev.swarmlab.lab=${l.name}`, '--format', '{{.Ports}}'])).stdout.match(/:(\d+)->/g) ?? []),
      );
      const hostPorts = published.flat();
      expect(hostPorts).toHaveLength(labs.length * 4);
      expect(new Set(hostPorts).size).toBe(hostPorts.length);
      for (const l of labs) expect((await swarmlab(['status', ...args(l)])).exitCode).toBe(0);
    } finally {
      await Promise.all(labs.map((l) => swarmlab(['down', ...args(l)])));
    }
  }, 300_000);
});

describe('Ctrl-C during up', () => {
  it('stops, cleans up, exits 130; the next up gives a healthy lab and down leaves nothing', async () => {
    const dir = newLabDir();
    const labArgs = ['--dir', dir, '--name', 'e2e-int'];
    const upArgs = ['up', ...labArgs, '--registry-port', '5518'];
    const child = execa('node', [path.join(REPO_ROOT, 'bin', 'swarmlab.js'), ...upArgs], {
      reject: false,
      env: { NO_COLOR: '1', SWARMLAB_NODE_IMAGE: NODE_IMAGE, SWARMLAB_REGISTRY_IMAGE: REGISTRY_IMAGE },
    });
    // Interrupt once compose is at work: containers are being made.
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Start the registry and node containers')) resolve();
      });
    });
    child.kill('SIGINT');
    const result = await child;
    capturedOutputs.push(String(result.stdout), String(result.stderr));
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toContain('error: up of lab "e2e-int" failed: interrupted by SIGINT');
    const up = await swarmlab(upArgs);
    expect([up.exitCode, up.stderr]).toEqual([0, '']);
    expect((await swarmlab(['status', ...labArgs])).exitCode).toBe(0);
    expect((await swarmlab(['down', ...labArgs])).exitCode).toBe(0);
    expect(await labelledObjects('e2e-int')).toEqual(NOTHING);
  }, 180_000);

  it('never shows a join token', () => {
    for (const text of capturedOutputs) expect(text).not.toContain('SWMTKN');
  });
});
