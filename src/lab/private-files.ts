// The class's private files (logins, the TLS key, where the server listens), under the class
// directory's .swarmlab/: a directory made 0700 when swarmlab makes it, files written whole.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const STATE_DIR = '.swarmlab';

/**
 * `<classDir>/.swarmlab/<sub>`, made if missing. A directory made here is 0700 (chmod after
 * mkdir: the umask may take bits from mkdir's mode, never add them back); one that exists is
 * left as it is, since other commands keep their logs in it too.
 */
export async function privateDir(classDir: string, ...sub: string[]): Promise<string> {
  const dir = path.join(path.resolve(classDir), STATE_DIR, ...sub);
  const parts = [STATE_DIR, ...sub];
  for (let i = 1; i <= parts.length; i++) {
    const step = path.join(path.resolve(classDir), ...parts.slice(0, i));
    const made = await mkdir(step, { mode: 0o700 }).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') return false;
        throw err;
      },
    );
    if (made) await chmod(step, 0o700);
  }
  return dir;
}

/**
 * Writes `text` to `file` so that a reader sees the old file or the new one, never half of
 * either: a temporary file beside it, its mode set before the rename, so a secret is never
 * readable by others even for a moment.
 */
export async function writeFileAtomic(file: string, text: string, mode: number): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, { mode, flag: 'wx' });
    await chmod(temporary, mode);
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}

/**
 * `mkdir -p`, one level at a time. Node's own recursive mkdir never returns under a path it
 * cannot create in some file systems (measured: Node 20, DOCKER_CONFIG=/proc/x spun at full CPU),
 * so a docker config folder that cannot be written would hang `up` instead of failing.
 */
export async function makeDirectories(dir: string, mode = 0o700): Promise<void> {
  const absolute = path.resolve(dir);
  const levels: string[] = [];
  for (let at = absolute; at !== path.dirname(at); at = path.dirname(at)) levels.unshift(at);
  for (const level of levels) {
    await mkdir(level, { mode }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
}
