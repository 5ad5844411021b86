// Nodes under the Sysbox runtime (runtime: sysbox-runc, up --runtime, class up --runtime): what
// is rendered and launched, how the spec takes it, and what is refused. Sysbox cannot run on
// the machine that runs these tests (its dockerd has runc only), so this is all unit tests of
// what swarmlab asks the engine for; no lab is brought up under Sysbox here.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { planClass, studentSpecFile, validateClass } from '../../src/class/plan.js';
import { readClass, writeClass } from '../../src/class/roster.js';
import { checkRuntime } from '../../src/doctor/checks.js';
import { type ComposeModel, escapeForCompose, type NodeSecurity, renderCompose } from '../../src/plan/compose.js';
import { enginePlan } from '../../src/plan/engine-plan.js';
import { planTopology } from '../../src/plan/topology.js';
import { defaultSpec } from '../../src/spec/defaults.js';
import { resolveSpec, resolveSpecDetailed } from '../../src/spec/resolve.js';
import type { LabSpec } from '../../src/spec/types.js';
import { runtimeProblem } from '../../src/spec/validate.js';
import { REPO_ROOT } from '../repo-root.js';

const SYSBOX: NodeSecurity = { mode: 'runtime', runtime: 'sysbox-runc' };

function render(spec: Partial<LabSpec>, security: NodeSecurity): string {
  return renderCompose({
    topology: planTopology({ ...defaultSpec({}), ...spec }),
    security,
    templateText: readFileSync(path.join(REPO_ROOT, 'templates', 'compose.yaml'), 'utf8'),
    entryScript: readFileSync(path.join(REPO_ROOT, 'templates', 'node-entry.sh'), 'utf8'),
    registryDataDir: '/labs/demo/registry-data',
    stackDir: '/labs/demo/stack',
    apiTlsServerDir: '/labs/demo/.swarmlab/demo/api-tls/server',
  });
}

describe('nodes under the Sysbox runtime', () => {
  const text = render({ workers: 1 }, SYSBOX);
  // biome-ignore lint/suspicious/noExplicitAny: the assertions read the parsed file field by field.
  const services = (parse(text) as { services: Record<string, any> }).services;

  it('renders runtime: sysbox-runc on every node, and nothing privileged', () => {
    expect(text.split('\n')[0]).toContain('(unprivileged nodes under sysbox-runc)');
    for (const name of ['manager', 'worker01']) {
      const node = services[name];
      expect(node.runtime).toBe('sysbox-runc');
      // Sysbox refuses --privileged; it needs no capabilities or unconfined profiles either.
      expect(node.privileged).toBeUndefined();
      expect(node.cap_add).toBeUndefined();
      expect(node.cap_drop).toBeUndefined();
      expect(node.security_opt).toBeUndefined();
      // No cgroup remount: Sysbox gives each node writable cgroups of its own.
      expect(node.environment).toEqual({ DOCKER_TLS_CERTDIR: '', DOCKER_MIN_API_VERSION: '1.24', SWARMLAB_CUTS: 'gc' });
      // The same node entry as the other modes: its remount is off unless the env asks for it.
      expect(node.entrypoint[2]).toBe(escapeForCompose(readFileSync(path.join(REPO_ROOT, 'templates', 'node-entry.sh'), 'utf8')));
    }
  });

  it('leaves the registry on the engine default runtime (it needs no privileges)', () => {
    expect(services.registry.runtime).toBeUndefined();
  });

  it('is launched through the Engine API with HostConfig.Runtime and no privileges', () => {
    const plan = enginePlan(parse(text) as ComposeModel, 'swarmlab-swarmlab');
    const manager = plan.containers.find((c) => c.service === 'manager')!;
    expect(manager).toMatchObject({ runtime: 'sysbox-runc', privileged: false, capAdd: [], capDrop: [], securityOpt: [] });
    expect(manager.env.SWARMLAB_REMOUNT_CGROUPS).toBeUndefined();
    expect(plan.containers.find((c) => c.service === 'registry')!.runtime).toBeUndefined();
  });

  it('changes nothing for a lab without a runtime: the golden file and no runtime key in the plan', () => {
    expect(render({}, { mode: 'privileged' })).toBe(readFileSync(path.join(REPO_ROOT, 'test', 'golden', 'default-privileged.yaml'), 'utf8'));
    const plan = enginePlan(parse(readFileSync(path.join(REPO_ROOT, 'test', 'golden', 'default-privileged.yaml'), 'utf8')) as ComposeModel, 'p');
    for (const c of plan.containers) expect('runtime' in c).toBe(false);
  });
});

describe('the runtime in the spec', () => {
  const resolve = (fileText: string | undefined, runtime?: string) =>
    resolveSpecDetailed({ fileText, fileLabel: 'swarmlab.yaml', flags: { runtime }, env: {} });

  it('is unset by default, read from swarmlab.yaml, and a flag wins', () => {
    expect(resolve(undefined).spec.runtime).toBeUndefined();
    const fromFile = resolve('runtime: sysbox-runc\n');
    expect(fromFile.spec.runtime).toBe('sysbox-runc');
    expect(fromFile.nameOf('runtime')).toBe('swarmlab.yaml: runtime');
    expect(resolve('runtime: sysbox-runc\n', 'sysbox-other').nameOf('runtime')).toBe('--runtime');
  });

  it('refuses a runtime that is not Sysbox, and a non-string, naming the field and the fix', () => {
    expect(() => resolveSpec({ fileText: 'runtime: runc\n', fileLabel: 'swarmlab.yaml', flags: {}, env: {} })).toThrow(
      /swarmlab\.yaml: runtime: "runc" is not a Sysbox runtime.*fix: use sysbox-runc/,
    );
    expect(() => resolveSpec({ fileText: 'runtime: 3\n', fileLabel: 'swarmlab.yaml', flags: {}, env: {} })).toThrow(
      /swarmlab\.yaml: runtime: must be a string/,
    );
  });

  it('is refused at up when the engine does not have it, in one line with the fix', () => {
    expect(runtimeProblem(undefined, ['runc'], 'runtime')).toBeUndefined();
    expect(runtimeProblem('sysbox-runc', ['runc', 'sysbox-runc'], 'swarmlab.yaml: runtime')).toBeUndefined();
    expect(runtimeProblem('sysbox-runc', ['io.containerd.runc.v2', 'runc'], 'swarmlab.yaml: runtime')).toEqual({
      field: 'swarmlab.yaml: runtime',
      problem: 'this engine has no runtime sysbox-runc (it has io.containerd.runc.v2, runc)',
      fix: "install Sysbox on the engine's host (https://github.com/nestybox/sysbox), or remove runtime from swarmlab.yaml to run nodes privileged",
    });
    expect(runtimeProblem('sysbox-runc', ['runc'], '--runtime')?.fix).toMatch(/or leave out --runtime to run nodes privileged$/);
  });
});

describe('doctor on the runtime', () => {
  it('says whether sysbox-runc is there, and is never a failure when it is not', () => {
    expect(checkRuntime(['runc'], undefined, 'runtime')).toMatchObject({ status: 'pass', detail: expect.stringContaining('sysbox-runc is not installed') });
    expect(checkRuntime(['runc', 'sysbox-runc'], undefined, 'runtime')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('sysbox-runc is installed'),
    });
  });

  it('fails only when the lab asks for a runtime the engine lacks (up would refuse it)', () => {
    expect(checkRuntime(['runc', 'sysbox-runc'], 'sysbox-runc', 'swarmlab.yaml: runtime').status).toBe('pass');
    expect(checkRuntime(['runc'], 'sysbox-runc', 'swarmlab.yaml: runtime')).toMatchObject({ status: 'fail', fix: expect.stringContaining('install Sysbox') });
  });
});

describe('class up --runtime', () => {
  const spec = { prefix: 'ws', students: 2, managers: 1, workers: 1, basePort: 20000, engines: ['default'], placement: {} };

  it("writes the runtime into each student's swarmlab.yaml, which resolves to it", () => {
    const text = studentSpecFile({ ...spec, runtime: 'sysbox-runc' }, planClass(spec)[0]!);
    expect(parse(text).runtime).toBe('sysbox-runc');
    expect(resolveSpec({ fileText: text, fileLabel: 'swarmlab.yaml', flags: {}, env: {} }).runtime).toBe('sysbox-runc');
    expect(studentSpecFile(spec, planClass(spec)[0]!)).not.toContain('runtime');
  });

  it('keeps it in class.yaml for the next class up, and refuses a runtime that is not Sysbox', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'swarmlab-class-runtime-'));
    await writeClass(dir, { ...spec, runtime: 'sysbox-runc' });
    expect((await readClass(dir))?.runtime).toBe('sysbox-runc');
    await writeClass(dir, spec);
    expect((await readClass(dir))?.runtime).toBeUndefined();
    expect(validateClass({ ...spec, runtime: 'runc' })).toEqual([expect.objectContaining({ field: '--runtime' })]);
    expect(validateClass({ ...spec, runtime: 'sysbox-runc' })).toEqual([]);
  });
});
