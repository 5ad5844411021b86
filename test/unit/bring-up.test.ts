// `up` as a whole against the fake engine: the order in which the swarm is formed, and what a
// failed first bring-up leaves behind (nothing) against a failed repair (everything it had).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contextStore, DEFAULT_SOCKET, type EngineEndpoint, LABEL_ENGINE } from '../../src/engine/endpoint.js';
import type { ExecResult } from '../../src/engine/engine.js';
import { ApiLaunch } from '../../src/lab/api-launch.js';
import { labPaths } from '../../src/lab/paths.js';
import { defaultSpec } from '../../src/spec/defaults.js';
import type { LabSpec } from '../../src/spec/types.js';
import { bringUp } from '../../src/steps/bring-up.js';
import type { UpRequest } from '../../src/steps/up-context.js';
import { FakeEngine } from './fake-engine.js';

const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '' });

/** A fake engine whose nodes answer as a swarm being formed would: init, joins, node ls. */
function swarmEngine(lab: string, nodeNames: string[], events: string[] = []): FakeEngine {
  const joined = new Set<string>();
  const engine = new FakeEngine();
  engine.images.add('node:img').add('registry:img');
  engine.onExec((container, argv) => {
    const script = argv.join(' ');
    const node = container.slice(lab.length + 1);
    if (script.includes('docker swarm init')) {
      joined.add(node);
      return ok('To add a worker to this swarm, run: docker swarm join --token SWMTKN-1-worker 10.0.0.10:2377\n--- tokens ---\nSWMTKN-1-manager\n');
    }
    if (script.includes('swarm join')) {
      // A join takes a moment, as a real one does: joins that overlap show in the events.
      events.push(`join ${node} begins`);
      return new Promise<ExecResult>((resolve) =>
        setTimeout(() => {
          joined.add(node);
          events.push(`join ${node} ends`);
          resolve(ok());
        }, 5),
      );
    }
    if (argv[0] === 'docker' && argv[1] === 'node' && argv[2] === 'ls') {
      return ok(
        nodeNames
          .filter((n) => joined.has(n))
          .map((n, i) => `id${i}\t${n}\tReady\tActive\t${n.startsWith('manager') ? 'Reachable' : ''}`)
          .join('\n'),
      );
    }
    return undefined;
  });
  return engine;
}

function request(engine: FakeEngine, spec: Partial<LabSpec>, endpoint: EngineEndpoint = { host: DEFAULT_SOCKET, source: 'the test' }): UpRequest {
  const full = { ...defaultSpec({}), nodeImage: 'node:img', registryImage: 'registry:img', name: 'unit-up', ports: [], ...spec };
  const abort = new AbortController();
  const launch = new ApiLaunch(engine, full.name).stopOn(abort.signal);
  return {
    spec: full,
    choices: { chosen: new Set(), nameOf: (f) => f },
    paths: labPaths(mkdtempSync(path.join(tmpdir(), 'swarmlab-up-')), full.name),
    engine,
    endpoint,
    timeouts: { daemonMs: 5000, readyMs: 5000 },
    launch: Promise.resolve(launch),
    abort,
    noSwarm: false,
    useContext: false,
  };
}

// The lab's docker context goes to a folder of the test's own, never the user's ~/.docker.
const savedConfig = process.env.DOCKER_CONFIG;
beforeAll(() => {
  process.env.DOCKER_CONFIG = mkdtempSync(path.join(tmpdir(), 'swarmlab-up-config-'));
});
afterAll(() => {
  process.env.DOCKER_CONFIG = savedConfig;
});

describe('forming the swarm', () => {
  it('inits on the first manager, joins the other managers one at a time, and the workers only once every container started', async () => {
    const nodes = ['manager', 'manager02', 'manager03', 'worker01', 'worker02'];
    const events: string[] = [];
    const engine = swarmEngine('unit-up', nodes, events);
    // The registry starts last and slowly: workers that joined before every container started would show.
    engine.delayOn('startContainer', 'unit-up-registry', 600);
    const made = await bringUp(request(engine, { managers: 3, workers: 2 }), { keepOnFailure: false, output: () => undefined });
    expect(made.nodes.map((n) => n.hostname).sort()).toEqual(nodes);
    const at = (pattern: RegExp) => engine.calls.findIndex((c) => pattern.test(c));
    const init = at(/^exec unit-up-manager [\s\S]*docker swarm init/);
    const join = (node: string) => at(new RegExp(`^exec unit-up-${node} [\\s\\S]*swarm join`));
    const lastStart = at(/^startContainer unit-up-registry done$/);
    expect(init).toBeGreaterThan(-1);
    expect(join('manager02')).toBeGreaterThan(init);
    // Each manager's join changes the Raft membership: the next begins once the last has ended.
    expect(events.indexOf('join manager03 begins')).toBeGreaterThan(events.indexOf('join manager02 ends'));
    for (const worker of ['worker01', 'worker02']) expect(join(worker)).toBeGreaterThan(lastStart);
    // The first manager starts first, so init can run while the others are still starting.
    expect(engine.calls.filter((c) => c.startsWith('startContainer')).slice(0, 1)).toEqual(['startContainer unit-up-manager']);
  });
});

describe('the engine it is given', () => {
  const contextFile = () => contextStore(process.env.DOCKER_CONFIG!, 'swarmlab-unit-up').metaFile;
  const contextOf = () => JSON.parse(readFileSync(contextFile(), 'utf8')) as { Metadata: Record<string, string>; Endpoints: { docker: { Host: string } } };

  it("is the engine the lab's docker context names: a class's second engine, not this process's", async () => {
    const second = { host: 'unix:///var/run/swarmlab-second.sock', source: 'engine second of the class' };
    await bringUp(request(swarmEngine('unit-up', ['manager']), { workers: 0 }, second), { keepOnFailure: false, output: () => undefined });
    expect(contextOf().Metadata[LABEL_ENGINE]).toBe(second.host);
    expect(contextOf().Endpoints.docker.Host).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
  });

  it("elsewhere (tcp://) gets no docker context: its 127.0.0.1 is not this machine's", async () => {
    const lines: string[] = [];
    const remote = { host: 'tcp://10.0.0.5:2376', source: 'engine far of the class' };
    await bringUp(request(swarmEngine('unit-far', ['manager']), { workers: 0, name: 'unit-far' }, remote), {
      keepOnFailure: false,
      output: (l) => lines.push(l),
    });
    expect(lines.join('\n')).toContain("Plan the lab's names");
    expect(lines.join('\n')).not.toContain('docker context');
  });
});

describe('a failed bring-up', () => {
  it('of a new lab removes everything it made, and says so', async () => {
    const engine = swarmEngine('unit-up', ['manager', 'worker01']);
    engine.failOn('startContainer', new Error('no space left on device'), 'unit-up-worker01');
    const failed = bringUp(request(engine, { workers: 1 }), { keepOnFailure: false, output: () => undefined });
    await expect(failed).rejects.toThrow('up of lab "unit-up" failed: starting unit-up-worker01 failed: no space left on device');
    await failed.catch((err: { detailLines?: string[] }) =>
      expect(err.detailLines).toContain('removed what this up created (keep it next time with --keep-on-failure)'),
    );
    expect([...engine.containers.keys(), ...engine.networks.keys(), ...engine.volumes.keys()]).toEqual([]);
  });

  it('of a new lab with --keep-on-failure keeps it for inspection', async () => {
    const engine = swarmEngine('unit-up', ['manager', 'worker01']);
    engine.failOn('startContainer', new Error('no space left on device'), 'unit-up-worker01');
    await expect(bringUp(request(engine, { workers: 1 }), { keepOnFailure: true, output: () => undefined })).rejects.toThrow('no space left on device');
    expect([...engine.containers.keys()].sort()).toEqual(['unit-up-manager', 'unit-up-registry', 'unit-up-worker01']);
  });

  it('of a lab that existed removes nothing: a repair that fails leaves the lab as it was', async () => {
    const engine = swarmEngine('unit-up', ['manager', 'worker01']);
    const labels = (node: string, role: string) => ({ 'dev.swarmlab.lab': 'unit-up', 'dev.swarmlab.node': node, 'dev.swarmlab.role': role });
    engine.addContainer('unit-up-manager', { labels: labels('manager', 'manager') });
    engine.addContainer('unit-up-worker01', { labels: labels('worker01', 'worker'), state: 'exited' });
    engine.addContainer('unit-up-registry', { labels: labels('registry', 'registry') });
    engine.failOn('startContainer', new Error('no space left on device'), 'unit-up-worker01');
    await expect(bringUp(request(engine, { workers: 1 }), { keepOnFailure: false, output: () => undefined })).rejects.toThrow('no space left on device');
    expect(engine.calls.filter((c) => c.startsWith('removeContainer') || c.startsWith('removeVolume'))).toEqual([]);
    expect([...engine.containers.keys()].sort()).toEqual(['unit-up-manager', 'unit-up-registry', 'unit-up-worker01']);
  });
});
