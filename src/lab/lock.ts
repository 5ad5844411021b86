// Locks between swarmlab processes on this machine: one `up` (or start) of a lab at a time
// (two at once would make two swarms), and one machine-wide lock for choosing host ports and
// subnets (see allocations.ts). A lock is a file in the system's temp folder holding the
// owner's pid; a lock whose owner is gone (killed hard) is taken over.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { currentEndpoint } from '../engine/current-endpoint.js';
import { engineKey } from '../engine/endpoint.js';
import { LabError } from '../errors.js';

export const LOCKS_DIR = path.join(os.tmpdir(), 'swarmlab-locks');

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Per lab and per engine: two engines may each have a lab of one name, and never cross. */
export function lockFileOf(lab: string): string {
  return path.join(LOCKS_DIR, `${lab}@${engineKey(currentEndpoint())}.lock`);
}

/** Takes the lock in `file`: its release function, or the pid of the live process holding it. */
function tryLock(file: string): { release: () => void } | { owner: number } {
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
        return { release: () => rmSync(file, { force: true }) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = ownerOf(file);
      if (owner && alive(owner)) return { owner };
      // Its owner is gone (killed hard) or has just released it: take it over.
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(mine, { force: true });
  }
  throw new LabError(`cannot take the lock ${file}`, { fix: `remove it if no swarmlab is running` });
}

/** Takes the lab's lock or throws; returns the release function. */
export function lockLab(lab: string): () => void {
  const taken = tryLock(lockFileOf(lab));
  if ('owner' in taken) {
    throw new LabError(`another swarmlab is bringing lab "${lab}" up (pid ${taken.owner})`, {
      fix: `wait for it to finish, then run swarmlab status --name ${lab}`,
    });
  }
  return taken.release;
}

/** Waits for the lock in `file` (held only for moments by others); returns the release function. */
export async function waitForLock(file: string, timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const taken = tryLock(file);
    if ('release' in taken) return taken.release;
    if (Date.now() >= deadline)
      throw new LabError(`swarmlab process ${taken.owner} has held ${file} for ${Math.round(timeoutMs / 1000)} s`, { fix: `wait for it, or stop it` });
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
  }
}

function ownerOf(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}
