// Lab locks: a lock names its owner by pid and start time, so a pid handed out again (every
// dind node's processes share the host's pid space) does not keep a dead owner's lock alive.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SOCKET } from '../../src/engine/endpoint.js';
import { lockFileOf, lockLab, SELF } from '../../src/lab/lock.js';

const LAB = `unit-lock-${process.pid}`;
const ENGINE = { host: DEFAULT_SOCKET, source: 'the default socket' };
const SECOND = { host: 'unix:///var/run/swarmlab-second.sock', source: 'engine second of the class' };
const file = lockFileOf(LAB, ENGINE);

beforeEach(() => mkdirSync(path.dirname(file), { recursive: true }));
afterEach(() => rmSync(file, { force: true }));

describe('a lab lock', () => {
  it('knows this process by its start time', () => {
    expect(SELF.started).toMatch(/^\d+$/);
  });

  it('held by a live owner is refused, naming its pid', () => {
    writeFileSync(file, `${SELF.pid} ${SELF.started}`);
    expect(() => lockLab(LAB, ENGINE)).toThrow(`another swarmlab is bringing lab "${LAB}" up (pid ${SELF.pid})`);
  });

  it('whose pid now belongs to another process (another start time) is taken over', () => {
    writeFileSync(file, `${SELF.pid} 1`);
    const release = lockLab(LAB, ENGINE);
    release();
  });

  it('written by an earlier swarmlab (a pid only) still counts while that pid runs', () => {
    writeFileSync(file, String(SELF.pid));
    expect(() => lockLab(LAB, ENGINE)).toThrow('another swarmlab is bringing lab');
  });

  it('is per engine: a lab of the same name on another engine takes its own', () => {
    expect(path.basename(file)).toBe(`${LAB}@default.lock`);
    expect(lockFileOf(LAB, SECOND)).not.toBe(file);
    // Keyed by the address, not by why it was chosen.
    expect(lockFileOf(LAB, { ...SECOND, source: 'DOCKER_HOST' })).toBe(lockFileOf(LAB, SECOND));
    writeFileSync(file, `${SELF.pid} ${SELF.started}`);
    const release = lockLab(LAB, SECOND);
    release();
  });
});
