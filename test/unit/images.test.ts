// The pack file's layout (a tar of saved images, then pack.json) and its checks, with a fake
// engine standing in for docker save and load; e2e proves the real thing.
import { closeSync, mkdtempSync, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { formatPackSummary } from '../../src/cli/print-images.js';
import { withoutColour } from '../../src/colour-codes.js';
import type { Engine } from '../../src/engine/engine.js';
import { loadPack, packImages, readManifest } from '../../src/images/pack.js';
import { layerWasPresent } from '../../src/registry/push.js';

const saved: Record<string, Buffer> = { 'a:1': Buffer.alloc(1000, 1), 'b:2': Buffer.alloc(513, 2) };

function fakeEngine(loaded: Buffer[]): Engine {
  return {
    imageId: async (ref: string) => (saved[ref] ? `sha256:${ref.replace(':', '')}` : undefined),
    saveImage: async (ref: string) => Readable.from([saved[ref]!]),
    loadImage: async (tar: NodeJS.ReadableStream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of tar) chunks.push(chunk as Buffer);
      loaded.push(Buffer.concat(chunks));
      return [];
    },
  } as unknown as Engine;
}

describe('image packs', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'swarmlab-unit-pack-')), 'p.tar');

  it('hold each saved image and a manifest with its size, ID and sha256; load gives back the same bytes', async () => {
    const manifest = await packImages(fakeEngine([]), ['a:1', 'b:2'], file, () => undefined);
    expect(manifest.images.map((i) => [i.ref, i.id, i.file, i.size])).toEqual([
      ['a:1', 'sha256:a1', 'images/01.tar', 1000],
      ['b:2', 'sha256:b2', 'images/02.tar', 513],
    ]);
    expect(statSync(file).size % 512).toBe(0);
    expect((await readManifest(file)).entries.map((e) => e.name)).toEqual(['images/01.tar', 'images/02.tar', 'pack.json']);
    const loaded: Buffer[] = [];
    await loadPack(fakeEngine(loaded), file, () => undefined);
    expect(loaded).toEqual([saved['a:1'], saved['b:2']]);
  });

  it('refuse an image the engine lacks, and a damaged pack before loading anything', async () => {
    await expect(packImages(fakeEngine([]), ['a:1', 'c:3'], `${file}.2`, () => undefined)).rejects.toThrow(/^not on this engine: c:3; fix: /);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from([9]), 0, 1, 512 + 1000 + 24 + 512 + 7); // inside b:2's data
    closeSync(fd);
    const loaded: Buffer[] = [];
    await expect(loadPack(fakeEngine(loaded), file, () => undefined)).rejects.toThrow(/^b:2 in .* does not match its checksum/);
    expect(loaded).toEqual([]);
  });

  it('are summed up as a table whose columns say what they are (two of them are sha256 digests)', () => {
    const images = [
      { ref: 'docker:29.7-dind', id: `sha256:${'1'.repeat(64)}`, file: 'images/01.tar', size: 123_456_789, sha256: 'a'.repeat(64) },
      { ref: 'registry:2', id: `sha256:${'2'.repeat(64)}`, file: 'images/02.tar', size: 25_000_000, sha256: 'b'.repeat(64) },
    ];
    expect(withoutColour(formatPackSummary(images)).split('\n')).toEqual([
      'IMAGE             IMAGE ID             SIZE      CHECKSUM',
      'docker:29.7-dind  sha256:111111111111  123.5 MB  sha256:aaaaaaaaaaaa',
      'registry:2        sha256:222222222222  25.0 MB   sha256:bbbbbbbbbbbb',
    ]);
  });
});

describe('a push into the lab registry', () => {
  it('counts a layer the registry mounted from another of its names as present, not as pushed or missing', () => {
    expect(['Pushed', 'Layer already exists', 'Mounted from example/echo', 'Preparing'].map(layerWasPresent)).toEqual([false, true, true, false]);
  });
});
