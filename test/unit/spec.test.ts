import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SpecError } from '../../src/errors.js';
import { DEFAULT_IMAGES, DEFAULT_NODE_IMAGE, defaultSpec } from '../../src/spec/defaults.js';
import { parseNodeCuts } from '../../src/spec/node-cuts.js';
import { resolveSpec } from '../../src/spec/resolve.js';
import { REPO_ROOT } from '../repo-root.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'spec');
const fixtures = readdirSync(FIXTURES);

function resolveFile(text: string, flags = {}, env = {}) {
  return resolveSpec({ fileText: text, fileLabel: 'swarmlab.yaml', flags, env });
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof SpecError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected a SpecError');
}

describe('valid spec files', () => {
  it.each(fixtures.filter((f) => f.startsWith('valid-')))('%s resolves', (file) => {
    expect(() => resolveFile(readFileSync(path.join(FIXTURES, file), 'utf8'))).not.toThrow();
  });

  it('reads every field of a full file', () => {
    const spec = resolveFile(readFileSync(path.join(FIXTURES, 'valid-full.yaml'), 'utf8'));
    expect(spec).toEqual({
      name: 'classroom-a',
      managers: 3,
      workers: 5,
      nodeImage: 'docker:28-dind',
      registryImage: 'registry:2',
      registryPort: 5001,
      apiPort: 2376,
      ports: [
        { host: 8080, container: 80 },
        { host: 9090, container: 9000 },
      ],
      bindAddress: '127.0.0.1',
      images: { ...DEFAULT_IMAGES, echo: 'registry.example.com/course/echo:2', api: 'myapi:1' },
      launcher: 'compose',
      mirror: true,
      nodeCuts: ['gc'],
    });
  });
});

describe('invalid spec files', () => {
  it.each(fixtures.filter((f) => f.startsWith('invalid-')))('%s is refused with its field and a fix', (file) => {
    const text = readFileSync(path.join(FIXTURES, file), 'utf8');
    const expected = /^# expect: (.*)$/m.exec(text)![1]!;
    const problems = problemsOf(() => resolveFile(text));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
    expect(problems[0]).toMatch(/; fix: \S/);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(() => resolveFile('managers: 4\nworkers: -1\nname: X\n'));
    expect(problems.map((p) => p.split(':').slice(0, 2).join(':'))).toEqual(['swarmlab.yaml: name', 'swarmlab.yaml: managers', 'swarmlab.yaml: workers']);
  });
});

describe('layers', () => {
  it('defaults to the seeds: 1 manager, 3 workers, ports 8000:80 and 9000:9000 on 127.0.0.1', () => {
    const spec = resolveSpec({ fileLabel: 'swarmlab.yaml', flags: {}, env: {} });
    expect(spec).toEqual(defaultSpec({}));
    expect(spec.nodeImage).toBe(DEFAULT_NODE_IMAGE);
    expect(spec.ports).toEqual([
      { host: 8000, container: 80 },
      { host: 9000, container: 9000 },
    ]);
    expect(spec.bindAddress).toBe('127.0.0.1');
  });

  it('env changes the image default, the file beats env, flags beat the file', () => {
    const env = { SWARMLAB_NODE_IMAGE: 'swarmlab/node:offline', SWARMLAB_REGISTRY_IMAGE: 'swarmlab/registry:offline' };
    expect(resolveFile('', {}, env).nodeImage).toBe('swarmlab/node:offline');
    expect(resolveFile('nodeImage: docker:27-dind\n', {}, env).nodeImage).toBe('docker:27-dind');
    expect(resolveFile('nodeImage: docker:27-dind\n', { nodeImage: 'docker:26-dind' }, env).nodeImage).toBe('docker:26-dind');
    expect(resolveFile('workers: 2\n', { workers: 7 }).workers).toBe(7);
  });

  it('cuts every known cut by default; the file or --node-cuts names fewer, none or [] is none', () => {
    expect(resolveFile('').nodeCuts).toEqual(['gc', 'ingress']);
    expect(resolveFile('nodeCuts: []\n').nodeCuts).toEqual([]);
    expect(resolveFile('nodeCuts: [gc]\n', { nodeCuts: parseNodeCuts('none') }).nodeCuts).toEqual([]);
    expect(resolveFile('', { nodeCuts: parseNodeCuts('default-bridge, gc') }).nodeCuts).toEqual(['default-bridge', 'gc']);
    expect(problemsOf(() => resolveFile('', { nodeCuts: parseNodeCuts('gogc') }))).toEqual([
      '--node-cuts: "gogc" is not a cut swarmlab knows; fix: name any of gc, default-bridge, ingress, or none',
    ]);
  });

  it('names a bad flag by its flag name, and a bad env value by its variable', () => {
    expect(problemsOf(() => resolveFile('workers: 2\n', { workers: 99 }))[0]).toMatch(/^--workers: /);
    expect(problemsOf(() => resolveFile('', { registryPort: 0 }))[0]).toMatch(/^--registry-port: /);
    expect(problemsOf(() => resolveFile('', {}, { SWARMLAB_NODE_IMAGE: 'Not An Image' }))[0]).toMatch(/^SWARMLAB_NODE_IMAGE: /);
  });

  it('maps logical images: seeds defaults, SWARMLAB_IMAGE_<NAME> env, then the file, key by key', () => {
    expect(resolveFile('').images.echo).toBe('gihyodocker/echo:latest');
    const env = { SWARMLAB_IMAGE_ECHO: 'swarmlab/echo:offline', SWARMLAB_IMAGE_MY_APP: 'app:1' };
    const images = resolveFile('images:\n  proxy: my/proxy:2\n', {}, env).images;
    expect(images).toEqual({ ...DEFAULT_IMAGES, echo: 'swarmlab/echo:offline', proxy: 'my/proxy:2', 'my-app': 'app:1' });
    expect(problemsOf(() => resolveFile('', {}, { SWARMLAB_IMAGE_ECHO: 'Bad Ref' }))[0]).toMatch(
      /^SWARMLAB_IMAGE_ECHO: "Bad Ref" is not an image reference; fix: /,
    );
  });

  it('treats NaN from a non-numeric flag as a bad value', () => {
    expect(problemsOf(() => resolveFile('', { workers: Number.NaN }))[0]).toMatch(/^--workers: must be a whole number/);
  });
});
