// `swarmlab node backup|restore`: a node's /var/lib/docker/swarm (the Raft log, the node's TLS key
// and certificates) out to a tar file on this machine, and back into a node, each copy made while
// the node's dockerd is stopped, as Docker's admin guide asks. The plain docker CLI does the same
// (`docker cp`, from and into a stopped container, volume included: measured on 20.10 nodes);
// these exist because an exercise's steps run swarmlab commands only, never a host command, and
// because `docker cp DIR NODE:/var/lib/docker/swarm` nests DIR inside when it exists (moby/moby#31251).
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Engine } from '../engine/engine.js';
import { LabError, SpecError } from '../errors.js';
import { localSwarmState } from '../swarm/nodes.js';
import { type Clock, pollUntil, realClock } from '../wait/poll.js';
import { nodeContainer, type RunningLab } from './running-lab.js';

export const SWARM_DIR = '/var/lib/docker/swarm';
/** What an archive of SWARM_DIR holds: every entry under swarm/. */
const ENTRY_PREFIX = 'swarm/';

/** The name of a tar's first entry (its first 100 bytes, NUL-padded), or undefined when it is no tar. */
export function firstTarEntry(tar: Buffer): string | undefined {
  if (tar.length < 512 || tar.toString('latin1', 257, 262) !== 'ustar') return undefined;
  return tar.toString('utf8', 0, 100).replace(/\0.*$/s, '');
}

/** Why a file is not a backup of a swarm directory, in words; undefined when it is one. */
export function notASwarmBackup(tar: Buffer): string | undefined {
  const first = firstTarEntry(tar);
  if (first === undefined) return 'is not a tar archive';
  return first === ENTRY_PREFIX || first.startsWith(ENTRY_PREFIX) ? undefined : `is not a backup of a swarm directory (its first entry is ${first})`;
}

function stateOf(running: RunningLab, node: string): string {
  return running.inventory.nodes.get(node)?.state ?? 'missing';
}

/** Copies NODE's swarm directory to `file` (mode 600), stopping the node for the copy and starting it again. */
export async function backupSwarm(engine: Engine, running: RunningLab, lab: string, node: string, file: string, say: (line: string) => void): Promise<void> {
  const container = nodeContainer(running, node, lab);
  const state = stateOf(running, node);
  if (state === 'paused') throw new LabError(`node ${node} is paused`, { fix: `swarmlab chaos heal ${node}, then back it up` });
  const wasRunning = state === 'running';
  if (wasRunning) {
    await engine.stopContainer(container, 10);
    say(`stopped ${node}: its dockerd writes nothing while ${SWARM_DIR} is copied`);
  }
  try {
    await pipeline(await engine.readArchive(container, SWARM_DIR), createWriteStream(file, { mode: 0o600 }));
  } finally {
    if (wasRunning) {
      await engine.startContainer(container);
      say(`started ${node} again: it is back in its swarm within seconds`);
    }
  }
  say(
    `${file}: ${node}'s ${SWARM_DIR}. It holds ${node}'s TLS key and the key to the Raft log (or, with autolock, needs the unlock key): keep it as private as the swarm.`,
  );
}

/**
 * Unpacks a backup into NODE's swarm directory, which must be empty (the node in no swarm), with
 * the node stopped; then starts it. It comes back with the backup's swarm, as one of its managers.
 */
export async function restoreSwarm(
  engine: Engine,
  running: RunningLab,
  lab: string,
  node: string,
  file: string,
  say: (line: string) => void,
  clock: Clock = realClock,
): Promise<void> {
  const container = nodeContainer(running, node, lab);
  const tar = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new SpecError([
      {
        field: 'FILE',
        problem: err.code === 'ENOENT' ? `${file}: no such file` : `${file} cannot be read (${err.code})`,
        fix: 'give the file swarmlab node backup wrote',
      },
    ]);
  });
  const wrong = notASwarmBackup(tar);
  if (wrong) throw new SpecError([{ field: 'FILE', problem: `${file} ${wrong}`, fix: 'give the file swarmlab node backup NODE FILE wrote' }]);
  const state = stateOf(running, node) === 'running' ? await localSwarmState(engine, container) : undefined;
  if (state === undefined)
    throw new LabError(`node ${node} is not running (or its daemon does not answer): its swarm state cannot be read`, { fix: `swarmlab chaos heal ${node}` });
  if (state !== 'inactive') {
    throw new LabError(`${node} is in a swarm (${state}): a restore writes its ${SWARM_DIR}, which must be empty`, {
      fix: `swarmlab docker --node ${node} swarm leave --force empties it (${node} leaves its swarm), then restore`,
    });
  }
  await engine.stopContainer(container, 10);
  say(`stopped ${node}`);
  await engine.writeArchive(container, SWARM_DIR.replace(/\/swarm$/, ''), tar);
  await engine.startContainer(container);
  // The next command (init --force-new-cluster) needs the daemon: it answers within seconds.
  await pollUntil(async () => ((await localSwarmState(engine, container)) ? { done: true } : { notYet: 'its daemon does not answer yet' }), {
    what: `${node}'s daemon`,
    timeoutMs: 60_000,
    intervalMs: 500,
    clock,
  });
  say(`restored ${file} into ${node}'s ${SWARM_DIR} and started ${node}: it believes in the backup's swarm and its managers.`);
  say(`Make it a swarm of its own, services kept: swarmlab docker --node ${node} swarm init --force-new-cluster`);
}
