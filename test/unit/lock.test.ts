// Lab locks: a lock names its owner by pid and start time, so a pid handed out again (every
// dind node's processes share the host's pid space) does not keep a dead owner's lock alive.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lockFileOf, lockLab, SELF } from '../../src/lab/lock.js';

const LAB = `unit-lock-${process.pid}`;
const file = lockFileOf(LAB);

beforeEach(() => mkdirSync(path.dirname(file), { recursive: true }));
afterEach(() => rmSync(file, { force: true }));

describe('a lab lock', () => {
  it('knows this process by its start time', () => {
    expect(SELF.started).toMatch(/^\d+$/);
  });

  it('held by a live owner is refused, naming its pid', () => {
    writeFileSync(file, `${SELF.pid} ${SELF.started}`);
    expect(() => lockLab(LAB)).toThrow(`another swarmlab is bringing lab "${LAB}" up (pid ${SELF.pid})`);
  });

  it('whose pid now belongs to another process (another start time) is taken over', () => {
    writeFileSync(file, `${SELF.pid} 1`);
    const release = lockLab(LAB);
    release();
  });

  it('written by an earlier swarmlab (a pid only) still counts while that pid runs', () => {
    writeFileSync(file, String(SELF.pid));
    expect(() => lockLab(LAB)).toThrow('another swarmlab is bringing lab');
  });
});
