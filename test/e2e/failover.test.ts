// A lab of three managers survives the loss of one: swarmlab goes on through another manager,
// status shows the new leader and the quorum, up repairs, and up never shrinks a lab by surprise.
// Then the failure drills of swarmlab chaos, each undone by heal.
import { docker, ECHO_IMAGE, freshLab, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

const LAB = 'e2e-failover';
const dir = newLabDir();
const lab = ['--dir', dir];

interface StatusJson {
  up: boolean;
  leader: string | null;
  answeredBy: string | null;
  quorum: { managers: number; reachable: number; quorum: number; canLose: number } | null;
  nodes: { name: string; role: string; state: string; managerStatus: string; containerState: string }[];
}

const status = async () => JSON.parse((await swarmlab(['status', '--json', ...lab])).stdout) as StatusJson;

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE, ECHO_IMAGE]);
  await freshLab(dir, `name: ${LAB}\nmanagers: 3\nworkers: 2\nregistryPort: 5532\nports: []\n`);
}, 180_000);

afterAll(async () => {
  await swarmlab(['down', ...lab]);
}, 60_000);

describe('three managers, the first one killed', () => {
  it('status shows the leader and the quorum', async () => {
    const before = await status();
    expect(before).toMatchObject({ up: true, leader: 'manager', answeredBy: 'manager', quorum: { managers: 3, reachable: 3, quorum: 2, canLose: 1 } });
    expect((await swarmlab(['status', ...lab])).stdout).toContain('Swarm: leader manager; managers 3, quorum 2, can lose 1.');
  }, 60_000);

  it('within 30 s another manager leads, and status, ps and docker go through it', async () => {
    expect((await docker(['kill', `${LAB}-manager`])).exitCode).toBe(0);
    let seen: StatusJson | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      seen = await status();
      // Status answers within seconds now: the new leader may still count manager reachable for a moment.
      if (seen.leader && seen.leader !== 'manager' && seen.quorum?.reachable === 2) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(seen!.leader).toMatch(/^manager0[23]$/);
    // manager02 is asked first; while the election runs it may not answer, and manager03 does.
    expect(seen).toMatchObject({
      up: false,
      answeredBy: expect.stringMatching(/^manager0[23]$/),
      quorum: { managers: 3, reachable: 2, quorum: 2, canLose: 0 },
    });
    expect(seen!.nodes.find((n) => n.name === 'manager')).toMatchObject({ containerState: 'exited', managerStatus: 'Unreachable' });
    const ps = await swarmlab(['ps', ...lab]);
    expect([ps.exitCode, ps.stderr]).toEqual([
      0,
      expect.stringMatching(/^note: manager does not answer for the swarm \(its container is exited\); using manager0[23]$/),
    ]);
    const nodeLs = await swarmlab(['docker', ...lab, 'node', 'ls', '--format', '{{.Hostname}} {{.ManagerStatus}}']);
    expect(nodeLs.exitCode).toBe(0);
    expect(nodeLs.stdout.split('\n').sort()).toEqual(
      [
        'manager Unreachable',
        `${seen!.leader} Leader`,
        `${seen!.leader === 'manager02' ? 'manager03' : 'manager02'} Reachable`,
        'worker01 ',
        'worker02 ',
      ].sort(),
    );
    const other = await swarmlab(['docker', ...lab, '--node', 'manager03', 'info', '--format', '{{.Swarm.ControlAvailable}}']);
    expect(other.stdout).toBe('true');
  }, 90_000);

  it("the lab's docker context says its manager is down; --repoint moves it to one that answers, and the docker CLI works through it", async () => {
    const said = (await swarmlab(['context', ...lab])).stdout.split('\n');
    expect(said[0]).toMatch(new RegExp(`^Docker context swarmlab-${LAB}: tcp://127\\.0\\.0\\.1:\\d+, a manager that is not running now\\.$`));
    expect(said[1]).toMatch(new RegExp(`^manager0[23] answers for the swarm: swarmlab context --name ${LAB} --repoint points the context at it\\.$`));
    const repoint = await swarmlab(['context', '--repoint', ...lab]);
    expect(repoint.stdout.split('\n')[0]).toMatch(new RegExp(`^Docker context swarmlab-${LAB}: tcp://127\\.0\\.0\\.1:\\d+, manager0[23]'s Engine API\\.$`));
    const nodes = await docker(['--context', `swarmlab-${LAB}`, 'node', 'ls', '--format', '{{.Hostname}}']);
    expect(nodes.stdout.split('\n').sort()).toEqual(['manager', 'manager02', 'manager03', 'worker01', 'worker02']);
  }, 60_000);

  it('up repairs it, keeping three managers and two workers', async () => {
    const up = await swarmlab(['up', ...lab]);
    expect([up.exitCode, up.stderr]).toEqual([0, '']);
    expect(up.stdout).toContain('Repaired: started manager (was exited).');
    let after = await status();
    for (let i = 0; i < 30 && !after.up; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      after = await status();
    }
    expect(after).toMatchObject({ up: true, quorum: { managers: 3, reachable: 3, quorum: 2, canLose: 1 } });
    expect(after.nodes.map((n) => n.name)).toEqual(['manager', 'manager02', 'manager03', 'worker01', 'worker02']);
  }, 120_000);

  it('up asked for fewer nodes than the lab has refuses, naming them, and changes nothing', async () => {
    const up = await swarmlab(['up', ...lab, '--workers', '1']);
    expect(up.exitCode).toBe(2);
    expect(up.stderr).toBe(
      `error: --workers: lab "${LAB}" has 2 workers; 1 would remove worker02; fix: ask for 2 (or leave it out: up keeps the lab as it is), or swarmlab down --name ${LAB} and up again with 1`,
    );
    expect((await status()).nodes).toHaveLength(5);
  }, 60_000);
});

describe('no quorum', () => {
  it('says so in one line with both ways out, and docker --node still works on a survivor', async () => {
    expect((await docker(['kill', `${LAB}-manager02`, `${LAB}-manager03`])).exitCode).toBe(0);
    const ps = await swarmlab(['ps', ...lab]);
    expect(ps.exitCode).toBe(1);
    expect(ps.stderr).toMatch(
      new RegExp(
        `^error: lab "${LAB}" has no swarm quorum: no manager answers for the swarm \\(manager: the swarm has no leader \\(too few managers are online\\); .*\\); fix: start the stopped managers again \\(swarmlab start --name ${LAB}\\), or make a surviving manager the whole control plane: swarmlab docker --name ${LAB} --node manager swarm init --force-new-cluster$`,
      ),
    );
    const info = await swarmlab(['docker', ...lab, '--node', 'worker01', 'info', '--format', '{{.Swarm.LocalNodeState}}']);
    expect([info.exitCode, info.stdout]).toEqual([0, 'active']);
    expect((await swarmlab(['start', ...lab])).exitCode).toBe(0);
  }, 120_000);
});

/** Polls status until `done` holds for it, up to 60 s (a bounded wait, not a timing assertion). */
async function statusUntil(done: (s: StatusJson) => boolean): Promise<StatusJson> {
  let seen = await status();
  for (let i = 0; i < 60 && !done(seen); i++) {
    await new Promise((r) => setTimeout(r, 1000));
    seen = await status();
  }
  return seen;
}

const allReady = (s: StatusJson) => s.up && s.nodes.every((n) => n.state === 'Ready');

describe('swarmlab chaos', () => {
  beforeAll(async () => {
    expect((await swarmlab(['chaos', 'heal', ...lab])).exitCode).toBe(0);
    expect(allReady(await statusUntil(allReady))).toBe(true);
    expect((await swarmlab(['push', ECHO_IMAGE, ...lab])).exitCode).toBe(0);
    // Two replicas on the two workers (the scheduler spreads them): one of them on worker01.
    const web = ['service', 'create', '--name', 'web', '--replicas', '2', '--constraint', 'node.role==worker', 'registry:5000/swarmlab/echo:offline'];
    expect((await swarmlab(['docker', ...lab, ...web])).exitCode).toBe(0);
  }, 180_000);

  it('kill-leader: another manager leads; heal brings every node back', async () => {
    const leader = (await status()).leader!;
    const drill = await swarmlab(['chaos', 'kill-leader', ...lab]);
    expect(drill.exitCode).toBe(0);
    expect(drill.stdout.split('\n')[0]).toBe(`chaos kill-leader: killed ${leader}, the leader (its container, as a machine that loses its power).`);
    expect(drill.stdout).toMatch(/^Watch: swarmlab viz: /m);
    const after = await statusUntil((s) => s.leader !== null && s.leader !== leader);
    expect(after.leader).not.toBe(leader);
    expect(after.leader).toMatch(/^manager/);
    // With what it said on stderr: a heal that fails says why there.
    const heal = await swarmlab(['chaos', 'heal', ...lab]);
    expect(heal.exitCode === 0 ? 0 : heal.stderr).toBe(0);
    expect(heal.stdout).toContain(`started ${leader}`);
    expect(allReady(await statusUntil(allReady))).toBe(true);
  }, 120_000);

  it('partition worker01: it goes Down for the others and its replica runs elsewhere; heal reconnects it', async () => {
    const drill = await swarmlab(['chaos', 'partition', 'worker01', ...lab]);
    expect(drill.stdout).toMatch(/^chaos partition: cut worker01 off from the lab network 10\.210\.\d+\.0\/24, both ways/);
    const down = await statusUntil((s) => s.nodes.find((n) => n.name === 'worker01')?.state === 'Down');
    expect(down.nodes.find((n) => n.name === 'worker01')?.state).toBe('Down');
    // worker01's replica starts again on worker02: both run there.
    const runningOn = async () => {
      const ps = JSON.parse((await swarmlab(['ps', 'web', '--json', ...lab])).stdout) as {
        tasks: { node: string; desiredState: string; currentState: string }[];
      };
      return ps.tasks.filter((t) => t.desiredState === 'Running' && t.currentState.startsWith('Running')).map((t) => t.node);
    };
    let nodes = await runningOn();
    for (let i = 0; i < 60 && nodes.join() !== 'worker02,worker02'; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      nodes = await runningOn();
    }
    expect(nodes).toEqual(['worker02', 'worker02']);
    expect((await swarmlab(['chaos', 'heal', 'worker01', ...lab])).stdout).toContain('reconnected worker01');
    expect(allReady(await statusUntil(allReady))).toBe(true);
  }, 180_000);

  it('lose-quorum: changes fail with the quorum message while a node still answers; heal restores it', async () => {
    const drill = await swarmlab(['chaos', 'lose-quorum', ...lab]);
    expect(drill.stdout.split('\n')[0]).toBe('chaos lose-quorum: stopped manager03, manager02: 1 of 3 managers left, under the quorum of 2.');
    const write = await swarmlab(['docker', ...lab, '--node', 'manager', 'service', 'scale', '-d', 'web=3']);
    expect(write.exitCode).not.toBe(0);
    expect(write.stdout + write.stderr).toMatch(/does not have a leader|context deadline exceeded|lost leader status/);
    const read = await swarmlab(['docker', ...lab, '--node', 'worker02', 'ps', '--format', '{{.Names}}']);
    expect(read.exitCode).toBe(0);
    expect((await swarmlab(['chaos', 'heal', ...lab])).stdout).toMatch(
      /started manager0[23], started manager0[23]|started manager02.*started manager03|started manager03.*started manager02/,
    );
    const healed = await statusUntil(allReady);
    expect(healed).toMatchObject({ up: true, quorum: { managers: 3, reachable: 3 } });
  }, 180_000);

  // Right after a heal the managers may still be electing: a note on stderr may come first.
  it('slow says in one line when the kernel has no netem, and refuses a node that is not running', async () => {
    const slow = await swarmlab(['chaos', 'slow', 'worker02', ...lab]);
    if (slow.exitCode === 0) {
      expect(slow.stdout).toContain('delayed every packet leaving worker02 by 200 ms');
    } else {
      expect(slow.stderr).toMatch(
        // The Debian node has tc: a refusal is the kernel's (busybox-node.test.ts covers a node without tc).
        /^error: this host's kernel offers no netem, which a slow link needs \(.*\); fix: load the sch_netem module/m,
      );
    }
    expect((await swarmlab(['chaos', 'pause', 'worker02', ...lab])).exitCode).toBe(0);
    const again = await swarmlab(['chaos', 'partition', 'worker02', ...lab]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr.split('\n').pop()).toBe(
      `error: node worker02 is paused, not running; fix: swarmlab chaos heal worker02 (or swarmlab start --name ${LAB})`,
    );
    expect((await swarmlab(['chaos', 'heal', ...lab])).stdout).toContain('thawed worker02');
    // The other way out that the fix names: start thaws a paused node (the engine will not start one).
    expect((await swarmlab(['chaos', 'pause', 'worker02', ...lab])).exitCode).toBe(0);
    const start = await swarmlab(['start', ...lab]);
    expect(start.exitCode).toBe(0);
    expect((await docker(['inspect', '-f', '{{.State.Status}}', `${LAB}-worker02`])).stdout.trim()).toBe('running');
    expect((await swarmlab(['chaos', 'stop', 'registry', ...lab])).stderr).toMatch(
      /^error: lab "e2e-failover" has no node "registry"; fix: use one of manager, manager02, manager03, worker01, worker02$/m,
    );
  }, 120_000);
});
