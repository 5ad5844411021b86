// A lab of three managers survives the loss of one: swarmlab goes on through another manager,
// status shows the new leader and the quorum, up repairs, and up never shrinks a lab by surprise.
import { docker, freshLab, newLabDir, NODE_IMAGE, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

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
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE]);
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
      if (seen.leader && seen.leader !== 'manager') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(seen!.leader).toMatch(/^manager0[23]$/);
    // manager02 is asked first; while the election runs it may not answer, and manager03 does.
    expect(seen).toMatchObject({ up: false, answeredBy: expect.stringMatching(/^manager0[23]$/), quorum: { managers: 3, reachable: 2, quorum: 2, canLose: 0 } });
    expect(seen!.nodes.find((n) => n.name === 'manager')).toMatchObject({ containerState: 'exited', managerStatus: 'Unreachable' });
    const ps = await swarmlab(['ps', ...lab]);
    expect([ps.exitCode, ps.stderr]).toEqual([0, expect.stringMatching(/^note: manager does not answer for the swarm \(its container is exited\); using manager0[23]$/)]);
    const nodeLs = await swarmlab(['docker', ...lab, 'node', 'ls', '--format', '{{.Hostname}} {{.ManagerStatus}}']);
    expect(nodeLs.exitCode).toBe(0);
    expect(nodeLs.stdout.split('\n').sort()).toEqual(['manager Unreachable', `${seen!.leader} Leader`, `${seen!.leader === 'manager02' ? 'manager03' : 'manager02'} Reachable`, 'worker01 ', 'worker02 '].sort());
    const other = await swarmlab(['docker', ...lab, '--node', 'manager03', 'info', '--format', '{{.Swarm.ControlAvailable}}']);
    expect(other.stdout).toBe('true');
  }, 90_000);

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
    expect(up.stderr).toBe(`error: --workers: lab "${LAB}" has 2 workers; 1 would remove worker02; fix: ask for 2 (or leave it out: up keeps the lab as it is), or swarmlab down --name ${LAB} and up again with 1`);
    expect((await status()).nodes).toHaveLength(5);
  }, 60_000);
});

describe('no quorum', () => {
  it('says so in one line with both ways out, and docker --node still works on a survivor', async () => {
    expect((await docker(['kill', `${LAB}-manager02`, `${LAB}-manager03`])).exitCode).toBe(0);
    const ps = await swarmlab(['ps', ...lab]);
    expect(ps.exitCode).toBe(1);
    expect(ps.stderr).toMatch(
      new RegExp(`^error: lab "${LAB}" has no swarm quorum: no manager answers for the swarm \\(manager: the swarm has no leader \\(too few managers are online\\); .*\\); fix: start the stopped managers again \\(swarmlab start --name ${LAB}\\), or make a surviving manager the whole control plane: swarmlab docker --name ${LAB} --node manager swarm init --force-new-cluster$`),
    );
    const info = await swarmlab(['docker', ...lab, '--node', 'worker01', 'info', '--format', '{{.Swarm.LocalNodeState}}']);
    expect([info.exitCode, info.stdout]).toEqual([0, 'active']);
    expect((await swarmlab(['start', ...lab])).exitCode).toBe(0);
  }, 120_000);
});
