// logs, the bug-report bundle, and join tokens under a forced join failure with verbose output.

import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { capturedOutputs, docker, freshLab, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

const LAB = 'e2e-diag';
const dir = newLabDir();
const lab = ['--dir', dir];
const VERBOSE = { SWARMLAB_DEBUG: '1', SWARMLAB_TRACE: '1' };

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const file = path.join(root, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE]);
  await freshLab(dir, `name: ${LAB}\nworkers: 2\nregistryPort: 5521\nports: []\n`, VERBOSE);
}, 180_000);

afterAll(async () => {
  await swarmlab(['down', ...lab]);
}, 60_000);

describe('swarmlab logs', () => {
  it("shows a node's daemon log", async () => {
    const logs = await swarmlab(['logs', 'worker02', '--tail', '20', ...lab]);
    expect(logs.exitCode).toBe(0);
    expect(logs.stdout).toMatch(/level=\w+ msg=/);
    expect(logs.stdout.trim().split('\n').length).toBeLessThanOrEqual(20);
  }, 30_000);

  it('names the real nodes when asked for one that does not exist', async () => {
    const logs = await swarmlab(['logs', 'worker09', ...lab]);
    expect(logs).toMatchObject({ exitCode: 1, stderr: `error: lab "${LAB}" has no node "worker09"; fix: use one of manager, registry, worker01, worker02` });
  }, 30_000);
});

describe('a join that fails, with verbose output on', () => {
  it('names the node and the error, and shows no join token anywhere', async () => {
    // worker01 leaves and can no longer reach the manager's port 2377: the next up must join it, and fails.
    expect((await docker(['exec', `${LAB}-worker01`, 'docker', 'swarm', 'leave'])).exitCode).toBe(0);
    expect(
      (await docker(['exec', `${LAB}-worker01`, 'iptables', '-I', 'OUTPUT', '-p', 'tcp', '--dport', '2377', '-j', 'REJECT', '--reject-with', 'tcp-reset']))
        .exitCode,
    ).toBe(0);
    const up = await swarmlab(['up', ...lab, '--timeout', '30'], { env: VERBOSE });
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toMatch(/^error: up of lab "e2e-diag" failed: swarm join failed on worker01: .*2377/m);
    expect(up.stderr).toMatch(/^\[\d+\.\d+s\] worker01: daemon answers \(inactive\)$/m); // the trace was on

    // Mend it: the next up joins worker01 and removes the entry it left behind.
    expect(
      (await docker(['exec', `${LAB}-worker01`, 'iptables', '-D', 'OUTPUT', '-p', 'tcp', '--dport', '2377', '-j', 'REJECT', '--reject-with', 'tcp-reset']))
        .exitCode,
    ).toBe(0);
    const again = await swarmlab(['up', ...lab], { env: VERBOSE });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('removed the stale swarm entry of worker01');
  }, 120_000);

  it('the bundle holds every log, the swarm view and the compose file', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'swarmlab-bundle-'));
    const file = path.join(out, 'bundle.tar.gz');
    const bundle = await swarmlab(['logs', '--bundle', file, ...lab]);
    expect(bundle.exitCode).toBe(0);
    expect((await execa('tar', ['-xzf', file, '-C', out])).exitCode).toBe(0);
    const root = path.join(out, `swarmlab-${LAB}`);
    expect(
      filesUnder(root)
        .map((f) => path.relative(root, f))
        .sort(),
    ).toEqual([
      'compose.yaml',
      'containers.txt',
      'logs/manager.log',
      'logs/registry.log',
      'logs/worker01.log',
      'logs/worker02.log',
      'swarm/node-ls.txt',
      'swarm/service-ls.txt',
      'swarm/service-ps.txt',
    ]);
    expect(readFileSync(path.join(root, 'swarm/node-ls.txt'), 'utf8')).toMatch(/worker01\s+Ready/);
    expect(readFileSync(path.join(root, 'logs/manager.log'), 'utf8')).toMatch(/level=\w+/);
    for (const f of filesUnder(root)) expect([f, readFileSync(f, 'utf8').includes('SWMTKN-')]).toEqual([f, false]);
  }, 60_000);

  it('no output, log or state file holds a join token', async () => {
    expect(capturedOutputs.join('\n')).not.toContain('SWMTKN-');
    for (const f of filesUnder(path.join(dir, '.swarmlab'))) expect(readFileSync(f, 'utf8')).not.toContain('SWMTKN-');
    const containers = (await docker(['ps', '-aq', '--filter', `label=dev.swarmlab.lab=${LAB}`])).stdout.split('\n').filter(Boolean);
    expect(containers).toHaveLength(4);
    for (const id of containers) {
      const logs = await execa('docker', ['logs', id], { reject: false, all: true });
      expect(String(logs.all)).not.toContain('SWMTKN-');
    }
  }, 60_000);
});
