// One `up` (or start) of a lab at a time: two at once would make two swarms. The lock is a
// file per lab name in the system's temp folder, holding the owner's pid; a lock whose owner
// is gone (killed hard) is taken over.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  // The pid is written to a file of our own, then linked to the lock's name in one step. A lock
  // created empty and written after (flag 'wx') was, for a moment, a lock with no owner, which
  // a second up started at the same instant took over: two ups, two swarms.
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(mine, file);
        return () => rmSync(file, { force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = ownerOf(file);
      if (owner && alive(owner)) {
        throw new LabError(`another swarmlab is bringing lab "${lab}" up (pid ${owner}); fix: wait for it to finish, then run swarmlab status --name ${lab}`);
      }
      // Its owner is gone (killed hard) or has just released it: take it over.
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(mine, { force: true });
  }
  throw new LabError(`cannot take the lock ${file}; fix: remove it if no swarmlab is running`);
}

function ownerOf(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}
