// The class's logins: kept private (0600 in a 0700 directory), made once and kept, renewed on
// demand, and matched to whoever holds one.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeClass } from '../../src/class/roster.js';
import { SpecError } from '../../src/errors.js';
import { ensureLogins, LOGINS_FILE, principalOf, readLogins, removeLogins, rotateFor, rotateLogins } from '../../src/web/logins.js';

const classDir = () => mkdtempSync(path.join(tmpdir(), 'swarmlab-logins-'));
const mode = (file: string) => statSync(file).mode & 0o777;

describe('the class logins file', () => {
  it('is made 0600 in a .swarmlab/ made 0700, and holds a base64url secret of 24 bytes for each', async () => {
    const dir = classDir();
    const logins = await ensureLogins(dir, ['s01', 's02']);
    expect(mode(path.join(dir, '.swarmlab'))).toBe(0o700);
    expect(mode(path.join(dir, LOGINS_FILE))).toBe(0o600);
    for (const secret of [logins.instructor, ...Object.values(logins.students)]) {
      expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(24);
    }
    expect(new Set([logins.instructor, ...Object.values(logins.students)]).size).toBe(3);
    expect(await readLogins(dir)).toEqual(logins);
  });

  it('leaves a .swarmlab/ that exists as it is, and still writes the file 0600', async () => {
    const dir = classDir();
    await mkdir(path.join(dir, '.swarmlab'), { mode: 0o755 });
    await ensureLogins(dir, ['s01']);
    expect(mode(path.join(dir, '.swarmlab'))).toBe(0o755);
    expect(mode(path.join(dir, LOGINS_FILE))).toBe(0o600);
  });

  it('keeps the logins that exist, adds the missing and drops students no longer in the class', async () => {
    const dir = classDir();
    const first = await ensureLogins(dir, ['s01', 's02', 's03']);
    const second = await ensureLogins(dir, ['s01', 's02', 's04']);
    expect(second.instructor).toBe(first.instructor);
    expect(second.students.s01).toBe(first.students.s01);
    expect(second.students.s02).toBe(first.students.s02);
    expect(second.students.s04).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(Object.keys(second.students)).toEqual(['s01', 's02', 's04']);
    expect(await readLogins(dir)).toEqual(second);
  });

  it('is not there before a class has logins, and a broken one is said in one line with the fix', async () => {
    const dir = classDir();
    expect(await readLogins(dir)).toBeUndefined();
    await mkdir(path.join(dir, '.swarmlab'));
    writeFileSync(path.join(dir, LOGINS_FILE), '{"instructor": 1}');
    await expect(readLogins(dir)).rejects.toThrow(/is not a logins file; fix: remove it, then swarmlab class web --rotate/);
  });

  it('renews one student, or every login with the instructor', async () => {
    const dir = classDir();
    const before = await ensureLogins(dir, ['s01', 's02']);
    const one = await rotateLogins(dir, ['s02']);
    expect(one.instructor).toBe(before.instructor);
    expect(one.students.s01).toBe(before.students.s01);
    expect(one.students.s02).not.toBe(before.students.s02);
    const all = await rotateLogins(dir, 'all');
    expect(all.instructor).not.toBe(one.instructor);
    expect(all.students.s01).not.toBe(one.students.s01);
    expect(all.students.s02).not.toBe(one.students.s02);
    expect(await readLogins(dir)).toEqual(all);
    expect(mode(path.join(dir, LOGINS_FILE))).toBe(0o600);
  });

  it('is removed by class down --purge', async () => {
    const dir = classDir();
    await ensureLogins(dir, ['s01']);
    expect(await removeLogins(dir)).toBe(true);
    expect(await readLogins(dir)).toBeUndefined();
    expect(await removeLogins(dir)).toBe(false);
  });
});

describe('whose login a secret is', () => {
  const logins = { instructor: 'i'.repeat(32), students: { s01: 'a'.repeat(32), s02: 'b'.repeat(32) } };

  it('knows the instructor and each student by their own secret', () => {
    expect(principalOf(logins, 'i'.repeat(32))).toEqual({ role: 'instructor' });
    expect(principalOf(logins, 'b'.repeat(32))).toEqual({ role: 'student', id: 's02' });
  });

  it('knows no one by a wrong, shorter, longer or empty secret', () => {
    expect(principalOf(logins, 'c'.repeat(32))).toBeUndefined();
    expect(principalOf(logins, 'a'.repeat(31))).toBeUndefined();
    expect(principalOf(logins, 'a'.repeat(33))).toBeUndefined();
    expect(principalOf(logins, '')).toBeUndefined();
    expect(principalOf({ instructor: '', students: {} }, '')).toBeUndefined();
  });

  it('no longer knows a student by the secret renewed away', async () => {
    const dir = classDir();
    const before = await ensureLogins(dir, ['s01']);
    const after = await rotateLogins(dir, ['s01']);
    expect(principalOf(after, before.students.s01!)).toBeUndefined();
    expect(principalOf(after, after.students.s01!)).toEqual({ role: 'student', id: 's01' });
  });
});

describe('class web --rotate', () => {
  const spec = { prefix: 'hc', students: 3, managers: 1, workers: 0, basePort: 31000, engines: ['default'], placement: {} };

  async function aClass(): Promise<string> {
    const dir = classDir();
    await writeClass(dir, spec);
    return dir;
  }

  it('renews the student named as class exec takes one, and says so without the secret', async () => {
    const dir = await aClass();
    const before = await ensureLogins(dir, ['s01', 's02', 's03']);
    const said = await rotateFor(dir, 'S2');
    expect(said).toBe('renewed the login of s02; its old link no longer works: print its card again with swarmlab class cards --students s02');
    const after = (await readLogins(dir))!;
    expect(after.students.s02).not.toBe(before.students.s02);
    expect(after.students.s01).toBe(before.students.s01);
    expect(said).not.toContain(after.students.s02);
  });

  it("renews every login, the instructor's too, when no student is named", async () => {
    const dir = await aClass();
    const before = await ensureLogins(dir, ['s01', 's02', 's03']);
    expect(await rotateFor(dir, true)).toMatch(/^renewed every login \(the instructor's and s01\.\.s03\)/);
    const after = (await readLogins(dir))!;
    expect(after.instructor).not.toBe(before.instructor);
    expect(after.students.s03).not.toBe(before.students.s03);
  });

  it('refuses a student the class does not have, in one line naming the range', async () => {
    const dir = await aClass();
    const refused = await rotateFor(dir, 's99').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SpecError);
    expect((refused as Error).message).toBe('--rotate: no student s99 in this class; fix: use s01..s03');
  });

  it('makes the logins first in a class made before logins existed', async () => {
    const dir = await aClass();
    await rotateFor(dir, 's01');
    expect(Object.keys((await readLogins(dir))!.students)).toEqual(['s01', 's02', 's03']);
    expect(readFileSync(path.join(dir, 'class.yaml'), 'utf8')).not.toContain('instructor');
  });
});
