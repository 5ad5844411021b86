// The class's logins: one random secret for the instructor and one per student, kept in
// .swarmlab/class-logins.json (0600, never in class.yaml, which is meant to be read and shared).
// The cards are the one place a secret is shown; nothing here prints one.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { LabError, SpecError } from '../errors.js';
import { privateDir, STATE_DIR, writeFileAtomic } from '../lab/private-files.js';

export interface Logins {
  instructor: string;
  students: Record<string, string>;
}

export type Principal = { role: 'instructor' } | { role: 'student'; id: string };

export const LOGINS_FILE = path.join(STATE_DIR, 'class-logins.json');

/** 24 random bytes: 192 bits, 32 characters of base64url, safe in a URL and a cookie as they are. */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

const isSecret = (value: unknown): value is string => typeof value === 'string' && /^[A-Za-z0-9_-]{16,}$/.test(value);

export async function readLogins(classDir: string): Promise<Logins | undefined> {
  const file = path.join(path.resolve(classDir), LOGINS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LabError(`cannot read ${file}: ${(err as Error).message}`, { fix: 'run swarmlab as the user who made the class' });
  }
  let raw: { instructor?: unknown; students?: unknown } | null = null;
  try {
    raw = JSON.parse(text);
  } catch {
    // Reported below, as any other shape that is not a logins file.
  }
  const students = raw?.students;
  if (!raw || !isSecret(raw.instructor) || !students || typeof students !== 'object' || !Object.values(students as Record<string, unknown>).every(isSecret))
    throw new LabError(`${file} is not a logins file`, { fix: `remove it, then swarmlab class web --rotate (every card must be printed again)` });
  return { instructor: raw.instructor, students: { ...(students as Record<string, string>) } };
}

async function writeLogins(classDir: string, logins: Logins): Promise<void> {
  await privateDir(classDir);
  const ordered = { instructor: logins.instructor, students: Object.fromEntries(Object.entries(logins.students).sort(([a], [b]) => a.localeCompare(b))) };
  await writeFileAtomic(path.join(path.resolve(classDir), LOGINS_FILE), `${JSON.stringify(ordered, null, 2)}\n`, 0o600);
}

/**
 * The class's logins, the missing ones made (the instructor's, a new student's) and those of
 * students no longer in the class dropped; the others stay, so printed cards keep working
 * across `class down` and `class up`. Written only when something changed.
 */
export async function ensureLogins(classDir: string, studentIds: string[]): Promise<Logins> {
  const existing = await readLogins(classDir);
  const next: Logins = {
    instructor: existing?.instructor ?? newSecret(),
    students: Object.fromEntries(studentIds.map((id) => [id, existing?.students[id] ?? newSecret()])),
  };
  const same =
    existing !== undefined &&
    existing.instructor === next.instructor &&
    Object.keys(existing.students).length === studentIds.length &&
    studentIds.every((id) => existing.students[id] === next.students[id]);
  if (!same) await writeLogins(classDir, next);
  return next;
}

/** New secrets for the students named (or every login, the instructor's too): their old links stop working. */
export async function rotateLogins(classDir: string, which: string[] | 'all'): Promise<Logins> {
  const existing = (await readLogins(classDir)) ?? { instructor: newSecret(), students: {} };
  const renewed = which === 'all' ? Object.keys(existing.students) : which;
  const next: Logins = {
    instructor: which === 'all' ? newSecret() : existing.instructor,
    students: { ...existing.students, ...Object.fromEntries(renewed.map((id) => [id, newSecret()])) },
  };
  await writeLogins(classDir, next);
  return next;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whose login `secret` is. Digests are compared, not the strings: timingSafeEqual needs equal
 * lengths, and a digest's time says nothing about how much of a secret was right. Every login
 * is compared, so the time does not tell which one matched either.
 */
export function principalOf(logins: Logins, secret: string): Principal | undefined {
  if (secret === '') return undefined;
  const given = digest(secret);
  let found: Principal | undefined;
  const candidates: [Principal, string][] = [
    [{ role: 'instructor' }, logins.instructor],
    ...Object.entries(logins.students).map(([id, s]): [Principal, string] => [{ role: 'student', id }, s]),
  ];
  for (const [principal, known] of candidates) {
    if (known !== '' && timingSafeEqual(given, digest(known)) && !found) found = principal;
  }
  return found;
}

/**
 * `class web --rotate` (`typed` true) or `--rotate s02[,s03]`: the logins renewed, and the line
 * to print (never a secret). A student is named as class exec takes one (s2, S02, 2).
 */
export async function rotateFor(classDir: string, typed: string | true): Promise<string> {
  // Loaded here: the server loads this module too, and needs none of the CLI's class commands.
  const [{ requireClass }, { planClass }, { chooseStudents }] = await Promise.all([
    import('../class/roster.js'),
    import('../class/plan.js'),
    import('../class/choose-students.js'),
  ]);
  const students = planClass(await requireClass(classDir));
  const chosen = typed === true ? students : chooseStudents(students, typed, '--rotate');
  await ensureLogins(
    classDir,
    students.map((s) => s.id),
  );
  if (typed === true) {
    await rotateLogins(classDir, 'all');
    return `renewed every login (the instructor's and ${students[0]!.id}..${students.at(-1)!.id}); the old links no longer work: print the cards again with swarmlab class cards`;
  }
  const ids = chosen.map((s) => s.id);
  if (ids.length === 0)
    throw new SpecError([{ field: '--rotate', problem: 'names no student', fix: `e.g. --rotate ${students[0]!.id}, or --rotate alone for every login` }]);
  await rotateLogins(classDir, ids);
  return ids.length === 1
    ? `renewed the login of ${ids[0]}; its old link no longer works: print its card again with swarmlab class cards --students ${ids[0]}`
    : `renewed the logins of ${ids.join(', ')}; their old links no longer work: print their cards again with swarmlab class cards --students ${ids.join(',')}`;
}

/** `class down --purge`: the logins go with the rest; the next `class up` makes new ones. Whether there were any. */
export async function removeLogins(classDir: string): Promise<boolean> {
  const file = path.join(path.resolve(classDir), LOGINS_FILE);
  const existed = await stat(file).then(
    () => true,
    () => false,
  );
  await rm(file, { force: true });
  return existed;
}
