// `up` planned once, from the spec and the facts: counts kept, ports assigned, the subnet
// chosen, objects that are not ours refused, and what a repair changes.
import type { ContainerInfo, NamedObject } from '../../src/engine/engine.js';
import { withStoppedLabsPorts } from '../../src/lab/stopped-ports.js';
import { planUp, type SpecChoices, type UpFacts, type UpPlan, type UpPlanResult } from '../../src/lab/up-plan.js';
import { defaultSpec } from '../../src/spec/defaults.js';
import type { LabSpec } from '../../src/spec/types.js';
import { FakeEngine } from './fake-engine.js';

const LAB = 'demo';
const labels = (node: string, role = node === 'registry' ? 'registry' : node.startsWith('manager') ? 'manager' : 'worker') => ({
  'dev.swarmlab.lab': LAB,
  'dev.swarmlab.node': node,
  'dev.swarmlab.role': role,
});
const container = (name: string, extra: Partial<ContainerInfo> = {}): ContainerInfo => ({
  id: `id-${name}`,
  name,
  state: 'running',
  image: 'docker:dind',
  labels: {},
  ports: [],
  ...extra,
});
const labNode = (node: string, state = 'running', ports: ContainerInfo['ports'] = []) => container(`${LAB}-${node}`, { labels: labels(node), state, ports });
const volume = (name: string, nodeLabels: Record<string, string> = {}): NamedObject => ({ id: name, name, labels: nodeLabels });

function facts(over: Partial<UpFacts> = {}): UpFacts {
  return {
    engine: {
      id: 'e',
      systemTime: new Date(0),
      serverVersion: '28.0',
      cgroupVersion: '2',
      memTotal: 0,
      dockerRootDir: '/var/lib/docker',
      runtimes: ['runc'],
      architecture: 'x86_64',
      operatingSystem: 'Debian',
    },
    containers: [],
    networks: [],
    volumes: [],
    routes: [],
    claims: [],
    boundPorts: new Set(),
    ...over,
  };
}

const spec = (over: Partial<LabSpec> = {}): LabSpec => ({ ...defaultSpec({}), name: LAB, ...over });
const choices = (chosen: (keyof LabSpec)[] = [], byFlag = false, mode?: SpecChoices['mode']): SpecChoices => ({
  chosen: new Set(chosen),
  nameOf: (field) => (byFlag ? `--${field}` : `swarmlab.yaml: ${field}`),
  mode,
});

function planOf(result: UpPlanResult): UpPlan {
  if (!('plan' in result)) throw new Error(`no plan: ${JSON.stringify(result)}`);
  return result.plan;
}

describe('the plan of a new lab', () => {
  const plan = planOf(planUp(spec(), facts(), choices()));

  it('takes the first free /24, the default ports, and claims them', () => {
    expect(plan.topology.subnet).toBe('10.210.1.0/24');
    expect(plan.topology.nodes.map((n) => n.name)).toEqual(['manager', 'worker01', 'worker02', 'worker03']);
    expect(plan.claim).toEqual({ subnet: '10.210.1.0/24', bindAddress: '127.0.0.1', ports: [5000, 2376, 8000, 9000] });
    expect(plan.notes).toEqual([]);
  });

  it('makes every node volume and changes nothing it did not make', () => {
    expect(plan.newVolumes).toEqual(['demo-manager-data', 'demo-worker01-data', 'demo-worker02-data', 'demo-worker03-data']);
    expect(plan.containerChanges).toEqual([]);
    expect(plan.before.containers).toEqual([]);
  });
});

describe('the subnet', () => {
  it('avoids engine networks, other ups in progress and host routes', () => {
    const plan = planOf(
      planUp(
        spec(),
        facts({
          networks: [{ id: 'n', name: 'other', labels: {}, subnets: ['10.210.1.0/24'] }],
          claims: [{ lab: 'b', subnet: '10.210.2.0/24', bindAddress: '127.0.0.1', ports: [] }],
          routes: ['10.210.3.0/24'],
        }),
        choices(),
      ),
    );
    expect(plan.topology.subnet).toBe('10.210.4.0/24');
    expect(plan.topology.nodes[0]?.address).toBe('10.210.4.10');
  });

  it("keeps the lab's own network's subnet for life", () => {
    const own = { id: 'n', name: `${LAB}-net`, labels: { 'dev.swarmlab.lab': LAB }, subnets: ['10.210.9.0/24'] };
    expect(planOf(planUp(spec(), facts({ networks: [own] }), choices())).topology.subnet).toBe('10.210.9.0/24');
  });
});

describe('host ports', () => {
  it('moves a taken default and says who holds it: a container, another up, another program', () => {
    const plan = planOf(
      planUp(
        spec(),
        facts({
          containers: [container('web', { ports: [{ containerPort: 80, hostIp: '0.0.0.0', hostPort: 5000 }] })],
          claims: [{ lab: 'b', subnet: '10.210.2.0/24', bindAddress: '127.0.0.1', ports: [8000] }],
          boundPorts: new Set([9000, 9001]),
        }),
        choices(),
      ),
    );
    expect(plan.spec.registryPort).toBe(5001);
    expect(plan.spec.ports.map((p) => p.host)).toEqual([8001, 9002]);
    expect(plan.notes).toEqual([
      'port moved: registry on 127.0.0.1:5001 (5000 is in use by container web)',
      'port moved: manager port 80 on 127.0.0.1:8001 (8000 is in use by lab b (being brought up))',
      'port moved: manager port 9000 on 127.0.0.1:9002 (9000 is in use by another program)',
    ]);
  });

  it('refuses a port the user chose that is taken, naming the field', () => {
    const result = planUp(spec({ registryPort: 6000 }), facts({ boundPorts: new Set([6000]) }), choices(['registryPort'], true));
    expect(result).toEqual({
      problems: [expect.objectContaining({ field: '--registryPort', problem: 'host port 6000 on 127.0.0.1 is in use by another program' })],
    });
  });

  it('keeps the ports an existing lab publishes', () => {
    const registry = container(`${LAB}-registry`, { labels: labels('registry'), ports: [{ containerPort: 5000, hostIp: '127.0.0.1', hostPort: 5003 }] });
    const manager = labNode('manager', 'running', [{ containerPort: 80, hostIp: '127.0.0.1', hostPort: 8004 }]);
    const plan = planOf(planUp(spec({ workers: 0 }), facts({ containers: [registry, manager], boundPorts: new Set([5003, 8004]) }), choices()));
    expect([plan.spec.registryPort, plan.spec.ports[0]?.host]).toEqual([5003, 8004]);
    expect(plan.notes).toEqual([]);
  });

  it('warns when the ports reach beyond this machine', () => {
    expect(planOf(planUp(spec({ bindAddress: '0.0.0.0' }), facts(), choices())).notes).toEqual([expect.stringMatching(/^warning: ports bind to 0.0.0.0/)]);
  });
});

describe("another lab's stopped node", () => {
  it('keeps the host ports it takes back when it starts: read from its bindings, since the engine lists none', async () => {
    const api = { containerPort: 2376, hostIp: '127.0.0.1', hostPort: 2376 };
    const engine = new FakeEngine()
      .addContainer('other-manager', { state: 'exited', labels: { 'dev.swarmlab.lab': 'other' }, ports: [api] })
      .addContainer('mine-manager', { state: 'exited', labels: { 'dev.swarmlab.lab': 'mine' }, ports: [api] })
      .addContainer('someones', { state: 'exited', ports: [api] });
    // As the engine lists them: a stopped container with no ports.
    const listed = (await engine.listContainers({})).map((c) => ({ ...c, ports: [] }));
    const filled = await withStoppedLabsPorts(engine, listed, 'mine');
    expect(filled.map((c) => [c.name, c.ports])).toEqual([
      ['other-manager', [api]],
      ['mine-manager', []],
      ['someones', []],
    ]);
  });
});

describe('a lab that exists', () => {
  const existing = [container(`${LAB}-registry`, { labels: labels('registry') }), labNode('manager'), labNode('worker01', 'exited')];

  it("keeps its node counts over the file's, and says so", () => {
    const plan = planOf(planUp(spec({ workers: 3 }), facts({ containers: existing }), choices(['workers'])));
    expect(plan.spec.workers).toBe(1);
    expect(plan.notes).toEqual(['swarmlab.yaml: workers is 3; lab "demo" has 1 workers: kept as it is (--workers changes it)']);
    expect(plan.containerChanges).toEqual(['started worker01 (was exited)']);
  });

  it('grows by flag, and counts a node whose container is gone but whose data is kept', () => {
    const volumes = [volume(`${LAB}-worker02-data`, labels('worker02'))];
    const plan = planOf(planUp(spec({ workers: 3 }), facts({ containers: existing, volumes }), choices(['workers'], true)));
    expect(plan.containerChanges).toEqual(['started worker01 (was exited)', 'recreated worker02', 'added worker03']);
    expect(plan.newVolumes).toEqual(['demo-manager-data', 'demo-worker01-data', 'demo-worker03-data']);
  });

  it('refuses to shrink by flag (the nodes beyond would be removed)', () => {
    const result = planUp(spec({ workers: 0 }), facts({ containers: existing }), choices(['workers'], true));
    expect(result).toEqual({ problems: [expect.objectContaining({ field: '--workers', problem: 'lab "demo" has 1 workers; 0 would remove worker01' })] });
  });

  it('is made anew as the spec says when only its volumes are left', () => {
    const volumes = [volume(`${LAB}-worker07-data`, labels('worker07'))];
    const plan = planOf(planUp(spec({ workers: 2 }), facts({ volumes }), choices()));
    expect(plan.spec.workers).toBe(2);
    expect(plan.containerChanges).toEqual([]);
  });
});

describe('refusals before anything is made', () => {
  it('an object named as ours without our label', () => {
    const result = planUp(spec(), facts({ volumes: [volume(`${LAB}-worker01-data`)] }), choices());
    expect('error' in result && result.error.message).toBe(
      'volume demo-worker01-data already exists without the label dev.swarmlab.lab=demo, so swarmlab did not make it and will not touch it; fix: remove or rename it, or choose another lab name with --name',
    );
  });

  it('a runtime the engine lacks, and --mode beside a runtime', () => {
    const runtime = (runtimes: string[], mode?: SpecChoices['mode']) =>
      planUp(spec({ runtime: 'sysbox-runc' }), facts({ engine: { ...facts().engine, runtimes } }), choices(['runtime'], true, mode));
    expect(runtime(['runc'])).toEqual({
      problems: [expect.objectContaining({ field: '--runtime', problem: expect.stringMatching(/^this engine has no runtime sysbox-runc/) })],
    });
    expect('plan' in runtime(['runc', 'sysbox-runc'])).toBe(true);
    expect(runtime(['runc', 'sysbox-runc'], 'privileged')).toEqual({ problems: [expect.objectContaining({ field: '--mode' })] });
  });

  it('no free subnet left', () => {
    const networks = Array.from({ length: 254 }, (_, i) => ({ id: `n${i}`, name: `n${i}`, labels: {}, subnets: [`10.210.${i + 1}.0/24`] }));
    const result = planUp(spec(), facts({ networks }), choices());
    expect('error' in result && result.error.message).toMatch(/^no free \/24 left in 10.210.0.0\/16 on this engine; fix: /);
  });
});
