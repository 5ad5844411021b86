// The node cut `ingress` (a lab without its ingress network where the kernel has no IPVS): what
// publishes on it, in a docker command and in a stack file, and deploy's refusal before it makes anything.
import type { ExecResult } from '../../src/engine/engine.js';
import { inventoryOf } from '../../src/lab/inventory.js';
import { prepareStack } from '../../src/stacks/deploy.js';
import { ingressPorts, parseStackFile } from '../../src/stacks/stack-file.js';
import { ingressPublishes, noIngressNote } from '../../src/swarm/ingress.js';
import { FakeEngine } from './fake-engine.js';

describe('ports published in ingress mode', () => {
  it('are the --publish values of service create and update without mode=host', () => {
    expect(ingressPublishes(['service', 'create', '--name', 'web', '--publish', '80:8080', 'img'])).toEqual(['80:8080']);
    expect(ingressPublishes(['service', 'create', '-p', '80:8080', '--publish=published=81,target=8080', 'img'])).toEqual([
      '80:8080',
      'published=81,target=8080',
    ]);
    expect(ingressPublishes(['service', 'update', '--publish-add', '9000:8080', 'web'])).toEqual(['9000:8080']);
    expect(ingressPublishes(['service', 'create', '--publish', 'mode=host,published=80,target=8080', 'img'])).toEqual([]);
    expect(ingressPublishes(['service', 'create', '--publish', 'published=80,target=8080,mode=host', 'img'])).toEqual([]);
    expect(ingressPublishes(['service', 'create', '--name', 'p', 'img'])).toEqual([]);
    expect(ingressPublishes(['run', '-p', '80:80', 'img'])).toEqual([]);
    expect(noIngressNote(['80:8080'])).toMatch(
      /^swarmlab: this lab has no ingress network: .* --publish 80:8080 needs it: publish in host mode: --publish mode=host,/,
    );
  });

  it('are the ports of a stack file without mode: host, by service', () => {
    const stack = parseStackFile(
      'services:\n  a:\n    image: x\n    ports: ["9000:8080", {target: 80, published: 81}, {target: 80, published: 82, mode: host}]\n  b:\n    image: y\n',
      'stack.yml',
    );
    expect(ingressPorts(stack)).toEqual([
      { service: 'a', port: '9000:8080' },
      { service: 'a', port: '81' },
    ]);
  });
});

describe('deploy into a lab without an ingress network', () => {
  const LAB = 'unit';
  function lab(hasIngress: boolean) {
    const said = (exitCode: number): ExecResult => ({
      exitCode,
      stdout: exitCode === 0 ? 'x86_64\n' : '',
      stderr: exitCode === 0 ? '' : 'Error: No such network: ingress',
    });
    const engine = new FakeEngine().onExec((_c, argv) =>
      said(argv.join(' ').startsWith('docker network inspect --format {{.Name}} ingress') && !hasIngress ? 1 : 0),
    );
    for (const node of ['manager', 'registry'])
      engine.addContainer(`${LAB}-${node}`, { labels: { 'dev.swarmlab.lab': LAB, 'dev.swarmlab.node': node, 'dev.swarmlab.role': node } });
    const inventory = inventoryOf(LAB, [...engine.containers.values()]);
    return {
      engine,
      running: {
        inventory,
        manager: `${LAB}-manager`,
        managerNode: 'manager',
        answers: true,
        refused: [],
        registryHost: '127.0.0.1:5000',
        registryHostPort: 5000,
      },
    };
  }
  const withPort = parseStackFile(
    'services:\n  app:\n    image: x\n    ports: ["9000:8080"]\n    networks: [front]\nnetworks:\n  front:\n    external: true\n',
    'v.yml',
  );

  it('is refused in one line naming the ports and the fix, before a network is made or a file copied', async () => {
    const { engine, running } = lab(false);
    await expect(prepareStack(engine, running, 'viz', withPort)).rejects.toThrow(
      /^stack viz publishes ports in ingress mode \(app: 9000:8080\), and this lab has no ingress network: .*IPVS/,
    );
    expect(engine.execs.map((e) => e.argv.slice(0, 3).join(' '))).toEqual(['docker network inspect']);
    expect(engine.calls.filter((c) => c.startsWith('putFile'))).toEqual([]);
  });

  it('goes on as before where the ingress network is, or when the stack publishes in host mode only', async () => {
    const kept = lab(true);
    await expect(prepareStack(kept.engine, kept.running, 'viz', withPort)).resolves.toMatchObject({ createdNetworks: [] });
    const hostOnly = parseStackFile('services:\n  app:\n    image: x\n    ports: [{target: 8080, published: 9000, mode: host}]\n', 'v.yml');
    const cut = lab(false);
    await expect(prepareStack(cut.engine, cut.running, 'viz', hostOnly)).resolves.toMatchObject({ createdNetworks: [] });
    expect(cut.engine.execs.some((e) => e.argv.includes('ingress'))).toBe(false);
  });
});
