// The lab from the host's own tools (issue 21): the docker context swarmlab-<lab> that `up`
// writes (the manager's Engine API over TLS on 127.0.0.1), `swarmlab env` for tools that read no
// contexts, the API refusing anyone without the lab's client certificate, and a lab that comes
// back by itself when the engine restarts (but not one stopped on purpose, nor a drill's node).
// The docker CLI's config is a folder of the test's own (DOCKER_CONFIG), never the user's.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { execa } from 'execa';
import {
  CLI,
  capturedOutputs,
  docker,
  ECHO_IMAGE,
  eventually,
  freshLab,
  labelledObjects,
  NODE_IMAGE,
  newLabDir,
  REGISTRY_IMAGE,
  requireEngineAndImages,
  swarmlab,
} from './harness.js';

const LAB = 'e2e-ctx';
const OTHER = 'e2e-ctx2';
const dir = newLabDir();
const otherDir = newLabDir();
const lab = ['--dir', dir];
const REGISTRY_PORT = 32620;
const API_PORT = 32623;
const config = mkdtempSync(path.join(tmpdir(), 'swarmlab-e2e-dockercfg-'));
const env = { DOCKER_CONFIG: config };
const CONTEXT = `swarmlab-${LAB}`;
const ROOT = path.resolve(path.dirname(CLI), '..');

const run = (args: string[], extra: Record<string, string> = {}) => swarmlab(args, { env: { ...env, ...extra } });
const dockerCli = async (args: string[], extra: Record<string, string> = {}) => {
  const result = await execa('docker', args, { reject: false, env: { DOCKER_CONFIG: config, ...extra } });
  capturedOutputs.push(result.stdout, result.stderr);
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
};

/** `export NAME='value'` lines as an environment. */
function exported(stdout: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const match of stdout.matchAll(/^export (\w+)='([^']*)'$/gm)) vars[match[1]!] = match[2]!;
  return vars;
}

/** GET /_ping over TLS to a lab's API, as the client `client` (a lab's client folder) or as nobody. */
function ping(port: number, caFile: string, client?: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      ca: readFileSync(caFile),
      servername: 'localhost',
      ...(client ? { cert: readFileSync(path.join(client, 'cert.pem')), key: readFileSync(path.join(client, 'key.pem')) } : {}),
    });
    let answer = '';
    socket.on('secureConnect', () => socket.write('GET /_ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', (err) => resolve(`refused: ${err.message}`));
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
  });
}

const clientDir = (labDir: string, name: string) => path.join(labDir, '.swarmlab', name, 'api-tls', 'client');
const engineRestart = () => execa('bash', [path.join(ROOT, 'scripts', 'test-host.sh'), 'restart'], { reject: false });
const startedAt = async (container: string) => (await docker(['inspect', '-f', '{{.State.StartedAt}}', container])).stdout;
const state = async (container: string) => (await docker(['inspect', '-f', '{{.State.Status}}', container])).stdout;

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE, ECHO_IMAGE]);
  await freshLab(dir, `name: ${LAB}\nworkers: 3\nregistryPort: ${REGISTRY_PORT}\napiPort: ${API_PORT}\nports: []\n`, env);
}, 240_000);

afterAll(async () => {
  await run(['down', ...lab]);
  await run(['down', '--dir', otherDir]);
}, 120_000);

describe('the docker context swarmlab-<lab>', () => {
  it('is written by up, not made current, and reaches the manager: docker node ls lists every node', async () => {
    const contexts = await dockerCli(['context', 'ls', '--format', '{{.Name}} {{.Current}} {{.DockerEndpoint}}']);
    expect(contexts.stdout.split('\n')).toEqual(
      expect.arrayContaining(['default true unix:///var/run/docker.sock', `${CONTEXT} false tcp://127.0.0.1:${API_PORT}`]),
    );
    const nodes = await dockerCli(['--context', CONTEXT, 'node', 'ls', '--format', '{{.Hostname}} {{.Status}}']);
    expect(nodes.stdout.split('\n').sort()).toEqual(['manager Ready', 'worker01 Ready', 'worker02 Ready', 'worker03 Ready']);
  }, 60_000);

  it('deploys a stack file from the host; swarmlab ps shows its tasks', async () => {
    expect((await run(['push', ECHO_IMAGE, ...lab])).exitCode).toBe(0);
    const file = path.join(config, 'api.yml');
    writeFileSync(
      file,
      'version: "3.7"\nservices:\n  api:\n    image: registry:5000/swarmlab/echo:offline\n    deploy:\n      replicas: 2\n      endpoint_mode: dnsrr\n',
    );
    const deploy = await dockerCli(['--context', CONTEXT, 'stack', 'deploy', '-c', file, 'ctx']);
    expect([deploy.exitCode, deploy.stdout]).toEqual([0, expect.stringContaining('Creating service ctx_api')]);
    const ps = await eventually(
      'both tasks of ctx_api to run',
      () => run(['ps', 'ctx', ...lab]),
      (r) => (r.stdout.match(/ctx_api\.\d\s+running\s+running/gi) ?? []).length === 2,
      60_000,
    );
    expect(ps.exitCode).toBe(0);
  }, 120_000);

  it('context prints it; --use makes it current, and swarmlab itself goes on using the engine the lab lives on', async () => {
    const said = await run(['context', ...lab]);
    expect([said.exitCode, said.stdout.split('\n')[0]]).toEqual([0, `Docker context ${CONTEXT}: tcp://127.0.0.1:${API_PORT}, manager's Engine API.`]);
    expect((await run(['context', '--use', ...lab])).stdout).toContain('(the current context)');
    expect((await dockerCli(['node', 'ls', '-q'])).stdout.split('\n')).toHaveLength(4);
    const status = await run(['status', ...lab]);
    expect([status.exitCode, status.stdout]).toEqual([0, expect.stringContaining(`Engine API: tcp://127.0.0.1:${API_PORT}`)]);
    expect((await dockerCli(['context', 'use', 'default'])).exitCode).toBe(0);
  }, 60_000);
});

describe('swarmlab env', () => {
  it("eval'd, docker info reaches the manager; compose v1 with the same environment talks to it; swarmlab still reaches its engine", async () => {
    const printed = await run(['env', '--shell', 'bash', ...lab]);
    const vars = exported(printed.stdout);
    expect(vars).toEqual({
      DOCKER_HOST: `tcp://127.0.0.1:${API_PORT}`,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: clientDir(dir, LAB),
      SWARMLAB_ENGINE: 'unix:///var/run/docker.sock',
    });
    const info = await dockerCli(['info', '--format', '{{.Name}} {{.Swarm.ControlAvailable}}'], vars);
    expect(info.stdout).toBe('manager true');
    // Only the variables a user's shell would have: REQUESTS_CA_BUNDLE, which some machines set,
    // makes python-requests ignore DOCKER_CERT_PATH's CA (psf/requests#3829), whatever the engine.
    const plain = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' };
    const compose = await execa('docker-compose', ['-f', path.join(config, 'api.yml'), '-p', 'ctx', 'ps'], {
      reject: false,
      env: { ...plain, ...vars },
      extendEnv: false,
    });
    expect([compose.exitCode, compose.stdout.split('\n')[0]]).toEqual([0, expect.stringMatching(/^Name\s+Command\s+State\s+Ports/)]);
    const status = await run(['status', ...lab], vars);
    expect([status.exitCode, status.stdout.split('\n')[0]]).toEqual([0, `Lab "${LAB}" is up: 1 manager, 3 workers.`]);
    const unset = await run(['env', '--unset', '--shell', 'fish', ...lab]);
    expect(unset.stdout.split('\n').slice(0, 4)).toEqual([
      'set -e DOCKER_HOST;',
      'set -e DOCKER_TLS_VERIFY;',
      'set -e DOCKER_CERT_PATH;',
      'set -e SWARMLAB_ENGINE;',
    ]);
  }, 60_000);
});

describe("the lab's Engine API", () => {
  it('is published on 127.0.0.1 only', async () => {
    const bindings = await docker(['inspect', '-f', '{{json (index .HostConfig.PortBindings "2376/tcp")}}', `${LAB}-manager`]);
    expect(JSON.parse(bindings.stdout)).toEqual([{ HostIp: '127.0.0.1', HostPort: String(API_PORT) }]);
  }, 30_000);

  it("answers the lab's client certificate, and refuses none and another lab's", async () => {
    const up = await freshLab(otherDir, `name: ${OTHER}\nworkers: 0\nregistryPort: 32630\napiPort: 32633\nports: []\n`, env).then(() => 0);
    expect(up).toBe(0);
    const ca = path.join(clientDir(dir, LAB), 'ca.pem');
    expect(await ping(API_PORT, ca, clientDir(dir, LAB))).toBe('HTTP/1.1 200 OK');
    expect(await ping(API_PORT, ca)).toMatch(/^(refused: |$)/);
    expect(await ping(API_PORT, ca, clientDir(otherDir, OTHER))).toMatch(/^(refused: |$)/);
    expect((await run(['down', '--dir', otherDir])).exitCode).toBe(0);
  }, 180_000);

  it('keeps every key readable by its owner only, and no command printed a certificate or a key', async () => {
    const tlsDir = path.join(dir, '.swarmlab', LAB, 'api-tls');
    const contextKeys = readdirSync(path.join(config, 'contexts', 'tls')).map((id) => path.join(config, 'contexts', 'tls', id, 'docker', 'key.pem'));
    for (const key of [path.join(tlsDir, 'ca-key.pem'), path.join(tlsDir, 'server', 'key.pem'), path.join(tlsDir, 'client', 'key.pem'), ...contextKeys]) {
      expect([key, (statSync(key).mode & 0o777).toString(8)]).toEqual([key, '600']);
    }
    expect(capturedOutputs.join('\n')).not.toContain('-----BEGIN');
  }, 30_000);
});

describe('bad input, each one line with the fix and nothing made', () => {
  const fresh = newLabDir();

  it('an apiPort that is taken', async () => {
    writeFileSync(path.join(fresh, 'swarmlab.yaml'), `name: e2e-ctx-bad\nworkers: 0\nregistryPort: 32640\napiPort: ${REGISTRY_PORT}\nports: []\n`);
    const up = await run(['up', '--dir', fresh]);
    expect([up.exitCode, up.stderr]).toEqual([
      2,
      `error: swarmlab.yaml: apiPort: host port ${REGISTRY_PORT} on 127.0.0.1 is in use by container ${LAB}-registry; fix: free it, or pick another apiPort (--api-port)`,
    ]);
    expect(await labelledObjects('e2e-ctx-bad')).toEqual({ containers: [], networks: [], volumes: [] });
  }, 60_000);

  it('env --shell tcsh', async () => {
    const env = await run(['env', '--shell', 'tcsh', ...lab]);
    expect([env.exitCode, env.stderr]).toEqual([
      2,
      'error: Invalid values: Argument: shell, Given: "tcsh", Choices: "bash", "zsh", "fish", "powershell"; fix: see swarmlab env --help',
    ]);
  }, 30_000);

  it('context --use on a lab that is down', async () => {
    const use = await run(['context', '--use', '--dir', otherDir]);
    expect([use.exitCode, use.stderr]).toEqual([1, `error: lab "${OTHER}" is not up; fix: swarmlab up --name ${OTHER}`]);
  }, 30_000);

  it('a docker config directory that cannot be written', async () => {
    writeFileSync(path.join(fresh, 'swarmlab.yaml'), 'name: e2e-ctx-bad\nworkers: 0\nregistryPort: 32640\napiPort: 32643\nports: []\n');
    const up = await run(['up', '--dir', fresh], { DOCKER_CONFIG: '/proc/swarmlab-docker-config' });
    expect(up.exitCode).toBe(1);
    expect(up.stderr.split('\n')[0]).toMatch(
      /^error: up of lab "e2e-ctx-bad" failed: the docker config directory \/proc\/swarmlab-docker-config cannot be written \(\w+\), so the lab's docker context cannot be made there; fix: /,
    );
    expect(await labelledObjects('e2e-ctx-bad')).toEqual({ containers: [], networks: [], volumes: [] });
  }, 60_000);

  it("a context of the lab's name that swarmlab did not make: refused, and left as it was", async () => {
    expect((await dockerCli(['context', 'create', 'swarmlab-e2e-ctx-bad', '--docker', 'host=unix:///var/run/docker.sock'])).exitCode).toBe(0);
    const up = await run(['up', '--dir', fresh]);
    expect(up.exitCode).toBe(1);
    expect(up.stderr.split('\n')[0]).toContain('a docker context named swarmlab-e2e-ctx-bad exists that swarmlab did not make, so it will not touch it');
    expect(await labelledObjects('e2e-ctx-bad')).toEqual({ containers: [], networks: [], volumes: [] });
    expect((await run(['down', '--dir', fresh])).stdout).toContain('Left the docker context swarmlab-e2e-ctx-bad alone');
    expect((await dockerCli(['context', 'inspect', 'swarmlab-e2e-ctx-bad'])).exitCode).toBe(0);
    await dockerCli(['context', 'rm', 'swarmlab-e2e-ctx-bad']);
  }, 60_000);
});

describe('when the engine restarts', () => {
  const nodes = ['manager', 'worker01', 'worker02', 'worker03'].map((n) => `${LAB}-${n}`);
  const catalog = async () => (await fetch(`http://127.0.0.1:${REGISTRY_PORT}/v2/_catalog`)).text();
  const whole = async () => {
    const ls = await docker(['exec', `${LAB}-manager`, 'docker', 'node', 'ls', '--format', '{{.Hostname}} {{.Status}}']);
    const replicas = await docker(['exec', `${LAB}-manager`, 'docker', 'service', 'ls', '--filter', 'name=ctx_api', '--format', '{{.Replicas}}']);
    return `${ls.stdout.split('\n').sort().join(', ')}; ${replicas.stdout}`;
  };
  const wholeLine = 'manager Ready, worker01 Ready, worker02 Ready, worker03 Ready; 2/2';

  it('a lab with a stack running comes back by itself: every node Ready, the replicas back, the registry data kept', async () => {
    const before = await catalog();
    const started = await startedAt(`${LAB}-manager`);
    const restart = await engineRestart();
    expect([restart.exitCode, restart.stderr]).toEqual([0, '']);
    // Restarted, not left running: the engine really went down.
    expect(await startedAt(`${LAB}-manager`)).not.toBe(started);
    await eventually('every node Ready and ctx_api at 2/2, with no swarmlab command', whole, (line) => line === wholeLine, 60_000);
    expect(await catalog()).toBe(before);
    const status = await run(['status', ...lab]);
    expect([status.exitCode, status.stdout.split('\n')[0]]).toEqual([0, `Lab "${LAB}" is up: 1 manager, 3 workers.`]);
  }, 240_000);

  it('a lab stopped with swarmlab stop stays stopped', async () => {
    expect((await run(['stop', ...lab])).exitCode).toBe(0);
    expect((await engineRestart()).exitCode).toBe(0);
    await new Promise((r) => setTimeout(r, 5000));
    for (const container of [...nodes, `${LAB}-registry`]) expect([container, await state(container)]).toEqual([container, 'exited']);
    expect((await run(['start', ...lab])).exitCode).toBe(0);
    // The certificates outlive stop and start: the context reaches the lab as before.
    expect((await dockerCli(['--context', CONTEXT, 'node', 'ls', '-q'])).stdout.split('\n')).toHaveLength(4);
  }, 240_000);

  it('a node killed by chaos kill-leader stays down until heal', async () => {
    await eventually('the lab up again after start', whole, (line) => line === wholeLine, 90_000);
    const kill = await run(['chaos', 'kill-leader', ...lab]);
    expect([kill.exitCode, kill.stdout]).toEqual([0, expect.stringContaining('killed manager')]);
    expect((await engineRestart()).exitCode).toBe(0);
    await new Promise((r) => setTimeout(r, 5000));
    expect(await state(`${LAB}-manager`)).toBe('exited');
    expect(await state(`${LAB}-worker01`)).toBe('running');
    expect((await run(['chaos', 'heal', ...lab])).exitCode).toBe(0);
    await eventually('the lab whole after heal', whole, (line) => line === wholeLine, 90_000);
  }, 300_000);
});

describe('down', () => {
  it("removes the context, and puts the current one back to default when it was the lab's", async () => {
    expect((await run(['context', '--use', ...lab])).exitCode).toBe(0);
    const down = await run(['down', ...lab]);
    expect(down.stdout).toContain(`Removed the docker context ${CONTEXT}.`);
    const contexts = await dockerCli(['context', 'ls', '--format', '{{.Name}} {{.Current}}']);
    expect(contexts.stdout.split('\n')).toEqual(['default true']);
    expect(readdirSync(path.join(dir, '.swarmlab', LAB))).not.toContain('api-tls');
  }, 120_000);
});
