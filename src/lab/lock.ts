// One `up` (or start) of a lab at a time: two at once would make two swarms. The lock is a
// file per lab name in the system's temp folder, holding the owner's pid; a lock whose owner
// is gone (killed hard) is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabError } from '../errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockFileOf(lab: string): string {
  return path.join(os.tmpdir(), 'swarmlab-locks', `${lab}.lock`);
}

/** Takes the lab's lock or throws; returns the release function. */
export function lockLab(lab: string): () => void {
  const file = lockFileOf(lab);
  mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (owner && alive(owner)) {
        throw new LabError(`another swarmlab is bringing lab "${lab}" up (pid ${owner}); fix: wait for it to finish, then run swarmlab status --name ${lab}`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new LabError(`cannot take the lock ${file}; fix: remove it if no swarmlab is running`);
}
