// Golden files: the compose file of a few specs, compared byte for byte. A change to the
// topology shows up as a readable diff. Regenerate with UPDATE_GOLDEN=1 after checking it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { buildComposeModel, escapeForCompose, type NodeSecurity, type RenderInput, renderCompose } from '../../src/plan/compose.js';
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
    expect(capable.security_opt).toEqual(['seccomp=unconfined', 'apparmor=unconfined']);
    expect(capable.environment.SWARMLAB_REMOUNT_CGROUPS).toBe('1');
  });

  it('escapes $ so compose hands the entry script over unchanged', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own ${y}, which the escape doubles.
    expect(escapeForCompose('a $x ${y} $$')).toBe('a $$x $${y} $$$$');
    const entry = buildComposeModel(input({}, { mode: 'privileged' })).services as Record<string, { entrypoint?: string[] }>;
    expect(entry.manager!.entrypoint![2]).toContain('"$$@"');
  });
});
