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

/**
 * The claims `lab`'s up must avoid: those of other live processes, and this process's own for
 * other labs (a class brings several labs up in one process).
 */
function othersClaims(lab: string): Claim[] {
  return readLedger().filter((c) => (c.pid === process.pid ? c.lab !== lab : alive(c.pid, c.started)));
}

/**
 * Runs `choose` for `lab`'s up under the machine-wide lock with the claims of other ups in
 * progress, and records the claim it returns (until releaseClaims for the lab, or this process's exit).
 */
export async function withAllocations<T>(
  lab: string,
  choose: (others: Claim[]) => Promise<{ result: T; claim?: Omit<Claim, 'lab' | 'pid' | 'started'> }>,
): Promise<T> {
  const release = await waitForLock(LOCK, LOCK_WAIT_MS);
  try {
    const others = othersClaims(lab);
    const { result, claim } = await choose(others);
    if (claim) writeLedger([...others, { ...claim, lab, ...SELF }]);
    return result;
  } finally {
    release();
  }
}

/** Drops this process's claim for `lab`: its network and containers exist now (or never will). */
export async function releaseClaims(lab: string): Promise<void> {
  if (!readLedger().some((c) => c.pid === process.pid && c.lab === lab)) return;
  const release = await waitForLock(LOCK, LOCK_WAIT_MS);
  try {
    writeLedger(othersClaims(lab));
  } finally {
    release();
  }
}

/** Who claimed a host port on `address`, in words, among `claims`. */
export function claimantOf(claims: Claim[], address: string, port: number): string | undefined {
  const claim = claims.find((c) => c.ports.includes(port) && (c.bindAddress === address || c.bindAddress === '0.0.0.0' || address === '0.0.0.0'));
  return claim && `lab ${claim.lab} (being brought up)`;
}
