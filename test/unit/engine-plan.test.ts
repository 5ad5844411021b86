// The rendered compose file read as what the Engine API must create (the default launcher).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { ComposeModel } from '../../src/plan/compose.js';
import { enginePlan } from '../../src/plan/engine-plan.js';
import { REPO_ROOT } from '../repo-root.js';

const golden = (name: string) => readFileSync(path.join(REPO_ROOT, 'test', 'golden', name), 'utf8');
/** A golden file read back as the model it was rendered from. */
const model = (name: string) => parse(golden(name)) as ComposeModel;

describe('the engine plan of a compose file', () => {
  const plan = enginePlan(model('default-privileged.yaml'), 'swarmlab-swarmlab');

  it('has the network with its subnet and the node volumes, labelled as compose would', () => {
    expect(plan.network).toMatchObject({
      name: 'swarmlab-net',
      subnet: '10.210.1.0/24',
      labels: { 'dev.swarmlab.lab': 'swarmlab', 'com.docker.compose.project': 'swarmlab-swarmlab', 'com.docker.compose.network': 'lab' },
    });
    expect(plan.volumes.map((v) => v.name)).toEqual(['swarmlab-manager-data', 'swarmlab-worker01-data', 'swarmlab-worker02-data', 'swarmlab-worker03-data']);
  });

  it('starts a service after those it depends on: the registry and the manager first', () => {
    expect(plan.containers.map((c) => c.service)).toEqual(['registry', 'manager', 'worker01', 'worker02', 'worker03']);
    expect(plan.containers.find((c) => c.service === 'worker02')?.dependsOn).toEqual(['manager']);
  });

  it('gives each container its fixed address, ports, mounts and labels, with compose escapes undone', () => {
    const manager = plan.containers.find((c) => c.service === 'manager')!;
    expect(manager).toMatchObject({
      name: 'swarmlab-manager',
      hostname: 'manager',
      image: 'docker:29.7-dind',
      cgroupns: 'private',
      privileged: true,
      network: 'swarmlab-net',
      ipv4Address: '10.210.1.10',
      aliases: ['manager'],
      cmd: ['--insecure-registry', 'registry:5000'],
      labels: { 'dev.swarmlab.node': 'manager', 'com.docker.compose.service': 'manager', 'com.docker.compose.oneoff': 'False' },
    });
    expect(manager.ports).toEqual([
      { hostIp: '127.0.0.1', hostPort: 8000, containerPort: 80 },
      { hostIp: '127.0.0.1', hostPort: 9000, containerPort: 9000 },
      { hostIp: '127.0.0.1', hostPort: 2376, containerPort: 2376 },
    ]);
    expect(manager.restartPolicy).toBe('unless-stopped');
    expect(manager.binds).toEqual([
      '/labs/demo/stack:/stack',
      '/labs/demo/.swarmlab/demo/api-tls/server:/swarmlab/api-tls:ro',
      'swarmlab-manager-data:/var/lib/docker',
    ]);
    const script = manager.entrypoint![2]!;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion in the wrapper script.
    expect(script).toContain('mounts=${SWARMLAB_PROC_MOUNTS:-/proc/mounts}');
    expect(script).not.toContain('$$');
  });

  it('carries the capabilities mode as it is rendered', () => {
    const worker = enginePlan(model('three-managers-capabilities.yaml'), 'p').containers.find((c) => c.service === 'worker01')!;
    expect(worker).toMatchObject({
      privileged: false,
      capAdd: ['ALL'],
      capDrop: ['SYS_RESOURCE'],
      // systempaths=unconfined is the CLI's word; the Engine API takes empty masked and read-only paths.
      securityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
      unmaskedSystemPaths: true,
      cgroupns: 'private',
      env: { SWARMLAB_REMOUNT_CGROUPS: '1' },
    });
  });
});
