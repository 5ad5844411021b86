// Privileged nodes where the engine allows them; otherwise the capabilities mode.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Engine, EngineInfo } from '../engine/engine.js';
import type { NodeSecurity } from '../plan/compose.js';
import { LABEL_LAB } from '../plan/labels.js';

// Linux capability numbers, as in <linux/capability.h>, named as Docker names them.
const CAPABILITY_NAMES = [
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_ADMIN',
  'NET_RAW',
  'IPC_LOCK',
  'IPC_OWNER',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_CHROOT',
  'SYS_PTRACE',
  'SYS_PACCT',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_NICE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'MKNOD',
  'LEASE',
  'AUDIT_WRITE',
  'AUDIT_CONTROL',
  'SETFCAP',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'SYSLOG',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_READ',
  'PERFMON',
  'BPF',
  'CHECKPOINT_RESTORE',
];

/** Capabilities missing from a `CapBnd:` hex mask (from /proc/<pid>/status), by Docker name. */
export function missingCapabilities(capBndHex: string): string[] {
  const mask = BigInt(`0x${capBndHex}`);
  return CAPABILITY_NAMES.filter((_, bit) => (mask & (1n << BigInt(bit))) === 0n);
}

/**
 * The host's bounding set, read from our own process: on a local engine it is the one runc
 * works within. Where it cannot be read (a remote engine), assume the usual culprit.
 */
export async function hostUnavailableCapabilities(): Promise<string[]> {
  try {
    const status = await readFile('/proc/self/status', 'utf8');
    const hex = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    if (hex) return missingCapabilities(hex);
  } catch {
    // not Linux, or no procfs
  }
  return ['SYS_RESOURCE'];
}

/** Per-engine memory of the probe's answer: it depends on the engine's host, not on the lab. */
function probeCacheFile(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'swarmlab', 'privileged-probe.json');
}

type ProbeCache = Record<string, { privileged: boolean }>;

async function readProbeCache(file: string): Promise<ProbeCache> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ProbeCache;
  } catch {
    return {};
  }
}

/** Keeps the probe's answer for this engine; `swarmlab doctor` probes afresh and calls this, which clears a stale answer. */
export async function rememberPrivilegedProbe(info: EngineInfo, privileged: boolean): Promise<void> {
  const file = probeCacheFile();
  const cache = await readProbeCache(file);
  cache[`${info.id}@${info.serverVersion}`] = { privileged };
  // A cache that cannot be written only costs the next up another probe.
  await mkdir(path.dirname(file), { recursive: true })
    .then(() => writeFile(file, JSON.stringify(cache, null, 2)))
    .catch(() => undefined);
}

/** The modes the probe (or up --mode) chooses between; a runtime (Sysbox) is the spec's choice, not the probe's. */
export type ProbedSecurity = Exclude<NodeSecurity, { mode: 'runtime' }>;
export type NodeMode = ProbedSecurity['mode'];

/**
 * Privileged when the engine allows it, else the capabilities mode; `mode` (up --mode) skips
 * the probe. The probe starts a container, so its answer is kept per engine (ID and version)
 * in the user's cache folder.
 */
export async function chooseNodeSecurity(engine: Engine, info: EngineInfo, nodeImage: string, lab: string, mode?: NodeMode): Promise<ProbedSecurity> {
  let privileged = mode === undefined ? (await readProbeCache(probeCacheFile()))[`${info.id}@${info.serverVersion}`]?.privileged : mode === 'privileged';
  if (privileged === undefined) {
    privileged = await engine.allowsPrivileged(nodeImage, { [LABEL_LAB]: lab });
    await rememberPrivilegedProbe(info, privileged);
  }
  if (privileged) return { mode: 'privileged' };
  return { mode: 'capabilities', unavailableCapabilities: await hostUnavailableCapabilities() };
}
