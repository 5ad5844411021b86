// Any architecture (issue 25): whether an image has a build for the nodes' CPU, what deploy does
// about one that has not, and what doctor says. Pure functions, and deploy and doctor's reading
// against the fake engine.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkImagePlatforms, readLogicalImageBuilds } from '../../src/doctor/image-platforms.js';
import type { ExecResult } from '../../src/engine/engine.js';
import {
  engineEmulates,
  goArchitecture,
  imagesNeedingEmulation,
  KNOWN_PLATFORMS,
  knownPlatforms,
  platformFit,
  platformKey,
} from '../../src/images/platforms.js';
import { inventoryOf } from '../../src/lab/inventory.js';
import type { RunningLab } from '../../src/lab/running-lab.js';
import { DEFAULT_IMAGES } from '../../src/spec/defaults.js';
import { prepareStack, runStackDeploy } from '../../src/stacks/deploy.js';
import { resolveImageFlags, resolveImageFor, serviceArgumentsFor, stackImages } from '../../src/stacks/resolve-image.js';
import { parseStackFile } from '../../src/stacks/stack-file.js';
import { FakeEngine } from './fake-engine.js';

const linux = (...architectures: string[]) => architectures.map((architecture) => ({ os: 'linux', architecture }));

describe("the CPU's name", () => {
  it("turns docker info's (the kernel's) names into Go's, as manifests say them", () => {
    expect(goArchitecture('x86_64')).toBe('amd64');
    expect(goArchitecture('aarch64')).toBe('arm64');
    expect(goArchitecture('armv7l')).toBe('arm');
    expect(goArchitecture('i686')).toBe('386');
    expect(goArchitecture(' AArch64 ')).toBe('arm64');
  });

  it("keeps Go's names, and names it does not know, as they are", () => {
    for (const name of ['amd64', 'arm64', 'arm', 'ppc64le', 's390x', 'riscv64']) expect(goArchitecture(name)).toBe(name);
  });
});

describe('what is known of an image', () => {
  it('knows every default logical image: each is linux/amd64 only', () => {
    for (const image of Object.values(DEFAULT_IMAGES)) expect(knownPlatforms(image)).toEqual(linux('amd64'));
    expect(Object.keys(KNOWN_PLATFORMS).sort()).toEqual(Object.values(DEFAULT_IMAGES).sort());
  });

  it('finds a copy in any registry, and the tag Docker implies, but not another tag', () => {
    expect(platformKey('registry:5000/gihyodocker/echo:latest')).toBe('gihyodocker/echo:latest');
    expect(platformKey('127.0.0.1:5000/dockersamples/visualizer')).toBe('dockersamples/visualizer:latest');
    expect(platformKey('docker.io/library/nginx@sha256:abc')).toBe('nginx:latest');
    expect(knownPlatforms('registry:5000/gihyodocker/echo:latest')).toEqual(linux('amd64'));
    expect(knownPlatforms('dockercloud/haproxy')).toEqual(linux('amd64'));
    expect(knownPlatforms('docker.io/gihyodocker/nginx-proxy:latest')).toEqual(linux('amd64'));
    expect(knownPlatforms('dockersamples/visualizer:stable')).toBeUndefined();
    expect(knownPlatforms('swarmlab/echo:offline')).toBeUndefined();
  });
});

describe('how an image fits the nodes', () => {
  it('is native when it has a build for their CPU, by either name', () => {
    expect(platformFit('amd64', linux('amd64'))).toEqual({ fit: 'native' });
    expect(platformFit('x86_64', linux('amd64'))).toEqual({ fit: 'native' });
    expect(platformFit('aarch64', linux('amd64', 'arm64', 'arm'))).toEqual({ fit: 'native' });
  });

  it('needs emulation when it has builds for other CPUs only, and says which', () => {
    expect(platformFit('aarch64', linux('amd64'))).toEqual({ fit: 'emulated', builds: ['amd64'] });
    expect(platformFit('x86_64', linux('arm64', 'arm64', 'arm'))).toEqual({ fit: 'emulated', builds: ['arm64', 'arm'] });
    // 32-bit arm on arm64 counts as another CPU: Apple Silicon has no aarch32.
    expect(platformFit('arm64', linux('arm'))).toEqual({ fit: 'emulated', builds: ['arm'] });
  });

  it('is unknown without linux builds or a node CPU to compare: nothing known, an empty list, attestations, windows, no answer', () => {
    expect(platformFit('arm64', undefined)).toEqual({ fit: 'unknown' });
    expect(platformFit('arm64', [])).toEqual({ fit: 'unknown' });
    expect(platformFit('arm64', [{ os: 'unknown', architecture: 'unknown' }])).toEqual({ fit: 'unknown' });
    expect(platformFit('amd64', [{ os: 'windows', architecture: 'amd64' }])).toEqual({ fit: 'unknown' });
    expect(platformFit('', linux('amd64'))).toEqual({ fit: 'unknown' });
  });

  it('ignores attestations beside real builds', () => {
    expect(platformFit('arm64', [...linux('amd64'), { os: 'unknown', architecture: 'unknown' }])).toEqual({ fit: 'emulated', builds: ['amd64'] });
  });

  it('lists each image that needs emulation once, from the table', () => {
    const images = ['registry:5000/gihyodocker/echo:latest', 'registry:5000/gihyodocker/echo:latest', 'swarmlab/echo:offline', 'dockercloud/haproxy'];
    expect(imagesNeedingEmulation(images, 'aarch64')).toEqual([
      { image: 'registry:5000/gihyodocker/echo:latest', builds: ['amd64'] },
      { image: 'dockercloud/haproxy', builds: ['amd64'] },
    ]);
    expect(imagesNeedingEmulation(images, 'x86_64')).toEqual([]);
    expect(imagesNeedingEmulation(['mine:1'], 'x86_64', { 'mine:1': linux('arm64') })).toEqual([{ image: 'mine:1', builds: ['arm64'] }]);
  });

  it("takes Docker Desktop's engine as one that emulates, and no other", () => {
    expect(engineEmulates('Docker Desktop')).toBe(true);
    expect(engineEmulates('Debian GNU/Linux 12 (bookworm)')).toBe(false);
    expect(engineEmulates('')).toBe(false);
  });
});

describe('deploy on nodes of another CPU', () => {
  const webapi = parseStackFile(
    'services:\n  nginx:\n    image: registry:5000/gihyodocker/nginx-proxy:latest\n  api:\n    image: registry:5000/gihyodocker/echo:latest\n  built:\n    build: .\n',
    'web.yml',
  );

  it('reads the image of every service that names one', () => {
    expect(stackImages(webapi)).toEqual(['registry:5000/gihyodocker/nginx-proxy:latest', 'registry:5000/gihyodocker/echo:latest']);
  });

  it('resolves images as usual on nodes that have their build, or when nothing is known', () => {
    expect(resolveImageFor(stackImages(webapi), 'x86_64')).toEqual({ flags: [] });
    expect(resolveImageFor(['swarmlab/echo:offline', 'example/app:1'], 'aarch64')).toEqual({ flags: [] });
  });

  it('deploys unresolved, saying why in one line, when an image has no build for the nodes', () => {
    expect(resolveImageFor(stackImages(webapi), 'aarch64')).toEqual({
      flags: ['--resolve-image', 'never'],
      note:
        'deployed with --resolve-image never: no arm64 build of registry:5000/gihyodocker/nginx-proxy:latest (linux/amd64), registry:5000/gihyodocker/echo:latest (linux/amd64);' +
        ' resolved, its tasks would wait for a node of its platform, so the arm64 nodes run it under emulation',
    });
  });

  const LAB = 'unit';
  function armLab(architecture: string): { engine: FakeEngine; lab: RunningLab } {
    const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '' });
    const engine = new FakeEngine().onExec((_c, argv) => (argv.slice(0, 2).join(' ') === 'docker info' ? ok(`${architecture}\n`) : ok()));
    for (const node of ['manager', 'registry'])
      engine.addContainer(`${LAB}-${node}`, { labels: { 'dev.swarmlab.lab': LAB, 'dev.swarmlab.node': node, 'dev.swarmlab.role': node } });
    const inventory = inventoryOf(LAB, [...engine.containers.values()]);
    return {
      engine,
      lab: { inventory, manager: `${LAB}-manager`, managerNode: 'manager', answers: true, refused: [], registryHost: '127.0.0.1:5000', registryHostPort: 5000 },
    };
  }
  const deployArgv = (engine: FakeEngine) => engine.execs.find((e) => e.argv.slice(0, 3).join(' ') === 'docker stack deploy')?.argv;

  it("asks the manager for the nodes' CPU and adds --resolve-image never on arm64", async () => {
    const { engine, lab } = armLab('aarch64');
    const prepared = await prepareStack(engine, lab, 'web', webapi);
    await runStackDeploy(engine, lab, 'web', prepared.resolveImage);
    expect(deployArgv(engine)).toEqual(['docker', 'stack', 'deploy', '--prune', '--resolve-image', 'never', '-c', '/var/lib/swarmlab/stacks/web.yml', 'web']);
    expect(prepared.resolveImage.note).toMatch(/^deployed with --resolve-image never: no arm64 build of /);
  });

  it('deploys as before on amd64 nodes', async () => {
    const { engine, lab } = armLab('x86_64');
    const prepared = await prepareStack(engine, lab, 'web', webapi);
    await runStackDeploy(engine, lab, 'web', prepared.resolveImage);
    expect(deployArgv(engine)).toEqual(['docker', 'stack', 'deploy', '--prune', '-c', '/var/lib/swarmlab/stacks/web.yml', 'web']);
    expect(prepared.resolveImage.note).toBeUndefined();
  });
});

describe('doctor on image platforms', () => {
  const desktop = { architecture: 'aarch64', operatingSystem: 'Docker Desktop' };
  const linuxArm = { architecture: 'aarch64', operatingSystem: 'Ubuntu 24.04.1 LTS' };
  const course = Object.entries(DEFAULT_IMAGES).map(([name, image]) => ({ name, image, platforms: KNOWN_PLATFORMS[image], from: 'table' as const }));

  it('passes on amd64, naming the images that have its build', () => {
    expect(checkImagePlatforms({ architecture: 'x86_64', operatingSystem: 'Debian' }, course)).toEqual({
      check: 'image platforms',
      status: 'pass',
      detail: 'the engine is amd64: echo, proxy, visualizer, haproxy have amd64 builds',
    });
  });

  it('passes when nothing is known, and says so', () => {
    const offline = [{ name: 'echo', image: 'swarmlab/echo:offline' }];
    expect(checkImagePlatforms(desktop, offline)).toMatchObject({
      status: 'pass',
      detail: "the engine is arm64: not known for echo (not on the engine, not in swarmlab's table)",
    });
    expect(checkImagePlatforms(desktop, [{ name: 'app', image: 'mine', platforms: linux('arm64'), from: 'engine' }, ...offline]).detail).toBe(
      "the engine is arm64: app has arm64 builds; not known for echo (not on the engine, not in swarmlab's table)",
    );
  });

  it('warns on Docker Desktop for arm64 that the course runs under emulation, and deploy copes', () => {
    const result = checkImagePlatforms(desktop, course);
    expect(result.status).toBe('warn');
    expect(result.detail).toBe(
      "the engine is arm64; no arm64 build of echo (gihyodocker/echo:latest: linux/amd64, swarmlab's table), proxy (gihyodocker/nginx-proxy:latest: linux/amd64, swarmlab's table), " +
        "visualizer (dockersamples/visualizer:latest: linux/amd64, swarmlab's table), haproxy (dockercloud/haproxy:latest: linux/amd64, swarmlab's table)",
    );
    expect(result.fix).toBe(
      'nothing to do: they run under emulation (Docker Desktop), slower; swarmlab deploy uses --resolve-image never, and your own docker service create needs it too',
    );
  });

  it('points an engine with no emulation at building the image, naming the variable that replaces it', () => {
    const result = checkImagePlatforms(linuxArm, [course[0]!, { name: 'my-app', image: 'me/app:1', platforms: linux('amd64'), from: 'engine' }]);
    expect(result.status).toBe('warn');
    expect(result.detail).toContain('my-app (me/app:1: linux/amd64, on the engine)');
    expect(result.fix).toBe(
      'this engine shows no emulation: build each for arm64 (docker build) and name it in SWARMLAB_IMAGE_ECHO=<image>, SWARMLAB_IMAGE_MY_APP=<image>',
    );
  });

  it("reads the engine's copy first (a local arm64 build wins over the table), then the table", async () => {
    const engine = new FakeEngine();
    engine.images.add('gihyodocker/echo:latest');
    engine.imagePlatforms.set('gihyodocker/echo:latest', { os: 'linux', architecture: 'arm64' });
    const builds = await readLogicalImageBuilds(engine, { echo: 'gihyodocker/echo:latest', proxy: 'gihyodocker/nginx-proxy:latest', app: 'me/app:1' });
    expect(builds).toEqual([
      { name: 'echo', image: 'gihyodocker/echo:latest', platforms: linux('arm64'), from: 'engine' },
      { name: 'proxy', image: 'gihyodocker/nginx-proxy:latest', platforms: linux('amd64'), from: 'table' },
      { name: 'app', image: 'me/app:1' },
    ]);
    expect(checkImagePlatforms(desktop, builds)).toMatchObject({ status: 'warn', detail: expect.not.stringContaining('echo (') });
  });
});

describe('service create and update through swarmlab docker', () => {
  it('adds --resolve-image never after the verb on nodes that are not amd64, and says why', () => {
    const arm = serviceArgumentsFor(['service', 'create', '--name', 'echo', 'registry:5000/echo'], 'aarch64');
    expect(arm.args).toEqual(['service', 'create', '--resolve-image', 'never', '--name', 'echo', 'registry:5000/echo']);
    expect(arm.note).toMatch(/^swarmlab: added --resolve-image never: these nodes are arm64 /);
    expect(serviceArgumentsFor(['service', 'update', '--image', 'x:2', 'web'], 'arm64').args.slice(0, 4)).toEqual([
      'service',
      'update',
      '--resolve-image',
      'never',
    ]);
  });

  it('leaves amd64 nodes, other commands and a --resolve-image the user wrote alone', () => {
    expect(serviceArgumentsFor(['service', 'create', 'x'], 'x86_64')).toEqual({ args: ['service', 'create', 'x'] });
    expect(serviceArgumentsFor(['service', 'ls'], 'aarch64')).toEqual({ args: ['service', 'ls'] });
    expect(serviceArgumentsFor(['stack', 'deploy', '-c', 'f', 's'], 'aarch64')).toEqual({ args: ['stack', 'deploy', '-c', 'f', 's'] });
    expect(serviceArgumentsFor(['service', 'create', '--resolve-image=always', 'x'], 'aarch64').args).toEqual([
      'service',
      'create',
      '--resolve-image=always',
      'x',
    ]);
    expect(serviceArgumentsFor(['service', 'update', '--resolve-image', 'changed', 'x'], 'aarch64').note).toBeUndefined();
  });

  it("gives exercises' setups the same flag as {{lab.resolveImage}}: nothing on amd64", () => {
    expect(resolveImageFlags('x86_64')).toEqual([]);
    expect(resolveImageFlags('aarch64')).toEqual(['--resolve-image', 'never']);
  });

  it("gives every shipped course setup's docker service create/update {{lab.resolveImage}}", () => {
    // A setup runs docker in a node, not through swarmlab docker: without the flag an arm64 node
    // asks the registry for a platform it cannot name, and the service has no task.
    const courseFiles = ['course', 'course/ops'].flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => name.endsWith('.yaml'))
        .map((name) => join(dir, name)),
    );
    const bare = courseFiles.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, index) => ({ at: `${file}:${index + 1}`, line }))
        .filter(({ line }) => /(^|[^a-z:] ?)docker service (create|update)\b/.test(line) && !/swarmlab:? docker/.test(line))
        .filter(({ line }) => !line.includes('{{lab.resolveImage}}'))
        .map(({ at }) => at),
    );
    expect(courseFiles.length).toBeGreaterThan(20);
    expect(bare).toEqual([]);
  });
});
