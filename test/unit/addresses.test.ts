import { routedSubnets } from '../../src/engine/host-routes.js';
import { claimantOf } from '../../src/lab/allocations.js';
import { chooseSubnet, hostAddress, overlaps } from '../../src/plan/addresses.js';
import { fitSpecToLab, shapeOf } from '../../src/plan/existing-shape.js';
import { planTopology } from '../../src/plan/topology.js';
import { defaultSpec } from '../../src/spec/defaults.js';

describe('lab addresses', () => {
  it('picks the first /24 that overlaps no engine network', () => {
    expect(chooseSubnet(['172.17.0.0/16', 'fd00::/64'])).toBe('10.210.1.0/24');
    expect(chooseSubnet(['10.210.1.0/24', '10.210.2.128/25'])).toBe('10.210.3.0/24');
    expect(chooseSubnet(['10.0.0.0/8'])).toBeUndefined();
  });

  it('tells overlapping ranges', () => {
    expect(overlaps('10.210.1.0/24', '10.210.0.0/16')).toBe(true);
    expect(overlaps('10.210.1.0/24', '10.210.2.0/24')).toBe(false);
  });

  it('gives every container a fixed address: registry .2, managers from .10, workers from .100', () => {
    const topology = planTopology({ ...defaultSpec({}), managers: 3, workers: 50 }, '10.210.7.0/24');
    expect(topology.registry.address).toBe('10.210.7.2');
    expect(topology.nodes.map((n) => n.address).slice(0, 4)).toEqual(['10.210.7.10', '10.210.7.11', '10.210.7.12', '10.210.7.100']);
    expect(topology.nodes.at(-1)!.address).toBe('10.210.7.149');
    expect(hostAddress('10.210.7.0/24', 254)).toBe('10.210.7.254');
  });
});

describe('claims of ups in progress', () => {
  const claims = [{ lab: 'a', pid: 1, subnet: '10.210.1.0/24', bindAddress: '127.0.0.1', ports: [5000, 8000, 9000] }];

  it('name the lab that claimed a port on the same address', () => {
    expect(claimantOf(claims, '127.0.0.1', 8000)).toBe('lab a (being brought up)');
    expect(claimantOf(claims, '0.0.0.0', 5000)).toBe('lab a (being brought up)');
    expect(claimantOf(claims, '127.0.0.1', 8001)).toBeUndefined();
    expect(claimantOf(claims, '192.168.1.5', 8000)).toBeUndefined();
  });

  it('keep their subnet from the next choice', () => {
    expect(chooseSubnet(claims.map((c) => c.subnet))).toBe('10.210.2.0/24');
  });
});

describe('an up of a lab that exists', () => {
  const spec = { ...defaultSpec({}), name: 'fo', managers: 1, workers: 3 };
  const nodes = ['manager', 'manager02', 'manager03', 'worker01', 'worker02'];
  const nameOf = (f: string) => `--${f}`;

  it('keeps the counts the user did not ask for as the lab has them', () => {
    expect(shapeOf(nodes)).toEqual({ managers: 3, workers: 2 });
    expect(fitSpecToLab(spec, new Set(), nameOf, nodes)).toEqual({ spec: { ...spec, managers: 3, workers: 2 }, problems: [], notes: [] });
    const fromFile = fitSpecToLab(spec, new Set(['workers'] as const), (f) => `swarmlab.yaml: ${f}`, nodes);
    expect(fromFile.spec.workers).toBe(2);
    expect(fromFile.notes).toEqual(['swarmlab.yaml: workers is 3; lab "fo" has 2 workers: kept as it is (--workers changes it)']);
  });

  it('grows where asked, and refuses to shrink, naming the nodes it would remove', () => {
    expect(fitSpecToLab({ ...spec, managers: 3, workers: 4 }, new Set(['managers', 'workers'] as const), nameOf, nodes).spec).toMatchObject({
      managers: 3,
      workers: 4,
    });
    const shrink = fitSpecToLab({ ...spec, managers: 1, workers: 1 }, new Set(['managers', 'workers'] as const), nameOf, nodes);
    expect(shrink.problems.map((p) => `${p.field}: ${p.problem}`)).toEqual([
      '--managers: lab "fo" has 3 managers; 1 would remove manager02, manager03',
      '--workers: lab "fo" has 2 workers; 1 would remove worker02',
    ]);
  });
});

describe("the host's routes", () => {
  it('read from /proc/net/route as CIDRs, without the default route', () => {
    const table = [
      'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
      'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0',
      'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
      'br-1\t0001D20A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
    ].join('\n');
    expect(routedSubnets(table)).toEqual(['172.17.0.0/16', '10.210.1.0/24']);
    expect(chooseSubnet(routedSubnets(table))).toBe('10.210.2.0/24');
  });
});
