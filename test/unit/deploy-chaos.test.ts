// Waiting for a stack to converge, and the chaos drills, against the fake engine: what ends a
// wait (converged, a service the nodes keep refusing, a lost leader, the timeout) and what each
// drill does to which container.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExecResult } from '../../src/engine/engine.js';
import { tarArchive } from '../../src/engine/tar.js';
import { heal, killLeader, loseQuorum, slowLink } from '../../src/lab/chaos.js';
import { inventoryOf } from '../../src/lab/inventory.js';
import type { RunningLab } from '../../src/lab/running-lab.js';
import { backupSwarm, notASwarmBackup, restoreSwarm } from '../../src/lab/swarm-backup.js';
import { waitForConvergence } from '../../src/stacks/deploy.js';
import { FakeClock, FakeEngine } from './fake-engine.js';

const LAB = 'unit';
const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '' });
const labels = (node: string) => ({
  'dev.swarmlab.lab': LAB,
  'dev.swarmlab.node': node,
  'dev.swarmlab.role': node === 'registry' ? 'registry' : node.startsWith('manager') ? 'manager' : 'worker',
});

function labOn(engine: FakeEngine, nodes: string[]): RunningLab {
  for (const node of [...nodes, 'registry']) engine.addContainer(`${LAB}-${node}`, { labels: labels(node) });
  return running(engine);
}

function running(engine: FakeEngine): RunningLab {
  const inventory = inventoryOf(LAB, [...engine.containers.values()]);
  return { inventory, manager: `${LAB}-manager`, managerNode: 'manager', answers: true, refused: [], registryHost: '127.0.0.1:5000', registryHostPort: 5000 };
}

/** `docker service ls` answers, one per call (the last one repeated); `docker service ps` answers `tasks`. */
function stackEngine(serviceLs: ExecResult[], tasks = ''): FakeEngine {
  const engine = new FakeEngine();
  let call = 0;
  engine.onExec((_container, argv) => {
    if (argv.slice(0, 3).join(' ') === 'docker service ls') return serviceLs[Math.min(call++, serviceLs.length - 1)];
    if (argv.slice(0, 3).join(' ') === 'docker service ps') return ok(tasks);
    return undefined;
  });
  return engine;
}

const wait = (engine: FakeEngine, lab: RunningLab, timeoutMs = 60_000) => waitForConvergence(engine, lab, 'web', timeoutMs, () => undefined, new FakeClock());

describe('waiting for a stack to converge', () => {
  it('ends when every service runs all its replicas', async () => {
    const engine = stackEngine([ok('web_api\t0/2\treplicated'), ok('web_api\t1/2\treplicated'), ok('web_api\t2/2\treplicated')]);
    await expect(wait(engine, labOn(engine, ['manager']))).resolves.toEqual([{ name: 'web_api', running: 2, desired: 2 }]);
  });

  it('ends early, with the error, when the nodes refuse a service the same way again and again', async () => {
    const refused = Array.from({ length: 4 }, (_, i) => `web_api.${i + 1}\tworker01\tRunning\tRejected 1 second ago\tNo such image: nope:1\tnope:1`).join('\n');
    const engine = stackEngine([ok('web_api\t0/1\treplicated')], refused);
    await expect(wait(engine, labOn(engine, ['manager']))).rejects.toThrow(
      'stack web: service web_api cannot start: No such image: nope:1 (4 attempts, each the same)',
    );
  });

  it('says a lost leader as such, not as a stack that did not converge', async () => {
    const noLeader = { exitCode: 1, stdout: '', stderr: 'Error response from daemon: rpc error: code = Unknown desc = The swarm does not have a leader.' };
    const engine = stackEngine([ok('web_api\t0/1\treplicated'), noLeader]);
    await expect(wait(engine, labOn(engine, ['manager']))).rejects.toThrow(/^the swarm lost its leader while stack web was converging/);
  });

  it('times out naming what is pending, with the tasks that say why', async () => {
    const pending = 'web_api.1\tworker01\tRunning\tPreparing 3 minutes ago\t\timg';
    const engine = stackEngine([ok('web_api\t0/1\treplicated')], pending);
    engine.onExec((_c, argv) => (argv.includes('label=com.docker.stack.namespace=web') && argv.includes('{{.Name}}') ? ok('web_api') : undefined));
    const failed = wait(engine, labOn(engine, ['manager']), 2000);
    await expect(failed).rejects.toThrow('stack web did not converge within 2 s');
    await failed.catch((err: { detailLines: string[] }) =>
      expect(err.detailLines).toEqual(['service web_api: task web_api.1 on worker01: Preparing 3 minutes ago']),
    );
  });
});

describe('chaos drills', () => {
  const nodeLs = (leader: string) => (_c: string, argv: string[]) =>
    argv.slice(0, 3).join(' ') === 'docker node ls'
      ? ok(['manager', 'manager02', 'manager03'].map((n, i) => `id${i}\t${n}\tReady\tActive\t${n === leader ? 'Leader' : 'Reachable'}`).join('\n'))
      : undefined;

  it("kill-leader kills the leader's container, whichever manager leads", async () => {
    const engine = new FakeEngine().onExec(nodeLs('manager02'));
    const report = await killLeader(engine, labOn(engine, ['manager', 'manager02', 'manager03', 'worker01']), LAB);
    expect(engine.calls.filter((c) => /^(kill|stop|start)Container/.test(c))).toEqual([`killContainer ${LAB}-manager02`]);
    expect(report.did).toBe('killed manager02, the leader (its container, as a machine that loses its power)');
  });

  it('lose-quorum stops a majority of the managers, keeping the first one', async () => {
    const engine = new FakeEngine().onExec(nodeLs('manager'));
    await loseQuorum(engine, labOn(engine, ['manager', 'manager02', 'manager03']), LAB);
    expect(engine.calls.filter((c) => c.startsWith('stopContainer')).sort()).toEqual([`stopContainer ${LAB}-manager02`, `stopContainer ${LAB}-manager03`]);
    expect(engine.containers.get(`${LAB}-manager`)?.state).toBe('running');
  });

  it('heal starts what is stopped and thaws what is paused, and nothing else', async () => {
    const engine = new FakeEngine().onExec(() => ok());
    labOn(engine, ['manager', 'worker01', 'worker02', 'worker03']);
    engine.containers.get(`${LAB}-worker01`)!.state = 'exited';
    engine.containers.get(`${LAB}-worker02`)!.state = 'paused';
    const report = await heal(engine, running(engine), LAB);
    expect(engine.calls.filter((c) => /^(start|unpause|stop|kill)Container/.test(c))).toEqual([
      `startContainer ${LAB}-worker01`,
      `unpauseContainer ${LAB}-worker02`,
    ]);
    expect(report.did).toContain('started worker01');
    expect(report.did).toContain('thawed worker02');
  });
});

describe('chaos slow, on a node image with tc and on one without (docker:dind)', () => {
  const noTc = (_c: string, argv: string[]) =>
    argv.join(' ').includes('tc qdisc replace') ? { exitCode: 3, stdout: 'swarmlab-no-tc\n', stderr: '' } : undefined;

  it("uses the node's own tc, and blames the kernel only when tc ran and the kernel refused", async () => {
    const engine = new FakeEngine().onExec(() => ({ exitCode: 2, stdout: '', stderr: 'Error: Specified qdisc kind is unknown.\n' }));
    await expect(slowLink(engine, labOn(engine, ['manager', 'worker01']), LAB, 'worker01', 100)).rejects.toThrow(
      "this host's kernel offers no netem, which a slow link needs (Error: Specified qdisc kind is unknown.)",
    );
    const working = new FakeEngine().onExec(() => ok());
    const report = await slowLink(working, labOn(working, ['manager', 'worker01']), LAB, 'worker01', 100);
    expect(report.did).toBe('delayed every packet leaving worker01 by 100 ms');
    expect(working.calls.some((c) => c.startsWith('probe'))).toBe(false);
  });

  it('refuses naming the image, not the kernel, when the node has no tc and no --tc-image is given', async () => {
    const engine = new FakeEngine().onExec(noTc);
    labOn(engine, ['manager', 'worker01']);
    engine.containers.get(`${LAB}-worker01`)!.image = 'docker:29.7-dind';
    const error = await slowLink(engine, running(engine), LAB, 'worker01', 100).catch((e: Error) => e);
    expect(String(error)).toContain("worker01's image (docker:29.7-dind) has no tc, which a slow link needs");
    expect(String(error)).not.toContain('kernel');
    expect(engine.calls.some((c) => c.startsWith('probe'))).toBe(false);
  });

  it("runs --tc-image's tc in the node's network namespace, and heal lifts the delay with the same image", async () => {
    const engine = new FakeEngine()
      .onExec(() => ok())
      .onExec(noTc)
      .onExec((_c, argv) => (argv.join(' ').includes('slowed-by') ? ok('slowed-by=tools:1\n') : undefined));
    labOn(engine, ['manager', 'worker01']);
    engine.images.add('tools:1');
    const report = await slowLink(engine, running(engine), LAB, 'worker01', 100, 'tools:1');
    expect(report.did).toBe("delayed every packet leaving worker01 by 100 ms (tc from tools:1, in worker01's network namespace)");
    expect(engine.calls).toContainEqual(expect.stringMatching(new RegExp(`^probe tools:1 container:${LAB}-worker01 .*netem delay 100ms`)));
    const healed = await heal(engine, running(engine), LAB, 'worker01');
    expect(healed.did).toBe("removed worker01's delay");
    expect(engine.calls).toContainEqual(`probe tools:1 container:${LAB}-worker01 tc qdisc del dev eth0 root netem`);
  });

  it('says when --tc-image is missing from the engine or has no tc either, and when the kernel refuses through it', async () => {
    const engine = new FakeEngine().onExec(noTc);
    labOn(engine, ['manager', 'worker01']);
    await expect(slowLink(engine, running(engine), LAB, 'worker01', 100, 'absent:1')).rejects.toThrow('--tc-image absent:1 is not on this engine');
    engine.images.add('busybox:1');
    engine.onProbe = () => ({ exitCode: 3, stdout: 'swarmlab-no-tc\n', stderr: '' });
    await expect(slowLink(engine, running(engine), LAB, 'worker01', 100, 'busybox:1')).rejects.toThrow('--tc-image busybox:1 has no tc either');
    engine.onProbe = () => ({ exitCode: 2, stdout: 'Error: Specified qdisc kind is unknown.\n', stderr: '' });
    await expect(slowLink(engine, running(engine), LAB, 'worker01', 100, 'busybox:1')).rejects.toThrow("this host's kernel offers no netem");
  });
});

describe('a command run in a node', () => {
  it('fails naming the node and what it said, a join token redacted', async () => {
    const { execInNode } = await import('../../src/swarm/exec-in-node.js');
    const engine = new FakeEngine().onExec(() => ({ exitCode: 1, stdout: '', stderr: 'invalid token SWMTKN-1-abcdefghijklmnopqrstuvwxyz0123456789\n' }));
    await expect(execInNode(engine, 'unit-worker01', ['docker', 'swarm', 'join'], { what: 'swarm join', node: 'worker01', stdin: 'x' })).rejects.toThrow(
      'swarm join failed on worker01: invalid token SWMTKN-<redacted>',
    );
    expect(engine.execs[0]?.stdin).toBe('x');
  });
});

describe("a node's swarm directory backed up and restored", () => {
  const backupTar = tarArchive([{ name: 'swarm/state.json', content: Buffer.from('[]') }]);
  const dir = mkdtempSync(path.join(tmpdir(), 'swarmlab-backup-'));
  const file = path.join(dir, 'manager-swarm.tar');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tells a backup of a swarm directory from another file', () => {
    expect(notASwarmBackup(backupTar)).toBeUndefined();
    expect(notASwarmBackup(tarArchive([{ name: 'stack.yml', content: Buffer.from('x') }]))).toBe(
      'is not a backup of a swarm directory (its first entry is stack.yml)',
    );
    expect(notASwarmBackup(Buffer.from('not a tar'))).toBe('is not a tar archive');
  });

  it('stops the node for the copy, writes the file private, and starts the node again', async () => {
    const engine = new FakeEngine();
    const lab = labOn(engine, ['manager', 'manager02', 'manager03']);
    engine.archives.set(`${LAB}-manager:/var/lib/docker/swarm`, backupTar);
    await backupSwarm(engine, lab, LAB, 'manager', file, () => undefined);
    expect(engine.calls).toEqual([`stopContainer ${LAB}-manager`, `readArchive ${LAB}-manager /var/lib/docker/swarm`, `startContainer ${LAB}-manager`]);
    expect(readFileSync(file)).toEqual(backupTar);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('restores only into a node in no swarm, with it stopped, and waits for its daemon', async () => {
    const inSwarm = new FakeEngine().onExec(() => ok('active\n'));
    await expect(restoreSwarm(inSwarm, labOn(inSwarm, ['manager']), LAB, 'manager', file, () => undefined, new FakeClock())).rejects.toMatchObject({
      problem: 'manager is in a swarm (active): a restore writes its /var/lib/docker/swarm, which must be empty',
      fix: 'swarmlab docker --node manager swarm leave --force empties it (manager leaves its swarm), then restore',
    });
    expect(inSwarm.calls.filter((c) => c.startsWith('stopContainer'))).toEqual([]);
    let asked = 0;
    const left = new FakeEngine().onExec(() =>
      ++asked === 1 ? ok('inactive\n') : asked < 4 ? { exitCode: 1, stdout: '', stderr: 'no daemon' } : ok('pending\n'),
    );
    await restoreSwarm(left, labOn(left, ['manager']), LAB, 'manager', file, () => undefined, new FakeClock());
    expect(left.calls.filter((c) => !c.startsWith('exec'))).toEqual([
      `stopContainer ${LAB}-manager`,
      `writeArchive ${LAB}-manager /var/lib/docker`,
      `startContainer ${LAB}-manager`,
    ]);
    expect(left.written.get(`${LAB}-manager:/var/lib/docker`)).toEqual(backupTar);
    expect(asked).toBe(4);
  });

  it('names the FILE field when it is no backup', async () => {
    const engine = new FakeEngine().onExec(() => ok('inactive\n'));
    const lab = labOn(engine, ['manager']);
    await expect(restoreSwarm(engine, lab, LAB, 'manager', path.join(dir, 'none.tar'), () => undefined)).rejects.toThrow(/FILE: .*none\.tar: no such file/);
    writeFileSync(path.join(dir, 'stack.tar'), tarArchive([{ name: 'stack.yml', content: Buffer.from('x') }]));
    await expect(restoreSwarm(engine, lab, LAB, 'manager', path.join(dir, 'stack.tar'), () => undefined)).rejects.toThrow(
      /is not a backup of a swarm directory/,
    );
  });
});
