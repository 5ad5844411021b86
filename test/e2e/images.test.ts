// Offline image packs: pack, then load on an engine where the tags were removed, restores them
// byte for byte (same image IDs); a damaged pack is refused before anything is loaded.
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { COURSE_IMAGES, docker, ECHO_IMAGE, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

const packDir = newLabDir();
const pack = path.join(packDir, 'class-images.tar');
const ECHO_TAG = 'swarmlab-packtest/echo:1';
const PROXY_TAG = 'swarmlab-packtest/proxy:1';
const imageId = async (ref: string) => (await docker(['image', 'inspect', '-f', '{{.Id}}', ref])).stdout.trim();

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE, ECHO_IMAGE, COURSE_IMAGES.SWARMLAB_IMAGE_PROXY!]);
  expect((await docker(['tag', ECHO_IMAGE, ECHO_TAG])).exitCode).toBe(0);
  expect((await docker(['tag', COURSE_IMAGES.SWARMLAB_IMAGE_PROXY!, PROXY_TAG])).exitCode).toBe(0);
}, 60_000);

afterAll(async () => {
  await docker(['rmi', ECHO_TAG, PROXY_TAG]);
}, 60_000);

describe('swarmlab images', () => {
  const ids = new Map<string, string>();

  it("pack writes the lab's node and registry images and the ones asked for, with checksums", async () => {
    for (const ref of [NODE_IMAGE, REGISTRY_IMAGE, ECHO_TAG, PROXY_TAG]) ids.set(ref, await imageId(ref));
    const result = await swarmlab(['images', 'pack', pack, '--image', ECHO_TAG, '--image', PROXY_TAG, '--dir', packDir]);
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(`Wrote ${pack}: 4 images.`);
    // A table under a header (the columns padded to the longest reference).
    expect(result.stdout).toMatch(/^IMAGE +IMAGE ID +SIZE +CHECKSUM$/m);
    for (const ref of ids.keys()) {
      const line = result.stdout.split('\n').find((l) => l.startsWith(`${ref} `));
      expect([ref, line]).toEqual([ref, expect.stringMatching(/ {2,}sha256:[0-9a-f]{12} {2,}[\d.]+ MB +sha256:[0-9a-f]{12}$/)]);
    }
    expect(statSync(pack).size).toBeGreaterThan(1e6);
  }, 180_000);

  it('load, where the tags were removed, restores them with the same image IDs', async () => {
    expect((await docker(['rmi', ECHO_TAG, PROXY_TAG])).exitCode).toBe(0);
    expect((await docker(['image', 'inspect', ECHO_TAG])).exitCode).not.toBe(0);
    const result = await swarmlab(['images', 'load', pack]);
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(`Loaded 4 images from ${pack}; every checksum matched.`);
    for (const [ref, id] of ids) expect([ref, await imageId(ref)]).toEqual([ref, id]);
  }, 180_000);

  it('a damaged pack is refused, naming the image, and nothing is loaded', async () => {
    expect((await docker(['rmi', PROXY_TAG])).exitCode).toBe(0);
    // The manifest is the pack's last entry: the images in order, the proxy's last.
    const fd = openSync(pack, 'r+');
    const tail = Buffer.alloc(65_536);
    readSync(fd, tail, 0, tail.length, statSync(pack).size - tail.length);
    const text = tail.toString('utf8');
    const manifest = JSON.parse(text.slice(text.lastIndexOf('{\n  "version"')).split('\0')[0]!) as { images: { ref: string }[] };
    expect(manifest.images.map((i) => i.ref)).toEqual([NODE_IMAGE, REGISTRY_IMAGE, ECHO_TAG, PROXY_TAG]);
    // One byte changed inside the last image's data.
    writeSync(fd, Buffer.from('X'), 0, 1, statSync(pack).size - 20_000);
    closeSync(fd);
    const result = await swarmlab(['images', 'load', pack]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /^error: \S+ in \S+class-images\.tar does not match its checksum: the pack is damaged; fix: copy it again \(nothing was loaded\)$/,
    );
    expect((await docker(['image', 'inspect', PROXY_TAG])).exitCode).not.toBe(0);
    const missing = await swarmlab(['images', 'load', path.join(packDir, 'nope.tar')]);
    expect(missing.stderr).toMatch(/^error: \S+nope\.tar does not exist; fix: /);
  }, 180_000);
});
