// What `class up` asks for, from its flags over what class.yaml recorded, and the class server's
// certificate flags: the pure decisions under the class commands.

import { tlsFlagsProblem } from '../../src/class/class-tls.js';
import { classSpecOf, classUpProblems, nodeCutsOf, runtimeOf, runtimeOriginOf } from '../../src/class/class-up-spec.js';
import type { ClassSpec } from '../../src/class/plan.js';

const defaults = { concurrency: 4, timeoutSeconds: 180 };
const recorded: ClassSpec = {
  prefix: 'ws',
  students: 3,
  managers: 1,
  workers: 2,
  basePort: 21000,
  engines: ['default', 'b'],
  placement: { s02: 'b' },
  runtime: 'sysbox-runc',
  nodeCuts: ['swap'],
};

describe('the class class up asks for', () => {
  it('is the defaults the first time, with the student count given', () => {
    expect(classSpecOf({ ...defaults, students: 2 }, undefined, {})).toEqual({
      prefix: 'class',
      students: 2,
      managers: 1,
      workers: 3,
      basePort: 20000,
      engines: ['default'],
      placement: {},
    });
  });

  it('keeps what class.yaml recorded where no flag says otherwise, and the flags win', () => {
    expect(classSpecOf({ ...defaults, workers: 4 }, recorded, {})).toEqual({ ...recorded, workers: 4 });
    expect(classSpecOf({ ...defaults, prefix: 'x', engines: ['c'], mirror: true }, recorded, {})).toMatchObject({ prefix: 'x', engines: ['c'], mirror: true });
  });

  it('takes a changed node image from the environment', () => {
    expect(classSpecOf({ ...defaults, students: 1 }, undefined, { SWARMLAB_NODE_IMAGE: 'docker:27-dind-rootless' })).toMatchObject({
      nodeImage: 'docker:27-dind-rootless',
    });
  });

  it('is refused only for the missing student count when there is no class yet', () => {
    const spec = classSpecOf({ ...defaults, workers: -1 }, undefined, {});
    expect(classUpProblems({ ...defaults, workers: -1 }, undefined, spec).map((p) => p.field)).toEqual(['--students']);
  });

  it('is refused for every bad flag at once', () => {
    const flags = { concurrency: 0, timeoutSeconds: 1.5, students: 2 };
    const problems = classUpProblems(flags, undefined, classSpecOf(flags, undefined, {}));
    expect(problems.map((p) => p.field)).toEqual(['--concurrency', '--timeout']);
    expect(problems[0]!.problem).toBe('must be a whole number of at least 1 (got 0)');
  });
});

describe('the runtime and node cuts of a class', () => {
  it('are the flag, else the recorded; runtime none clears it, node cuts none is no cuts', () => {
    expect(runtimeOf(undefined, 'sysbox-runc')).toEqual({ runtime: 'sysbox-runc' });
    expect(runtimeOf('none', 'sysbox-runc')).toEqual({});
    expect(runtimeOf(undefined, undefined)).toEqual({});
    expect(nodeCutsOf(undefined, ['swap'])).toEqual({ nodeCuts: ['swap'] });
    expect(nodeCutsOf('none', ['swap'])).toEqual({ nodeCuts: [] });
    expect(nodeCutsOf('a, b', undefined)).toEqual({ nodeCuts: ['a', 'b'] });
    expect(nodeCutsOf(undefined, undefined)).toEqual({});
  });

  it('name where the runtime came from, for the refusal of an engine without it', () => {
    expect(runtimeOriginOf({ ...defaults, runtime: 'sysbox-runc' })).toEqual({ field: '--runtime', leaveOut: 'leave out --runtime' });
    expect(runtimeOriginOf(defaults)).toEqual({ field: 'class.yaml: runtime', leaveOut: 'class up --runtime none' });
  });
});

describe("the class server's certificate flags", () => {
  it('refuse a certificate without its key and a key without its certificate', () => {
    expect(tlsFlagsProblem({ selfSigned: false, certFile: 'c.pem' })?.field).toBe('--tls-key');
    expect(tlsFlagsProblem({ selfSigned: false, keyFile: 'k.pem' })?.field).toBe('--tls-cert');
    expect(tlsFlagsProblem({ selfSigned: false, certFile: 'c.pem', keyFile: 'k.pem' })).toBeUndefined();
    expect(tlsFlagsProblem({ selfSigned: true })).toBeUndefined();
  });
});
