// Offline image packs: one file holding the images a class needs (the node and registry images,
// and the course's), for a venue whose network is slow or gone. The file is a tar: one
// `docker save` tar per image, then pack.json (what each is, its image ID, its sha256). `load`
// checks every checksum before loading anything, so a damaged USB stick is said, not loaded.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Engine } from '../engine/engine.js';
import { tarHeader } from '../engine/tar.js';
import { LabError } from '../errors.js';
import { describeOutputError } from '../system-errors.js';

export interface PackedImage {
  ref: string;
  id: string;
  /** Entry name in the pack. */
  file: string;
  size: number;
  sha256: string;
}

export interface PackManifest {
  version: 1;
  created: string;
  images: PackedImage[];
}

export const MANIFEST_ENTRY = 'pack.json';

const padding = (size: number) => Buffer.alloc((512 - (size % 512)) % 512);

/** Writes the pack; `report` hears each image's progress. */
export async function packImages(engine: Engine, refs: string[], file: string, report: (line: string) => void): Promise<PackManifest> {
  const missing: string[] = [];
  for (const ref of refs) if (!(await engine.imageId(ref))) missing.push(ref);
  if (missing.length > 0)
    throw new LabError(`not on this engine: ${missing.join(', ')}`, {
      fix: `docker pull ${missing[0]} (on a machine with a registry in reach), then pack again`,
    });
  // Opened before anything is saved: a path that cannot be written is one line, not a stream's
  // unhandled error, and no scratch directory is left behind.
  const handle = await open(file, 'w').catch((err: unknown) => {
    const { problem, fix } = describeOutputError(file, err, path.join(file, 'swarmlab-images.tar'));
    throw new LabError(problem, { fix });
  });
  const scratch = await mkdtemp(path.join(tmpdir(), 'swarmlab-pack-'));
  const out = handle.createWriteStream();
  const write = (chunk: Buffer) => new Promise<void>((resolve, reject) => out.write(chunk, (err) => (err ? reject(err) : resolve())));
  const mtime = Math.floor(Date.now() / 1000);
  const images: PackedImage[] = [];
  try {
    for (const [index, ref] of refs.entries()) {
      report(`saving ${ref}`);
      // Saved to a scratch file first: a tar entry's header needs its size, which a save stream does not say.
      const saved = path.join(scratch, `${index}.tar`);
      const hash = createHash('sha256');
      const source = await engine.saveImage(ref);
      source.on('data', (chunk: Buffer) => hash.update(chunk));
      await pipeline(source, createWriteStream(saved));
      const { size } = await stat(saved);
      const entry = `images/${String(index + 1).padStart(2, '0')}.tar`;
      await write(tarHeader(entry, size, mtime));
      // Chunk by chunk rather than pipeline(..., { end: false }), which leaves its listeners on
      // `out` for every image (Node warns of a leak past ten).
      for await (const chunk of createReadStream(saved)) await write(chunk as Buffer);
      await write(padding(size));
      await rm(saved);
      images.push({ ref, id: (await engine.imageId(ref))!, file: entry, size, sha256: hash.digest('hex') });
      report(`${ref}: ${(size / 1e6).toFixed(1)} MB`);
    }
    const manifest: PackManifest = { version: 1, created: new Date().toISOString(), images };
    const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await write(Buffer.concat([tarHeader(MANIFEST_ENTRY, text.length, mtime), text, padding(text.length), Buffer.alloc(1024)]));
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return manifest;
  } catch (err) {
    out.destroy();
    await rm(file, { force: true });
    throw err;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

interface Entry {
  name: string;
  offset: number;
  size: number;
}

/** The entries of a tar file, by reading only their headers. */
async function entriesOf(file: string): Promise<Entry[]> {
  const handle = await open(file, 'r');
  try {
    const entries: Entry[] = [];
    const header = Buffer.alloc(512);
    for (let offset = 0; ; ) {
      const { bytesRead } = await handle.read(header, 0, 512, offset);
      if (bytesRead < 512 || header.every((b) => b === 0)) break;
      const name = header.toString('ascii', 0, 100).replace(/\0.*$/s, '');
      const size = parseInt(header.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim(), 8);
      if (!name || Number.isNaN(size))
        throw new LabError(`${file} is not a swarmlab image pack (a damaged tar header at byte ${offset})`, { fix: `copy the pack again` });
      entries.push({ name, offset: offset + 512, size });
      offset += 512 + size + ((512 - (size % 512)) % 512);
    }
    return entries;
  } finally {
    await handle.close();
  }
}

async function sha256Of(file: string, entry: Entry): Promise<string> {
  const hash = createHash('sha256');
  if (entry.size > 0) await pipeline(createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 }), hash);
  return hash.digest('hex');
}

export async function readManifest(file: string): Promise<{ manifest: PackManifest; entries: Entry[] }> {
  const entries = await entriesOf(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new LabError(`${file} does not exist`, { fix: `give the path of a pack made by swarmlab images pack` });
    if (err.code === 'EISDIR') throw new LabError(`${file} is a directory, not a pack`, { fix: `give the path of the pack file in it` });
    throw err;
  });
  const last = entries.find((e) => e.name === MANIFEST_ENTRY);
  if (!last)
    throw new LabError(`${file} has no ${MANIFEST_ENTRY}: not a swarmlab image pack, or cut short`, { fix: `copy it again, or swarmlab images pack again` });
  const handle = await open(file, 'r');
  try {
    const text = Buffer.alloc(last.size);
    await handle.read(text, 0, last.size, last.offset);
    return { manifest: JSON.parse(text.toString('utf8')) as PackManifest, entries };
  } finally {
    await handle.close();
  }
}

/** Verifies every image's checksum, then loads them; `report` hears each step. Returns what was loaded. */
export async function loadPack(engine: Engine, file: string, report: (line: string) => void): Promise<PackedImage[]> {
  const { manifest, entries } = await readManifest(file);
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const image of manifest.images) {
    const entry = byName.get(image.file);
    report(`checking ${image.ref}`);
    if (!entry || entry.size !== image.size || (await sha256Of(file, entry)) !== image.sha256) {
      throw new LabError(`${image.ref} in ${file} does not match its checksum: the pack is damaged`, { fix: `copy it again (nothing was loaded)` });
    }
  }
  for (const image of manifest.images) {
    const entry = byName.get(image.file)!;
    report(`loading ${image.ref} (${(image.size / 1e6).toFixed(1)} MB)`);
    await engine.loadImage(createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 }));
    const id = await engine.imageId(image.ref);
    if (id !== image.id) throw new LabError(`${image.ref} loaded as ${id ?? 'nothing'}, not ${image.id} as packed`, { fix: `docker image ls, and pack again` });
  }
  return manifest.images;
}
