// `class web --rotate`: new logins, so that the old links stop working.
import { rotateFor } from '../web/logins.js';
import { requireClass } from './roster.js';

/** `--rotate` alone renews every login, the instructor's too; `--rotate s02` one student's. Says what it renewed. */
export async function rotateClassLogins(classDir: string, typed: string): Promise<string> {
  await requireClass(classDir);
  return rotateFor(classDir, typed === '' ? true : typed);
}
