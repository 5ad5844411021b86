// Workloads in a lab: push, swarmlab docker, ps, deploy (converging and failing), undeploy.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { capturedOutputs, docker, ECHO_IMAGE, freshLab, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

const LAB = 'e2e-work';
const REGISTRY_PORT = 5513;
const WEB_PORT = 18100;
const dir = newLabDir();
const lab = ['--dir', dir];
const clusterRef = 'registry:5000/swarmlab/echo:offline';

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE, ECHO_IMAGE]);
  await freshLab(dir, `name: ${LAB}\nworkers: 3\nregistryPort: ${REGISTRY_PORT}\nports: ["${WEB_PORT}:80"]\n`);
}, 180_000);

afterAll(async () => {
  await swarmlab(['down', ...lab]);
}, 60_000);

describe('swarmlab push', () => {
  it('pushes a host image and names it for the cluster; worker02 pulls it', async () => {
    const push = await swarmlab(['push', ECHO_IMAGE, ...lab]);
    expect(push.exitCode).toBe(0);
    expect(push.stdout).toContain(`${ECHO_IMAGE} -> ${clusterRef} (1 layers pushed, 0 already present)`);
    const pull = await docker(['exec', `${LAB}-worker02`, 'docker', 'pull', clusterRef]);
    expect(pull.exitCode).toBe(0);
  }, 60_000);

  it('a second push finds the layers already there, and --pull warms every node', async () => {
    const again = await swarmlab(['push', ECHO_IMAGE, '--pull', ...lab]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('(0 layers pushed, 1 already present; pulled on every node)');
    for (const node of ['manager', 'worker01', 'worker03']) {
      expect((await docker(['exec', `${LAB}-${node}`, 'docker', 'image', 'inspect', clusterRef])).exitCode).toBe(0);
    }
  }, 60_000);

  it('a missing image is one line and exit 1', async () => {
    const push = await swarmlab(['push', 'swarmlab/not-here:1', ...lab]);
    expect(push.exitCode).toBe(1);
    expect(push.stderr).toMatch(/^error: image swarmlab\/not-here:1 is not on this host's engine and could not be pulled \(.+\); fix: docker pull /m);
  }, 30_000);
});

describe('swarmlab docker and swarmlab ps', () => {
  // Each block stands alone (jest -t may run it alone): the image is in the registry.
  beforeAll(async () => {
    expect((await swarmlab(['push', ECHO_IMAGE, '--pull', ...lab])).exitCode).toBe(0);
  }, 60_000);

  it('creates a service, scales it to 6, shows its tasks on named nodes, removes it', async () => {
    const create = await swarmlab(['docker', ...lab, 'service', 'create', '-d', '--replicas', '1', '--endpoint-mode', 'dnsrr', '--name', 'echo', clusterRef]);
    expect(create.exitCode).toBe(0);
    expect((await swarmlab(['docker', ...lab, 'service', 'scale', '-d', 'echo=6'])).exitCode).toBe(0);
    let tasks: { node: string; currentState: string; desiredState: string }[] = [];
    for (let i = 0; i < 60; i++) {
      const ps = await swarmlab(['ps', 'echo', '--json', ...lab]);
      tasks = (JSON.parse(ps.stdout) as { tasks: typeof tasks }).tasks.filter((t) => t.desiredState === 'Running');
      if (tasks.length === 6 && tasks.every((t) => t.currentState.startsWith('Running'))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(tasks).toHaveLength(6);
    expect(tasks.every((t) => t.currentState.startsWith('Running'))).toBe(true);
    const nodes = new Set(tasks.map((t) => t.node));
    expect(nodes.size).toBeGreaterThanOrEqual(3);
    for (const node of nodes) expect(['manager', 'worker01', 'worker02', 'worker03']).toContain(node);
    const table = await swarmlab(['ps', 'echo', ...lab]);
    expect(table.stdout).toMatch(/^NODE\s+TASK\s+DESIRED\s+CURRENT\s+ERROR$/m);
    expect(table.stdout).toMatch(/^worker0\d\s+echo\.\d+\s+Running\s+Running/m);
    expect((await swarmlab(['docker', ...lab, 'service', 'rm', 'echo'])).exitCode).toBe(0);
    expect((await swarmlab(['docker', ...lab, 'service', 'ls', '--format', '{{.Name}}'])).stdout).toBe('');
  }, 120_000);

  it('passes the exit code of the inner command through, on the manager and on --node', async () => {
    expect((await swarmlab(['docker', ...lab, 'service', 'inspect', 'no-such-service'])).exitCode).toBe(1);
    const seven = await swarmlab(['docker', ...lab, '--node', 'worker02', 'run', '--rm', '--entrypoint', 'sh', clusterRef, '-c', 'exit 7']);
    expect(seven.exitCode).toBe(7);
    const hostname = await swarmlab(['docker', ...lab, '--node', 'worker03', 'info', '--format', '{{.Name}}']);
    expect(hostname).toMatchObject({ exitCode: 0, stdout: 'worker03' });
  }, 60_000);

  it('names the real nodes when --node names none', async () => {
    const bad = await swarmlab(['docker', ...lab, '--node', 'worker09', 'ps']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toBe(`error: lab "${LAB}" has no node "worker09"; fix: use one of manager, worker01, worker02, worker03`);
  }, 30_000);
});

describe('swarmlab deploy', () => {
  // Each block stands alone (jest -t may run it alone): the image is in the registry.
  beforeAll(async () => {
    expect((await swarmlab(['push', ECHO_IMAGE, '--pull', ...lab])).exitCode).toBe(0);
  }, 60_000);

  it('deploys a proxy and an api over an external overlay network it creates; 127.0.0.1 reaches an api replica', async () => {
    const file = path.join(newLabDir(), 'webapi.yml');
    writeFileSync(
      file,
      `version: "3.7"
services:
  api:
    image: 127.0.0.1:${REGISTRY_PORT}/swarmlab/echo:offline
    deploy: {replicas: 3, endpoint_mode: dnsrr, placement: {constraints: [node.role != manager]}}
    networks: [e2eweb]
  proxy:
    image: ${clusterRef}
    environment: {BACKEND_HOST: "api:8080"}
    deploy: {replicas: 1, endpoint_mode: dnsrr, placement: {constraints: [node.role == manager]}}
    ports: [{target: 8080, published: 80, mode: host}]
    networks: [e2eweb]
networks:
  e2eweb: {external: true}
`,
    );
    const deploy = await swarmlab(['deploy', file, '--stack', 'web', ...lab]);
    expect(deploy.stderr).toBe('');
    expect(deploy.exitCode).toBe(0);
    expect(deploy.stdout).toContain(`rewrote api's image 127.0.0.1:${REGISTRY_PORT}/swarmlab/echo:offline -> ${clusterRef}`);
    expect(deploy.stdout).toContain('created overlay network e2eweb (attachable)');
    expect(deploy.stdout).toContain('web_api: 3/3 running');

    const apiContainers = new Set<string>();
    for (const worker of ['worker01', 'worker02', 'worker03']) {
      const ids = await docker(['exec', `${LAB}-${worker}`, 'docker', 'ps', '--filter', 'label=com.docker.swarm.service.name=web_api', '--format', '{{.ID}}']);
      for (const id of ids.stdout.split('\n').filter(Boolean)) apiContainers.add(id.slice(0, 12));
    }
    expect(apiContainers.size).toBe(3);
    const reply = await fetch(`http://127.0.0.1:${WEB_PORT}/cgi-bin/proxy`);
    expect(reply.status).toBe(200);
    const body = (await reply.text()).trim();
    expect(body).toMatch(/^echo from [0-9a-f]{12}$/);
    expect(apiContainers).toContain(body.replace('echo from ', ''));

    const undeploy = await swarmlab(['undeploy', 'web', ...lab]);
    expect(undeploy).toMatchObject({ exitCode: 0, stdout: `Stack "web" removed from lab "${LAB}".` });
    expect((await swarmlab(['ps', 'web', ...lab])).exitCode).toBe(1);
  }, 180_000);

  it('fails within the timeout naming the service and the task error when an image does not exist', async () => {
    const file = path.join(newLabDir(), 'broken.yml');
    writeFileSync(file, 'version: "3.7"\nservices:\n  app:\n    image: registry:5000/nope/missing:1\n    deploy: {endpoint_mode: dnsrr}\n');
    const deploy = await swarmlab(['deploy', file, '--timeout', '15', ...lab]);
    expect(deploy.exitCode).toBe(1);
    // Within 15 s the nodes refuse the task three or four times: the timeout or the same refusal ends the wait.
    expect(deploy.stderr).toMatch(
      /^error: stack broken( did not converge within 15 s$|: service broken_app cannot start: "?No such image: registry:5000\/nope\/missing:1)/m,
    );
    expect(deploy.stderr).toMatch(/No such image: registry:5000\/nope\/missing:1/);
    expect(await swarmlab(['undeploy', 'broken', ...lab])).toMatchObject({ exitCode: 0 });
  }, 120_000);

  it('gives up before its timeout on a service the nodes refuse the same way again and again, saying why', async () => {
    // The course's visualizer mistake: a bind mount of a path that does not exist.
    const file = path.join(newLabDir(), 'mount.yml');
    writeFileSync(
      file,
      `version: "3.7"\nservices:\n  app:\n    image: ${clusterRef}\n    volumes: ["/var/run/docker/sock:/var/run/docker.sock"]\n    deploy: {endpoint_mode: dnsrr}\n`,
    );
    const deploy = await swarmlab(['deploy', file, '--timeout', '600', ...lab]);
    expect(deploy.exitCode).toBe(1);
    expect(deploy.stderr).toMatch(
      /^error: stack mount: service mount_app cannot start: "?invalid mount config for type "bind": bind source path does not exist: \/var\/run\/docker\/sock"? \(\d+ attempts, each the same\); fix: correct the stack file, then swarmlab deploy again$/m,
    );
    // Each unchanged count is said once, not every half second.
    expect(deploy.stdout.split('\n').filter((l) => l.includes('mount_app 0/1')).length).toBeLessThanOrEqual(1);
    expect(await swarmlab(['undeploy', 'mount', ...lab])).toMatchObject({ exitCode: 0 });
  }, 120_000);

  it('refuses a stack file that is missing or not YAML with exit 2', async () => {
    const missing = await swarmlab(['deploy', path.join(dir, 'nothere.yml'), ...lab]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^error: STACKFILE: cannot read .*nothere\.yml \(ENOENT\); fix: /);
    const file = path.join(newLabDir(), 'junk.yml');
    writeFileSync(file, 'services: [unclosed\n');
    const junk = await swarmlab(['deploy', file, ...lab]);
    expect(junk.exitCode).toBe(2);
    expect(junk.stderr).toMatch(/not valid YAML/);
  }, 30_000);

  it('warns once, with the fix, when a stack relies on IPVS and the kernel has none', async () => {
    const kernelHasIpvs = (await docker(['exec', `${LAB}-manager`, 'test', '-e', '/proc/net/ip_vs'])).exitCode === 0;
    const file = path.join(newLabDir(), 'vip.yml');
    writeFileSync(file, `version: "3.7"\nservices:\n  app:\n    image: ${clusterRef}\n`);
    const deploy = await swarmlab(['deploy', file, '--timeout', '10', ...lab]);
    const warnings = `${deploy.stdout}\n${deploy.stderr}`.split('\n').filter((line) => line.includes('has no IPVS'));
    if (kernelHasIpvs) {
      expect(warnings).toEqual([]);
    } else {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^warning: this host's kernel has no IPVS, .*app: VIP endpoint \(set deploy\.endpoint_mode: dnsrr\)$/);
    }
    expect((await swarmlab(['undeploy', 'vip', ...lab])).exitCode).toBe(0);
  }, 90_000);

  it('never shows a join token', () => {
    for (const text of capturedOutputs) expect(text).not.toContain('SWMTKN');
  });
});
