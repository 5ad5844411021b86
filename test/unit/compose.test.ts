// Golden files: the compose file of a few specs, compared byte for byte. A change to the
// topology shows up as a readable diff. Regenerate with UPDATE_GOLDEN=1 after checking it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { buildComposeModel, escapeForCompose, forComposeV1, type NodeSecurity, type RenderInput, renderCompose } from '../../src/plan/compose.js';
import { planTopology } from '../../src/plan/topology.js';
import { defaultSpec } from '../../src/spec/defaults.js';
import type { LabSpec } from '../../src/spec/types.js';
import { REPO_ROOT } from '../repo-root.js';

const ROOT = REPO_ROOT;
const GOLDEN = path.join(ROOT, 'test', 'golden');

function input(spec: Partial<LabSpec>, security: NodeSecurity): RenderInput {
  return {
    topology: planTopology({ ...defaultSpec({}), ...spec }),
    security,
    templateText: readFileSync(path.join(ROOT, 'templates', 'compose.yaml'), 'utf8'),
    entryScript: readFileSync(path.join(ROOT, 'templates', 'node-entry.sh'), 'utf8'),
    registryDataDir: '/labs/demo/registry-data',
    stackDir: '/labs/demo/stack',
    apiTlsServerDir: '/labs/demo/.swarmlab/demo/api-tls/server',
  };
}

const CASES: [string, Partial<LabSpec>, NodeSecurity][] = [
  ['default-privileged', {}, { mode: 'privileged' }],
  ['three-managers-capabilities', { name: 'ha', managers: 3, workers: 2, ports: [] }, { mode: 'capabilities', unavailableCapabilities: ['SYS_RESOURCE'] }],
];

describe('rendered compose file', () => {
  it.each(CASES)('%s matches its golden file', (name, spec, security) => {
    const rendered = renderCompose(input(spec, security));
    const file = path.join(GOLDEN, `${name}.yaml`);
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, rendered);
    expect(rendered).toBe(readFileSync(file, 'utf8'));
  });

  // A parsed compose file, read field by field in the assertions below.
  // biome-ignore lint/suspicious/noExplicitAny: the assertions themselves check the shape.
  type ComposeSection = Record<string, any>;
  const model = (spec: Partial<LabSpec>, security: NodeSecurity = { mode: 'privileged' }) =>
    parse(renderCompose(input(spec, security))) as { services: ComposeSection; volumes: ComposeSection; networks: ComposeSection };

  it("keeps the seeds' topology: registry-data, /stack on managers, one data volume per node", () => {
    const m = model({ managers: 3, workers: 2 });
    expect(Object.keys(m.services)).toEqual(['registry', 'manager', 'manager02', 'manager03', 'worker01', 'worker02']);
    expect(m.services.registry.volumes).toEqual(['/labs/demo/registry-data:/var/lib/registry']);
    for (const name of ['manager', 'manager02', 'manager03']) expect(m.services[name].volumes).toContain('/labs/demo/stack:/stack');
    expect(m.services.worker01.volumes).toEqual(['worker01-data:/var/lib/docker']);
    expect(m.volumes['worker01-data'].name).toBe('swarmlab-worker01-data');
  });

  it('names each node by hostname and trusts exactly registry:5000', () => {
    const m = model({ workers: 1 });
    expect(m.services.worker01.hostname).toBe('worker01');
    expect(m.services.worker01.command).toEqual(['--insecure-registry', 'registry:5000']);
  });

  it('labels every container, network and volume with the lab', () => {
    const m = model({ name: 'demo', workers: 2 });
    for (const service of Object.values(m.services)) expect(service.labels['dev.swarmlab.lab']).toBe('demo');
    for (const volume of Object.values(m.volumes)) expect(volume.labels['dev.swarmlab.lab']).toBe('demo');
    expect(m.networks.lab.labels['dev.swarmlab.lab']).toBe('demo');
  });

  it("publishes ports on the bind address only, from the first manager; every manager's Engine API on 127.0.0.1 only", () => {
    const m = model({ managers: 3, bindAddress: '0.0.0.0', registryPort: 5001, apiPort: 2400 });
    expect(m.services.registry.ports).toEqual(['0.0.0.0:5001:5000']);
    expect(m.services.manager.ports).toEqual(['0.0.0.0:8000:80', '0.0.0.0:9000:9000', '127.0.0.1:2400:2376']);
    expect(m.services.manager02.ports).toEqual(['127.0.0.1::2376']);
    expect(m.services.worker01.ports).toBeUndefined();
  });

  it("gives managers, and only managers, the API's certificates read-only; every container comes back after an engine restart", () => {
    const m = model({ managers: 3, workers: 1 });
    const tls = (service: { volumes: string[] }) => service.volumes.filter((v) => v.endsWith(':/swarmlab/api-tls:ro'));
    expect(tls(m.services.manager)).toEqual(['/labs/demo/.swarmlab/demo/api-tls/server:/swarmlab/api-tls:ro']);
    expect(tls(m.services.manager03)).toHaveLength(1);
    expect(tls(m.services.worker01)).toEqual([]);
    for (const service of Object.values(m.services)) expect(service.restart).toBe('unless-stopped');
  });

  it('runs nodes privileged, or with capabilities and the cgroup remount when the engine refuses', () => {
    const privileged = model({}, { mode: 'privileged' }).services.manager;
    expect(privileged.privileged).toBe(true);
    expect(privileged.cap_add).toBeUndefined();
    const capable = model({}, { mode: 'capabilities', unavailableCapabilities: ['SYS_RESOURCE'] }).services.manager;
    expect(capable.privileged).toBeUndefined();
    expect(capable.cap_add).toEqual(['ALL']);
    expect(capable.cap_drop).toEqual(['SYS_RESOURCE']);
    // systempaths: Docker 26+ inside writes /proc/sys/net/ipv6 for each container interface.
    expect(capable.security_opt).toEqual(['seccomp=unconfined', 'apparmor=unconfined', 'systempaths=unconfined']);
    expect(capable.environment.SWARMLAB_REMOUNT_CGROUPS).toBe('1');
  });

  it('gives every node a private cgroup namespace and Docker 29 the API minimum the course needs, in every mode', () => {
    const modes: NodeSecurity[] = [{ mode: 'privileged' }, { mode: 'capabilities', unavailableCapabilities: [] }, { mode: 'runtime', runtime: 'sysbox-runc' }];
    for (const security of modes) {
      const m = model({ managers: 3, workers: 2 }, security);
      const nodes = Object.entries(m.services).filter(([name]) => name !== 'registry');
      expect(nodes).toHaveLength(5);
      for (const [, node] of nodes) {
        expect(node.cgroup).toBe('private');
        expect(node.environment?.DOCKER_MIN_API_VERSION).toBe('1.24');
        expect(node.environment?.DOCKER_TLS_CERTDIR).toBe('');
      }
      expect(m.services.registry!.cgroup).toBeUndefined();
    }
  });

  it('leaves systempaths out of the file for Compose v1, which hands it to an engine that refuses it', () => {
    const m = model({ managers: 1, workers: 1 }, { mode: 'capabilities', unavailableCapabilities: [] });
    expect(m.services.worker01!.security_opt).toContain('systempaths=unconfined');
    expect(forComposeV1(m).services.worker01!.security_opt).toEqual(['seccomp=unconfined', 'apparmor=unconfined']);
  });

  it('leaves the cgroup key out of the file for Compose v1, which refuses keys it does not know', () => {
    const m = model({ managers: 1, workers: 1 }, { mode: 'privileged' });
    const v1 = forComposeV1(m);
    for (const service of Object.values(v1.services)) expect(service).not.toHaveProperty('cgroup');
    const { cgroup, ...rest } = m.services.manager!;
    expect(cgroup).toBe('private');
    expect(v1.services.manager).toEqual(rest);
    expect(v1.networks).toEqual(m.networks);
  });

  it('escapes $ so compose hands the entry script over unchanged', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own ${y}, which the escape doubles.
    expect(escapeForCompose('a $x ${y} $$')).toBe('a $$x $${y} $$$$');
    const entry = buildComposeModel(input({}, { mode: 'privileged' })).services as Record<string, { entrypoint?: string[] }>;
    expect(entry.manager!.entrypoint![2]).toContain('"$$@"');
  });
});
