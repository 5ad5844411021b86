// The class's logins as the server sees them: read again when the file changes, so that
// `class web --rotate` in another terminal takes effect at once without a restart.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { LOGINS_FILE, type Logins, readLogins } from './logins.js';

const RECHECK_MS = 500;

export class LoginStore {
  private logins: Logins | undefined;
  private seen = -1;
  private checkedAt = 0;

  constructor(private readonly classDir: string) {}

  async current(): Promise<Logins | undefined> {
    const now = Date.now();
    if (now - this.checkedAt < RECHECK_MS && this.seen >= 0) return this.logins;
    this.checkedAt = now;
    const mtime = await stat(path.join(path.resolve(this.classDir), LOGINS_FILE)).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    if (mtime !== this.seen) {
      this.logins = await readLogins(this.classDir);
      this.seen = mtime;
    }
    return this.logins;
  }
}
