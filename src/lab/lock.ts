// Locks between swarmlab processes on this machine: one `up` (or start) of a lab at a time
// (two at once would make two swarms), and one machine-wide lock for choosing host ports and
// subnets (see allocations.ts). A lock is a file in the system's temp folder holding the
// owner's pid and start time; a lock whose owner is gone (killed hard) is taken over.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type EngineEndpoint, engineKey } from '../engine/endpoint.js';
import { LabError } from '../errors.js';

export const LOCKS_DIR = path.join(os.tmpdir(), 'swarmlab-locks');

/** When the kernel started process `pid` (clock ticks since boot), where /proc tells it. */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; counted after the command name, which is in parentheses and may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** This process as lock files name it. */
export const SELF = { pid: process.pid, started: startTimeOf(process.pid) };

/**
 * Whether the process that wrote a lock or a claim still runs. A pid alone is not enough: once
 * its process is gone the pid is handed out again, and every process of every dind node shares
 * the host's pid space (a bench once found its lab "being brought up" by a node's dockerd).
 * So the start time, where known, must match too.
 */
export function alive(pid: number, started?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (started === undefined) return true;
  const now = startTimeOf(pid);
  return now === undefined || now === started;
}

/** Per lab and per engine: two engines may each have a lab of one name, and never cross. */
export function lockFileOf(lab: string, endpoint: EngineEndpoint): string {
  return path.join(LOCKS_DIR, `${lab}@${engineKey(endpoint)}.lock`);
}

/** Takes the lock in `file`: its release function, or the pid of the live process holding it. */
function tryLock(file: string): { release: () => void } | { owner: number } {
  mkdirSync(path.dirname(file), { recursive: true });
  // The pid is written to a file of our own, then linked to the lock's name in one step. A lock
  // created empty and written after (flag 'wx') was, for a moment, a lock with no owner, which
  // a second up started at the same instant took over: two ups, two swarms.
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, [SELF.pid, SELF.started ?? ''].join(' ').trim());
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(mine, file);
        return { release: () => rmSync(file, { force: true }) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = ownerOf(file);
      if (owner && alive(owner.pid, owner.started)) return { owner: owner.pid };
      // Its owner is gone (killed hard) or has just released it: take it over.
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(mine, { force: true });
  }
  throw new LabError(`cannot take the lock ${file}`, { fix: `remove it if no swarmlab is running` });
}

/** Takes the lock of the lab on that engine or throws; returns the release function. */
export function lockLab(lab: string, endpoint: EngineEndpoint): () => void {
  const taken = tryLock(lockFileOf(lab, endpoint));
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

/** The pid and start time a lock file holds (a lock of an earlier swarmlab holds the pid only). */
function ownerOf(file: string): { pid: number; started?: string } | undefined {
  try {
    const [pid, started] = readFileSync(file, 'utf8').trim().split(' ');
    return Number(pid) ? { pid: Number(pid), started: started || undefined } : undefined;
  } catch {
    return undefined;
  }
}
