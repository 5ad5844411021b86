// The shared pull-through mirror on the engine: made, joined to the labs that use it, read, and
// removed. One per engine; its storage (a named volume) outlives `mirror down` unless purged.
import type { ContainerInfo, Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { LABEL_LAB } from '../plan/labels.js';
import {
  countBlobDownloads,
  LABEL_MIRROR,
  LABEL_USES_MIRROR,
  MIRROR_CONTAINER,
  MIRROR_HOSTNAME,
  MIRROR_VOLUME,
  type MirrorCounters,
  type MirrorOptions,
  mirrorAddress,
  mirrorContainerSpec,
  READY_LINE,
  upstreamOf,
} from '../plan/mirror-plan.js';

const MIRROR_LABELS = { [LABEL_MIRROR]: 'true' };

/** The mirror's container on this engine, when swarmlab made one. */
export async function findMirror(engine: Engine): Promise<ContainerInfo | undefined> {
  return (await engine.listContainers(MIRROR_LABELS)).find((c) => c.name === MIRROR_CONTAINER);
}

/** Joins the mirror to one lab network, at its fixed address, under the name the nodes use. */
export async function joinLabNetwork(engine: Engine, mirror: ContainerInfo, network: { id: string; name: string; subnets: string[] }): Promise<boolean> {
  if (mirror.networks?.includes(network.name)) return false;
  const subnet = network.subnets[0];
  if (!subnet) return false;
  await engine.connectNetwork(network.id, mirror.id, { ipv4Address: mirrorAddress(subnet), aliases: [MIRROR_HOSTNAME] });
  return true;
}

/** The lab networks whose nodes pull through the mirror. */
async function mirroredNetworks(engine: Engine) {
  return (await engine.networkSubnets()).filter((n) => n.labels[LABEL_USES_MIRROR] === 'true');
}

/** Joins the mirror to every lab network that uses it; returns the labs it joined now. */
async function joinEveryLab(engine: Engine, mirror: ContainerInfo): Promise<string[]> {
  const joined: string[] = [];
  for (const network of await mirroredNetworks(engine)) {
    if (await joinLabNetwork(engine, mirror, network)) joined.push(network.labels[LABEL_LAB] ?? network.name);
  }
  return joined;
}

export interface MirrorUp {
  created: boolean;
  upstream: string;
  /** Labs (started with the mirror) it joined now. */
  joined: string[];
}

/** `upstreamChosen`: --upstream was given (a running mirror with another upstream is then refused). */
export async function mirrorUp(
  engine: Engine,
  options: MirrorOptions & { upstreamChosen: boolean },
  report: (line: string) => void = () => undefined,
): Promise<MirrorUp> {
  const all = await engine.listContainers({});
  const namesake = all.find((c) => c.name === MIRROR_CONTAINER);
  if (namesake && namesake.labels[LABEL_MIRROR] !== 'true') {
    throw new LabError(`a container named ${MIRROR_CONTAINER} exists that swarmlab did not make`, {
      fix: `rename or remove it (docker rm -f ${MIRROR_CONTAINER}), then run swarmlab mirror up again`,
    });
  }
  if (namesake) {
    const upstream = upstreamOf(namesake.labels);
    if (options.upstreamChosen && upstream !== options.upstream) {
      throw new LabError(`the mirror on this engine already proxies ${upstream}`, {
        fix: `swarmlab mirror down, then swarmlab mirror up --upstream ${options.upstream}`,
      });
    }
    const startedAt = (await engine.info()).systemTime;
    if (namesake.state !== 'running') {
      report('starting the stopped mirror');
      await engine.startContainer(namesake.id);
    }
    const mirror = (await findMirror(engine))!;
    if (namesake.state !== 'running') await waitUntilServing(engine, mirror.id, upstream, startedAt);
    return { created: false, upstream, joined: await joinEveryLab(engine, mirror) };
  }
  if (!(await engine.hasImage(options.image))) {
    report(`pulling ${options.image}`);
    await engine.pullImage(options.image).catch((err: Error) => {
      throw new LabError(`image ${options.image} is not on this engine and cannot be pulled (${err.message.split('\n')[0]})`, {
        fix: `docker pull ${options.image}, or choose another with --image`,
      });
    });
  }
  if (!(await engine.listVolumes(MIRROR_LABELS)).some((v) => v.name === MIRROR_VOLUME)) {
    await engine.createVolume({ name: MIRROR_VOLUME, labels: MIRROR_LABELS });
  }
  const id = await engine.createContainer(mirrorContainerSpec(options));
  try {
    const startedAt = (await engine.info()).systemTime;
    await engine.startContainer(id);
    await waitUntilServing(engine, id, options.upstream, startedAt);
  } catch (err) {
    // Nothing half-made: a mirror that does not answer is removed (its volume, data, stays).
    await engine.removeContainer(id);
    throw err;
  }
  const mirror = (await findMirror(engine))!;
  return { created: true, upstream: options.upstream, joined: await joinEveryLab(engine, mirror) };
}

/** Until the registry says it serves; it exits at once when it cannot reach upstream, and that is said. */
async function waitUntilServing(engine: Engine, id: string, upstream: string, since: Date): Promise<void> {
  if (await engine.waitForOutput(id, READY_LINE, { since, timeoutMs: 20_000 })) return;
  const log = (await engine.logTail(id, 20)).split('\n');
  if ((await engine.runState(id))?.running) throw new LabError(`the mirror did not start serving in 20 s`, { fix: `see docker logs ${MIRROR_CONTAINER}` });
  const reason = log.find((l) => l.startsWith('panic: ')) ?? log.filter(Boolean).at(-1) ?? '';
  throw new LabError(`the mirror stopped as it started: it must reach ${upstream} (${reason.replace(/^panic: /, '').slice(0, 200)})`, {
    fix: `check this engine reaches it, or give --upstream (and --network, a network it is reached through)`,
  });
}

export interface MirrorDown {
  removed: boolean;
  volumeRemoved: boolean;
}

export async function mirrorDown(engine: Engine, options: { purge: boolean }): Promise<MirrorDown> {
  const mirror = await findMirror(engine);
  // Removing the container takes it off every lab network too.
  if (mirror) await engine.removeContainer(mirror.id);
  let volumeRemoved = false;
  if (options.purge && (await engine.listVolumes(MIRROR_LABELS)).some((v) => v.name === MIRROR_VOLUME)) {
    await engine.removeVolume(MIRROR_VOLUME);
    volumeRemoved = true;
  }
  return { removed: mirror !== undefined, volumeRemoved };
}

/** Takes the mirror off a lab's network, so that the lab's `down` can remove it. */
export async function leaveLabNetwork(engine: Engine, network: string): Promise<void> {
  const mirror = await findMirror(engine);
  if (mirror?.networks?.includes(network)) await engine.disconnectNetwork(network, mirror.id);
}

/**
 * For `up` of a lab with `mirror: true`: the engine's mirror, running, joined to the lab's
 * network. Refused in one line when there is none (checked before the lab is made).
 */
export async function requireMirror(engine: Engine): Promise<ContainerInfo> {
  const mirror = await findMirror(engine);
  if (!mirror)
    throw new LabError('mirror: true, but no pull-through mirror runs on this engine', { fix: 'swarmlab mirror up (once per engine), then up again' });
  if (mirror.state !== 'running') throw new LabError(`mirror: true, but the engine's mirror is ${mirror.state}`, { fix: `swarmlab mirror up` });
  return mirror;
}

export interface MirrorStatus {
  up: boolean;
  state?: string;
  upstream?: string;
  /** Labs whose networks it has joined. */
  labs: string[];
  /** Blob downloads since this mirror started, from its access log. */
  counters?: MirrorCounters;
  /** What its storage takes on disk, in bytes. */
  sizeBytes?: number;
}

export async function mirrorStatus(engine: Engine): Promise<MirrorStatus> {
  const mirror = await findMirror(engine);
  if (!mirror) return { up: false, labs: [] };
  const networks = await engine.networkSubnets();
  const labs = (mirror.networks ?? []).flatMap((n) => networks.find((x) => x.name === n)?.labels[LABEL_LAB] ?? []);
  const [log, sizeBytes] = await Promise.all([engine.logTail(mirror.id, 1_000_000), engine.volumeSize(MIRROR_VOLUME).catch(() => undefined)]);
  return { up: mirror.state === 'running', state: mirror.state, upstream: upstreamOf(mirror.labels), labs, counters: countBlobDownloads(log), sizeBytes };
}
