// Other shapes of lab, a bring-up that fails, and --purge.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { capturedOutputs, docker, ECHO_IMAGE, labelledObjects, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE, ECHO_IMAGE]);
}, 60_000);

describe('three managers', () => {
  const lab = 'e2e-ha';
  const dir = newLabDir();

  afterAll(async () => {
    await swarmlab(['down', '--dir', dir, '--name', lab, '--purge']);
  }, 60_000);

  it('joins managers one at a time and keeps a Raft quorum of 3', async () => {
    const up = await swarmlab(['up', '--dir', dir, '--name', lab, '--managers', '3', '--workers', '1', '--registry-port', '5511']);
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toMatch(/privileged nodes|this engine refuses --privileged: nodes run with all capabilities/);
    const status = JSON.parse((await swarmlab(['status', '--json', '--dir', dir, '--name', lab])).stdout) as {
      nodes: { name: string; role: string; state: string; managerStatus: string }[];
    };
    expect(status.nodes.map((n) => [n.name, n.role, n.state])).toEqual([
      ['manager', 'manager', 'Ready'],
      ['manager02', 'manager', 'Ready'],
      ['manager03', 'manager', 'Ready'],
      ['worker01', 'worker', 'Ready'],
    ]);
    expect(status.nodes.filter((n) => n.managerStatus === 'Leader')).toHaveLength(1);
    expect(status.nodes.filter((n) => n.managerStatus === 'Reachable')).toHaveLength(2);
  }, 180_000);

  it('runs every node with the default cuts: its Go daemons at GOGC=400, the default bridge kept, no ingress network where there is no IPVS', async () => {
    for (const node of ['manager', 'manager03', 'worker01']) {
      expect([node, await dockerdGogc(`${lab}-${node}`)]).toEqual([node, 'GOGC=400']);
      expect([node, await hasDefaultBridge(`${lab}-${node}`)]).toEqual([node, true]);
    }
    // The swarm's networks, as its manager lists them (a worker lists ingress only once its sandbox is built).
    expect(await networksOf(`${lab}-manager`, 'ingress')).toEqual((await kernelHasIpvs(`${lab}-manager`)) ? ['ingress'] : []);
  }, 60_000);

  it('says why an ingress-mode port is refused in a lab without the ingress network, and publishes in host mode', async () => {
    if (await kernelHasIpvs(`${lab}-manager`)) {
      // With IPVS the lab keeps its ingress network: the cut changes nothing there.
      expect(await networksOf(`${lab}-manager`, 'ingress')).toEqual(['ingress']);
      return;
    }
    const push = await swarmlab(['push', ECHO_IMAGE, '--dir', dir, '--name', lab]);
    expect(push.exitCode).toBe(0);
    const image = `registry:5000/${ECHO_IMAGE}`;
    const mesh = await swarmlab(['docker', '--dir', dir, '--name', lab, 'service', 'create', '-d', '--name', 'meshed', '--publish', '18321:8080', image]);
    expect(mesh.exitCode).not.toBe(0);
    expect(mesh.stderr).toMatch(/^swarmlab: this lab has no ingress network: .*--publish 18321:8080 needs it: publish in host mode/m);
    expect(mesh.stderr).toContain('service needs ingress network');
    const host = ['service', 'create', '-d', '--name', 'hosted', '--publish', 'mode=host,published=18321,target=8080', image];
    const hosted = await swarmlab(['docker', '--dir', dir, '--name', lab, ...host]);
    expect([hosted.exitCode, hosted.stderr]).toEqual([0, '']);
    expect((await swarmlab(['docker', '--dir', dir, '--name', lab, 'service', 'rm', 'hosted'])).exitCode).toBe(0);
  }, 60_000);

  it('down --purge also empties registry-data/ (keeping the folder and a .gitkeep) and removes the state folder', async () => {
    const push = await swarmlab(['push', ECHO_IMAGE, '--dir', dir, '--name', lab]);
    expect(push.exitCode).toBe(0);
    writeFileSync(path.join(dir, 'registry-data', '.gitkeep'), '');
    expect(readdirSync(path.join(dir, 'registry-data')).sort()).toEqual(['.gitkeep', 'docker']);
    const down = await swarmlab(['down', '--dir', dir, '--name', lab, '--purge']);
    expect(down.exitCode).toBe(0);
    expect(readdirSync(path.join(dir, 'registry-data'))).toEqual(['.gitkeep']);
    expect(existsSync(path.join(dir, '.swarmlab', lab))).toBe(false);
    expect(await labelledObjects(lab)).toEqual({ containers: [], networks: [], volumes: [] });
  }, 60_000);
});

/** GOGC in the environment of the node's dockerd, as `GOGC=N`, or '' when it has none. */
async function dockerdGogc(container: string): Promise<string> {
  const read = await docker(['exec', container, 'sh', '-c', 'tr "\\0" "\\n" < /proc/$(pidof dockerd)/environ | grep "^GOGC=" || true']);
  expect(read.exitCode).toBe(0);
  return read.stdout.trim();
}

/** The networks of the node's dockerd among `names`. */
async function networksOf(container: string, ...names: string[]): Promise<string[]> {
  const networks = await docker(['exec', container, 'docker', 'network', 'ls', '--format', '{{.Name}}']);
  expect(networks.exitCode).toBe(0);
  return networks.stdout.split('\n').filter((name) => names.includes(name));
}

/** Whether the kernel the node runs on has IPVS (the routing mesh). */
async function kernelHasIpvs(container: string): Promise<boolean> {
  return (await docker(['exec', container, 'test', '-e', '/proc/net/ip_vs'])).exitCode === 0;
}

/** Whether the node's dockerd made its default bridge network (docker0). */
async function hasDefaultBridge(container: string): Promise<boolean> {
  return (await networksOf(container, 'bridge')).length > 0;
}

describe('a lab with other node cuts (--node-cuts default-bridge: no gc, no ingress cut)', () => {
  const lab = 'e2e-nocut';
  const dir = newLabDir();

  afterAll(async () => {
    await swarmlab(['down', '--dir', dir, '--name', lab]);
  }, 60_000);

  it('runs its nodes without gc (no GOGC set), without the default bridge, with the ingress network, and the rendered file says which', async () => {
    const none = await swarmlab(['render', '--dir', dir, '--name', lab, '--node-cuts', 'none']);
    expect(none.stdout).toContain('SWARMLAB_CUTS: ""');
    const up = await swarmlab(['up', '--dir', dir, '--name', lab, '--workers', '1', '--registry-port', '5523', '--node-cuts', 'default-bridge']);
    expect(up.exitCode).toBe(0);
    for (const node of ['manager', 'worker01']) {
      expect([node, await dockerdGogc(`${lab}-${node}`)]).toEqual([node, '']);
      expect([node, await hasDefaultBridge(`${lab}-${node}`)]).toEqual([node, false]);
    }
    expect(await networksOf(`${lab}-manager`, 'ingress')).toEqual(['ingress']);
    const bad = await swarmlab(['up', '--dir', dir, '--name', lab, '--node-cuts', 'gc,bridge']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toEqual([
      'error: --node-cuts: "bridge" is not a cut swarmlab knows; fix: name any of gc, default-bridge, ingress, or none',
    ]);
  }, 180_000);
});

describe('a first up that fails', () => {
  const lab = 'e2e-fail';
  const dir = newLabDir();

  afterAll(async () => {
    await swarmlab(['down', '--dir', dir, '--name', lab]);
  }, 60_000);

  // The echo image has no dockerd: every node exits at once.
  const badUp = ['up', '--dir', dir, '--name', lab, '--workers', '1', '--registry-port', '5512', '--node-image', ECHO_IMAGE, '--timeout', '60'];

  it('names the node, shows its last log lines and removes what it created', async () => {
    const up = await swarmlab(badUp);
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toMatch(
      /^error: up of lab "e2e-fail" failed: node (manager|worker01) stopped \(container (exited|restarting: its process keeps exiting)\) before its dockerd answered$/m,
    );
    expect(up.stderr).toMatch(/--- last log lines of e2e-fail-(manager|worker01) \((exited|restarting)\) ---\n.*dockerd: not found/);
    expect(up.stderr).toContain('removed what this up created');
    expect(await labelledObjects(lab)).toEqual({ containers: [], networks: [], volumes: [] });
  }, 120_000);

  it('keeps the containers for inspection with --keep-on-failure', async () => {
    const up = await swarmlab([...badUp, '--keep-on-failure']);
    expect(up.exitCode).toBe(1);
    expect(up.stderr).not.toContain('removed what this up created');
    expect((await labelledObjects(lab)).containers.sort()).toEqual(['e2e-fail-manager', 'e2e-fail-registry', 'e2e-fail-worker01']);
    expect((await swarmlab(['down', '--dir', dir, '--name', lab])).exitCode).toBe(0);
    expect(await labelledObjects(lab)).toEqual({ containers: [], networks: [], volumes: [] });
  }, 120_000);

  it('gives up on a daemon that never answers at --timeout, names it, and cleans up', async () => {
    // A node image whose "dockerd" runs but never serves its socket.
    const maker = 'e2e-fake-dind-maker';
    await docker(['rm', '-fv', maker]);
    expect(
      (
        await docker([
          'run',
          '--name',
          maker,
          '--entrypoint',
          'sh',
          ECHO_IMAGE,
          '-c',
          "printf '#!/bin/sh\\nexec sleep 600\\n' > /bin/dockerd && chmod 755 /bin/dockerd",
        ])
      ).exitCode,
    ).toBe(0);
    expect((await docker(['commit', maker, 'swarmlab/fake-dind:e2e'])).exitCode).toBe(0);
    await docker(['rm', '-fv', maker]);
    const up = await swarmlab([
      'up',
      '--dir',
      dir,
      '--name',
      lab,
      '--workers',
      '0',
      '--registry-port',
      '5512',
      '--node-image',
      'swarmlab/fake-dind:e2e',
      '--timeout',
      '5',
    ]);
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toMatch(/^error: up of lab "e2e-fail" failed: timed out after 5 s waiting for dockerd in manager \(last: .+\)$/m);
    expect(up.stderr).toContain('removed what this up created');
    expect(await labelledObjects(lab)).toEqual({ containers: [], networks: [], volumes: [] });
    await docker(['rmi', 'swarmlab/fake-dind:e2e']);
  }, 120_000);

  it('leaves the lab directory holding only what up writes', () => {
    expect(readdirSync(dir).sort()).toEqual(['.swarmlab', 'registry-data', 'stack']);
    for (const text of capturedOutputs) expect(text).not.toContain('SWMTKN');
  });
});
