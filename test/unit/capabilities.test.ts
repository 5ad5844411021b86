import { checkCgroup } from '../../src/doctor/checks.js';
import { missingCapabilities } from '../../src/lab/node-security.js';

describe('missingCapabilities', () => {
  it('names the capabilities absent from a bounding set', () => {
    // This sandbox: every capability up to 40 but CAP_SYS_RESOURCE (bit 24).
    expect(missingCapabilities('000001fffeffffff')).toEqual(['SYS_RESOURCE']);
  });

  it('finds none in a full set', () => {
    expect(missingCapabilities('000001ffffffffff')).toEqual([]);
  });
});

describe('doctor on cgroups', () => {
  it('passes privileged nodes and cgroup v1, and warns of v2 without --privileged, with the fix', () => {
    expect(checkCgroup('2', true).status).toBe('pass');
    expect(checkCgroup('1', false)).toMatchObject({ status: 'pass', detail: 'cgroup v1: nodes re-mount every hierarchy read-write (the capabilities mode)' });
    expect(checkCgroup('2', false)).toMatchObject({ status: 'warn', fix: expect.stringContaining('--privileged') });
  });
});
