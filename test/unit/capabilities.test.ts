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
