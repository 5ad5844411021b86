// The core lifecycle on a real engine with real dind nodes: up, a second up, status, the
// registry, render accepted by compose, down; run once per launcher (lifecycle.test.ts for the
// Engine API, lifecycle-compose.test.ts for compose).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { capturedOutputs, docker, ECHO_IMAGE, labelledObjects, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

/** `docker compose` (v2) where the docker CLI has it, else `docker-compose` (v1, this project's test host). */
async function composeCommand(): Promise<string[]> {
  return (await execa('docker', ['compose', 'version'], { reject: false })).exitCode === 0 ? ['docker', 'compose'] : ['docker-compose'];
}

export interface LifecycleOptions {
  lab: string;
  registryPort: number;
  /** Host ports of the manager's 80 and 9000. */
  webPorts: [number, number];
  launcher: 'api' | 'compose';
  /** What `up` says it made the containers with. */
  launcherLabel: RegExp;
}

export function lifecycleSuite({ lab: LAB, registryPort: REGISTRY_PORT, webPorts, launcher, launcherLabel }: LifecycleOptions): void {
  const dir = newLabDir();
  const labArgs = ['--dir', dir, '--name', LAB];

  interface StatusJson {
    lab: string;
    up: boolean;
    registry: { host: string; inCluster: string };
    nodes: { name: string; role: string; state: string; availability: string; managerStatus: string; containerState: string }[];
  }

  async function containerStarts(): Promise<string> {
    const ids = (await docker(['ps', '-aq', '--filter', `label=dev.swarmlab.lab=${LAB}`])).stdout.split('\n').filter(Boolean).sort();
    return (await docker(['inspect', '--format', '{{.Id}} {{.State.StartedAt}}', ...ids])).stdout;
  }

  beforeAll(async () => {
    await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE, ECHO_IMAGE]);
    // Another lab's ports would collide with ours; this one avoids the defaults.
    writeFileSync(
      path.join(dir, 'swarmlab.yaml'),
      `name: ${LAB}\nworkers: 3\nregistryPort: ${REGISTRY_PORT}\nports: ["${webPorts[0]}:80", "${webPorts[1]}:9000"]\nlauncher: ${launcher}\n`,
    );
    await swarmlab(['down', ...labArgs]);
  }, 60_000);

  afterAll(async () => {
    await swarmlab(['down', ...labArgs]);
  }, 60_000);

  describe(`swarmlab lifecycle (1 manager + 3 workers, launcher ${launcher})`, () => {
    let firstStarts = '';

    it('up brings 4 nodes to Ready, named manager and worker01..03', async () => {
      const up = await swarmlab(['up', '--dir', dir]);
      expect(up.stderr).toBe('');
      expect(up.exitCode).toBe(0);
      expect(up.stdout).toContain(`Lab "${LAB}" is up: 1 manager, 3 workers.`);
      expect(up.stdout).toMatch(/Form the swarm \[[\d.]+m?s\]/);
      expect(up.stdout).toMatch(launcherLabel);
      expect(up.stdout).toContain(`Registry: 127.0.0.1:${REGISTRY_PORT} from this host, registry:5000 inside the nodes.`);
      const nodeLs = await docker(['exec', `${LAB}-manager`, 'docker', 'node', 'ls', '--format', '{{.Hostname}} {{.Status}}']);
      expect(nodeLs.stdout.split('\n').sort()).toEqual(['manager Ready', 'worker01 Ready', 'worker02 Ready', 'worker03 Ready']);
      firstStarts = await containerStarts();
    }, 180_000);

    it('a second up changes nothing', async () => {
      const again = await swarmlab(['up', '--dir', dir]);
      expect(again.exitCode).toBe(0);
      expect(again.stdout).toContain('up and healthy: nothing to do');
      expect(await containerStarts()).toBe(firstStarts);
    }, 60_000);

    it('status --json matches the swarm', async () => {
      const status = await swarmlab(['status', '--json', '--dir', dir]);
      expect(status.exitCode).toBe(0);
      const parsed = JSON.parse(status.stdout) as StatusJson;
      expect(parsed.up).toBe(true);
      expect(parsed.registry).toMatchObject({ host: `127.0.0.1:${REGISTRY_PORT}`, inCluster: 'registry:5000' });
      expect(parsed.nodes.map((n) => [n.name, n.role, n.state, n.availability, n.managerStatus, n.containerState])).toEqual([
        ['manager', 'manager', 'Ready', 'Active', 'Leader', 'running'],
        ['worker01', 'worker', 'Ready', 'Active', '', 'running'],
        ['worker02', 'worker', 'Ready', 'Active', '', 'running'],
        ['worker03', 'worker', 'Ready', 'Active', '', 'running'],
      ]);
    }, 60_000);

    it('every node daemon serves the unix socket only, and trusts registry:5000', async () => {
      const info = await docker(['exec', `${LAB}-worker02`, 'docker', 'info', '--format', '{{json .RegistryConfig}}']);
      const config = JSON.parse(info.stdout) as { IndexConfigs: Record<string, { Secure: boolean }>; InsecureRegistryCIDRs: string[] };
      // Exactly registry:5000 is trusted without TLS; nothing wider than Docker's own loopback default.
      expect(
        Object.entries(config.IndexConfigs)
          .filter(([, c]) => !c.Secure)
          .map(([name]) => name),
      ).toEqual(['registry:5000']);
      expect(config.InsecureRegistryCIDRs).toEqual(['127.0.0.0/8']);
      const listening = await docker(['exec', `${LAB}-worker02`, 'sh', '-c', 'cat /proc/net/tcp /proc/net/tcp6 | awk \'$4 == "0A" {print $2}\'']);
      // 2375/2376 in hex: 0947/0948. No Docker API over TCP.
      expect(listening.stdout).not.toMatch(/:094[78]\b/i);
    }, 60_000);

    it('the registry answers on 127.0.0.1 and nodes pull what the host pushed', async () => {
      const catalog = await fetch(`http://127.0.0.1:${REGISTRY_PORT}/v2/_catalog`);
      expect(catalog.status).toBe(200);
      const hostRef = `127.0.0.1:${REGISTRY_PORT}/e2e/echo:1`;
      expect((await docker(['tag', ECHO_IMAGE, hostRef])).exitCode).toBe(0);
      const push = await docker(['push', hostRef]);
      expect(push.stderr).toBe('');
      expect(push.exitCode).toBe(0);
      const pull = await docker(['exec', `${LAB}-worker02`, 'docker', 'pull', 'registry:5000/e2e/echo:1']);
      expect(pull.exitCode).toBe(0);
      await docker(['rmi', hostRef]);
    }, 120_000);

    it('compose sees the lab as its project, whichever launcher made it', async () => {
      const compose = await composeCommand();
      // Compose v1 refuses the cgroup key of the file up wrote: its own form is rendered for it.
      let file = path.join(dir, '.swarmlab', LAB, 'compose.yaml');
      if (compose[0] === 'docker-compose') {
        file = path.join(dir, 'for-v1.yaml');
        writeFileSync(file, (await swarmlab(['render', '--dir', dir, '--compose-v1'])).stdout);
      }
      const ps = await execa(compose[0]!, [...compose.slice(1), '-p', `swarmlab-${LAB}`, '-f', file, 'ps', '--services', '--filter', 'status=running'], {
        reject: false,
      });
      expect(ps.exitCode).toBe(0);
      expect(ps.stdout.split('\n').sort()).toEqual(['manager', 'registry', 'worker01', 'worker02', 'worker03']);
    }, 60_000);

    it('shell completion offers commands, this lab by name, and its nodes', async () => {
      const complete = async (...words: string[]) => (await swarmlab(['--get-yargs-completions', 'swarmlab', ...words], { cwd: dir })).stdout.split('\n');
      expect(await complete('st')).toEqual(expect.arrayContaining(['status', 'stop', 'start']));
      expect(await complete('status', '--name', '')).toContain(LAB);
      expect(await complete('logs', '--name', LAB, '')).toEqual(['manager', 'worker01', 'worker02', 'worker03', 'registry']);
      expect(await complete('chaos', 'stop', '')).toEqual(['manager', 'worker01', 'worker02', 'worker03']);
      const script = await swarmlab(['completion']);
      expect([script.exitCode, script.stdout]).toEqual([
        0,
        expect.stringContaining('complete -o bashdefault -o default -F _swarmlab_yargs_completions swarmlab'),
      ]);
      expect((await swarmlab(['completion'], { env: { SHELL: '/bin/zsh' } })).stdout).toMatch(/^#compdef swarmlab\n/);
    });

    it('render prints a file that compose accepts (--compose-v1 for v1, which refuses the cgroup key)', async () => {
      const compose = await composeCommand();
      const v1 = compose[0] === 'docker-compose';
      const rendered = await swarmlab(['render', '--dir', dir, ...(v1 ? ['--compose-v1'] : [])]);
      expect(rendered.exitCode).toBe(0);
      expect(rendered.stdout.includes('cgroup: private')).toBe(!v1);
      const file = path.join(dir, 'rendered.yaml');
      writeFileSync(file, rendered.stdout);
      const config = await execa(compose[0]!, [...compose.slice(1), '-f', file, 'config', '--quiet'], { reject: false });
      expect(config.stderr).toBe('');
      expect(config.exitCode).toBe(0);
    }, 60_000);

    it('down removes every labelled object and keeps registry-data/', async () => {
      const down = await swarmlab(['down', '--dir', dir]);
      expect(down.exitCode).toBe(0);
      expect(await labelledObjects(LAB)).toEqual({ containers: [], networks: [], volumes: [] });
      expect(existsSync(path.join(dir, 'registry-data', 'docker', 'registry', 'v2', 'repositories', 'e2e', 'echo'))).toBe(true);
      const status = await swarmlab(['status', '--dir', dir]);
      expect(status.exitCode).toBe(1);
      const again = await swarmlab(['down', '--dir', dir]);
      expect(again.exitCode).toBe(0);
    }, 60_000);
  });

  describe(`join tokens (launcher ${launcher})`, () => {
    it('never appear in any captured output', () => {
      expect(capturedOutputs.length).toBeGreaterThan(10);
      for (const text of capturedOutputs) expect(text).not.toContain('SWMTKN');
    });

    it('never reach the compose file written to disk', () => {
      const file = path.join(dir, '.swarmlab', LAB, 'compose.yaml');
      expect(readFileSync(file, 'utf8')).not.toContain('SWMTKN');
    });
  });
}
