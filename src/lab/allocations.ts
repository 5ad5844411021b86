// Host ports and lab subnets chosen by `up`s still in progress on this machine. Between choosing
// them and creating its network and containers, an up's choice is visible to no one: measured,
// 4 ups started at the same instant all took the same free subnet and 3 failed ("Pool overlaps
// with other one on this address space"). So choices are made under one machine-wide lock and
// written down as a claim, which others avoid until the up that made it has ended.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { alive, LOCKS_DIR, SELF, waitForLock } from './lock.js';

export interface Claim {
  lab: string;
  pid: number;
  /** The claiming process's start time, so a pid handed out again is not taken for it. */
  started?: string;
  subnet: string;
  bindAddress: string;
  ports: number[];
}

const LEDGER = path.join(LOCKS_DIR, 'allocations.json');
const LOCK = path.join(LOCKS_DIR, 'allocations.lock');
// Choosing takes a few engine calls; a lock held longer than this is a process that hangs.
const LOCK_WAIT_MS = 30_000;

function readLedger(): Claim[] {
  try {
    const claims = JSON.parse(readFileSync(LEDGER, 'utf8')) as Claim[];
    return Array.isArray(claims) ? claims : [];
  } catch {
    return [];
  }
}

function writeLedger(claims: Claim[]): void {
  writeFileSync(`${LEDGER}.${process.pid}`, JSON.stringify(claims));
  renameSync(`${LEDGER}.${process.pid}`, LEDGER);
}

/** Claims of other live processes. */
function othersClaims(): Claim[] {
  return readLedger().filter((c) => c.pid !== process.pid && alive(c.pid, c.started));
}

/**
 * Runs `choose` under the machine-wide lock with the claims of other ups in progress, and
 * records the claim it returns (this process's, until releaseClaims or its exit).
 */
export async function withAllocations<T>(choose: (others: Claim[]) => Promise<{ result: T; claim?: Omit<Claim, 'pid' | 'started'> }>): Promise<T> {
  const release = await waitForLock(LOCK, LOCK_WAIT_MS);
  try {
    const others = othersClaims();
    const { result, claim } = await choose(others);
    if (claim) writeLedger([...others, { ...claim, ...SELF }]);
    return result;
  } finally {
    release();
  }
}

/** Drops this process's claims: its network and containers exist now (or never will). */
export async function releaseClaims(): Promise<void> {
  if (!readLedger().some((c) => c.pid === process.pid)) return;
  const release = await waitForLock(LOCK, LOCK_WAIT_MS);
  try {
    writeLedger(othersClaims());
  } finally {
    release();
  }
}

/** Who claimed a host port on `address`, in words, among `claims`. */
export function claimantOf(claims: Claim[], address: string, port: number): string | undefined {
  const claim = claims.find((c) => c.ports.includes(port) && (c.bindAddress === address || c.bindAddress === '0.0.0.0' || address === '0.0.0.0'));
  return claim && `lab ${claim.lab} (being brought up)`;
}
