// swarmlab doctor on this engine: its verdicts are checked against what the test finds itself.

import { existsSync } from 'node:fs';
import net from 'node:net';
import { execa } from 'execa';
import { docker, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

interface Doctor {
  ok: boolean;
  checks: { check: string; status: string; detail: string; fix?: string }[];
}

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE]);
}, 60_000);

describe('swarmlab doctor', () => {
  it('reports the privileged fallback and IPVS as they are, every check with a fix when not a pass', async () => {
    const result = await swarmlab(['doctor', '--json', '--dir', newLabDir(), '--registry-port', '5519']);
    const doctor = JSON.parse(result.stdout) as Doctor;
    const status = (name: string) => doctor.checks.find((c) => c.check === name)?.status;
    expect(doctor.checks.map((c) => c.check)).toEqual([
      'engine',
      'compose',
      'cgroup',
      'privileged',
      'runtime',
      'ipvs',
      'vxlan',
      'netem',
      'ports',
      'disk',
      'node image',
      'registry image',
      'image platforms',
    ]);
    // The offline stand-ins were built on this engine: each has a build for its CPU.
    expect(status('image platforms')).toBe('pass');
    const privilegedWorks = (await docker(['run', '--rm', '--privileged', '--network', 'none', '--entrypoint', 'true', NODE_IMAGE])).exitCode === 0;
    expect(status('privileged')).toBe(privilegedWorks ? 'pass' : 'warn');
    expect(status('ipvs')).toBe(existsSync('/proc/net/ip_vs') ? 'pass' : 'warn');
    expect(status('vxlan')).toBe('pass');
    const netem =
      (
        await docker([
          'run',
          '--rm',
          '--cap-add',
          'NET_ADMIN',
          '--network',
          'none',
          '--entrypoint',
          'sh',
          NODE_IMAGE,
          '-c',
          'tc qdisc add dev lo root netem delay 1ms',
        ])
      ).exitCode === 0;
    expect(status('netem')).toBe(netem ? 'pass' : 'warn');
    expect(status('engine')).toBe('pass');
    // Sysbox is never a failure: installed or not, the line only says which.
    const sysbox = (await docker(['info', '--format', '{{json .Runtimes}}'])).stdout.includes('sysbox-runc');
    expect(doctor.checks.find((c) => c.check === 'runtime')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining(sysbox ? 'sysbox-runc is installed' : 'sysbox-runc is not installed'),
    });
    for (const c of doctor.checks) if (c.status !== 'pass') expect(c.fix).toBeTruthy();
    expect(doctor.ok).toBe(true);
    expect(result.exitCode).toBe(0);
    const text = await swarmlab(['doctor', '--dir', newLabDir(), '--registry-port', '5519']);
    expect(text.stdout).toMatch(/^Ready for labs/m);
  }, 60_000);

  it('fails, exit 1, when a port the lab must use is taken', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 5520 }, resolve));
    try {
      const result = await swarmlab(['doctor', '--json', '--dir', newLabDir(), '--registry-port', '5520']);
      const doctor = JSON.parse(result.stdout) as Doctor;
      const ports = doctor.checks.find((c) => c.check === 'ports')!;
      expect(ports).toMatchObject({ status: 'fail', detail: '--registry-port: host port 5520 on 127.0.0.1 is in use by another program' });
      expect(doctor.ok).toBe(false);
      expect(result.exitCode).toBe(1);
    } finally {
      server.close();
    }
  }, 60_000);
});

describe('up --mode', () => {
  it('privileged: comes up where the engine allows it, else fails naming the refusal and leaves nothing', async () => {
    const privilegedWorks = (await docker(['run', '--rm', '--privileged', '--network', 'none', '--entrypoint', 'true', NODE_IMAGE])).exitCode === 0;
    const dir = newLabDir();
    const up = await swarmlab(['up', '--dir', dir, '--name', 'e2e-mode', '--workers', '1', '--registry-port', '5535', '--mode', 'privileged']);
    if (privilegedWorks) {
      expect(up.exitCode).toBe(0);
      expect(up.stdout).toContain('privileged nodes (--mode)');
    } else {
      expect(up.exitCode).toBe(1);
      expect(up.stdout + up.stderr).toMatch(/unable to apply caps|operation not permitted/);
      expect((await docker(['ps', '-a', '-q', '--filter', 'label=dev.swarmlab.lab=e2e-mode'])).stdout).toBe('');
    }
    await swarmlab(['down', '--dir', dir, '--name', 'e2e-mode']);
  }, 120_000);

  it('capabilities: skips the probe and comes up in that mode', async () => {
    const dir = newLabDir();
    const up = await swarmlab(['up', '--dir', dir, '--name', 'e2e-mode', '--workers', '1', '--registry-port', '5535', '--mode', 'capabilities']);
    expect([up.exitCode, up.stderr]).toEqual([0, '']);
    expect(up.stdout).toContain('capabilities nodes (--mode)');
    expect((await docker(['inspect', '-f', '{{.HostConfig.Privileged}}', 'e2e-mode-manager'])).stdout).toBe('false');
    expect((await swarmlab(['down', '--dir', dir, '--name', 'e2e-mode'])).exitCode).toBe(0);
  }, 120_000);
});

describe('the engine, found as the docker CLI finds it', () => {
  // A docker CLI configuration of the test's own: contexts never touch the user's ~/.docker.
  const config = newLabDir();
  const asCli = (args: string[]) => execa('docker', ['--config', config, ...args], { reject: false });

  it('a context pointing at this engine works like the default, and doctor says which engine and why', async () => {
    expect((await asCli(['context', 'create', 'e2e-here', '--docker', 'host=unix:///var/run/docker.sock'])).exitCode).toBe(0);
    const env = { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'e2e-here' };
    const doctor = JSON.parse((await swarmlab(['doctor', '--json', '--dir', newLabDir(), '--registry-port', '5519'], { env })).stdout) as Doctor;
    expect(doctor.checks.find((c) => c.check === 'engine')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/answers at unix:\/\/\/var\/run\/docker\.sock \(docker context e2e-here \(DOCKER_CONTEXT\)\)$/),
    });
    const ls = await swarmlab(['ls'], { env });
    expect(ls.exitCode).toBe(0);
  }, 60_000);

  it('a context whose socket does not exist is one line naming the context and the socket', async () => {
    expect((await asCli(['context', 'create', 'e2e-gone', '--docker', 'host=unix:///run/swarmlab-e2e-nothing.sock'])).exitCode).toBe(0);
    const ls = await swarmlab(['ls'], { env: { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'e2e-gone' } });
    expect(ls).toMatchObject({
      exitCode: 1,
      stderr:
        'error: docker context e2e-gone (DOCKER_CONTEXT) points at unix:///run/swarmlab-e2e-nothing.sock, and no socket is there; fix: start that engine, or choose another (docker context use default, or DOCKER_HOST)',
    });
  }, 30_000);
});
