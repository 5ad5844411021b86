// A class's block of host ports against the labs already on its engine: the clashes, the one
// line that says them, and the next free block it suggests.
import type { ClassSpec } from '../../src/class/plan.js';
import { planClass } from '../../src/class/plan.js';
import { nextFreeBasePort, portBlockProblem, portClashes, takenPorts } from '../../src/class/port-block.js';
import type { ContainerInfo } from '../../src/engine/engine.js';

const spec: ClassSpec = { prefix: 'hgb', students: 2, managers: 1, workers: 0, basePort: 33000, engines: ['default'], placement: {} };

function container(name: string, lab: string | undefined, ports: number[], hostIp = '127.0.0.1'): ContainerInfo {
  return {
    id: name,
    name,
    state: 'running',
    image: 'x',
    labels: lab ? { 'dev.swarmlab.lab': lab } : {},
    ports: ports.map((p) => ({ containerPort: 1, hostIp, hostPort: p })),
  };
}

/** The labs `class up --prefix hga --base-port 33000 --students 2` makes. */
const otherClass = [
  container('hga-s01-registry', 'hga-s01', [33010]),
  container('hga-s01-manager', 'hga-s01', [33011, 33012]),
  container('hga-s02-registry', 'hga-s02', [33020]),
  container('hga-s02-manager', 'hga-s02', [33021, 33022]),
];

describe("a class's port block", () => {
  it("finds every port another class's labs hold, and none of the student's own lab", () => {
    const clashes = portClashes(planClass(spec), new Map([['default', otherClass]]));
    expect(clashes).toHaveLength(6);
    expect(clashes[0]).toEqual({ student: 's01', port: 33010, holder: 'hga-s01' });
    // The same labs, on a repeat class up of that class, are its own.
    expect(portClashes(planClass({ ...spec, prefix: 'hga' }), new Map([['default', otherClass]]))).toEqual([]);
  });

  it('counts ports on 0.0.0.0 too, not those on another address, and only on the engine the student is on', () => {
    expect(takenPorts([container('a', undefined, [1], '0.0.0.0'), container('b', undefined, [2], '10.0.0.5')])).toEqual(new Map([[1, 'container a']]));
    expect(portClashes(planClass(spec), new Map([['other', otherClass]]))).toEqual([]);
  });

  it('says it once: the ports, the labs of that class, and --base-port with a free block', () => {
    const clashes = portClashes(planClass(spec), new Map([['default', otherClass]]));
    const taken = new Set(takenPorts(otherClass).keys());
    expect(portBlockProblem(spec, clashes, nextFreeBasePort(spec, taken))).toEqual({
      field: '--base-port',
      problem: "6 ports (33010..33022) of this class's block (base 33000; students s01, s02) are taken by the labs hga-s01, hga-s02 of class hga",
      fix: 'pick a free block, e.g. --base-port 33100, or take those labs down first (swarmlab class down in their class directory)',
    });
  });

  it('names a container that is no lab as it is, and suggests no block when none fits', () => {
    const one = portClashes(planClass(spec), new Map([['default', [container('web', undefined, [33021])]]]));
    const problem = portBlockProblem(spec, one, undefined);
    expect(problem.problem).toBe("port 33021 of this class's block (base 33000; students s02) is taken by container web");
    expect(problem.fix).toBe('pick another --base-port, or stop those containers');
  });

  it('suggests the first round hundred above whose whole block is free', () => {
    expect(nextFreeBasePort(spec, new Set([33010]))).toBe(33100);
    expect(nextFreeBasePort(spec, new Set([33110, 33222]))).toBe(33300);
    expect(nextFreeBasePort({ ...spec, basePort: 65400 }, new Set())).toBe(65500);
    expect(nextFreeBasePort({ ...spec, basePort: 65500 }, new Set())).toBeUndefined();
  });
});
