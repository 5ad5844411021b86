// The kernel probe doctor runs in the node image: its script under busybox sh (docker:dind is
// Alpine) and what its answers mean. The kernel is blamed only where the kernel said no.
import { execFileSync } from 'node:child_process';
import { kernelChecks } from '../../src/doctor/checks.js';
import { kernelProbeScript, readKernelProbe } from '../../src/lab/kernel-probe.js';

describe('the kernel probe', () => {
  it('is a script busybox sh and dash both parse', () => {
    for (const shell of [['busybox', 'sh'], ['dash']]) {
      expect(() => execFileSync(shell[0]!, [...shell.slice(1), '-n', '-c', kernelProbeScript()])).not.toThrow();
    }
  });

  it('reads a kernel with everything', () => {
    expect(readKernelProbe('ipvs=present\nvxlan=ok\nnetem=ok\n')).toEqual({ ipvs: 'present', vxlan: { state: 'yes' }, netem: { state: 'yes' } });
  });

  it("tells the kernel's no from the image's missing tool (Alpine's busybox has no tc)", () => {
    const probe = readKernelProbe('ipvs=absent\nvxlan=ok\nnetem=no-tool\n');
    expect(probe.netem).toEqual({ state: 'no-tool', tool: 'tc' });
    const [, , netem] = kernelChecks(probe, 'docker:29.7-dind');
    expect(netem).toMatchObject({ status: 'warn', detail: expect.stringContaining('docker:29.7-dind has no tc') });
    expect(netem!.detail).not.toContain('kernel');
    expect(netem!.fix).toContain('--tc-image');
  });

  it("reads the kernel's own refusals, from iproute2 and from busybox", () => {
    const iproute2 = readKernelProbe('ipvs=absent\nvxlan=err:Error: Unknown device type.\nnetem=err:Error: Specified qdisc kind is unknown.\n');
    expect(iproute2.vxlan).toEqual({ state: 'no', why: 'Error: Unknown device type.' });
    expect(iproute2.netem.state).toBe('no');
    const busybox = readKernelProbe('ipvs=absent\nvxlan=err:ip: RTNETLINK answers: Operation not supported\nnetem=ok\n');
    expect(busybox.vxlan.state).toBe('no');
    const [, vxlan, netem] = kernelChecks(iproute2, 'n');
    expect(vxlan).toMatchObject({ check: 'vxlan', status: 'fail' });
    expect(netem).toMatchObject({ status: 'warn', detail: expect.stringContaining('the kernel has no netem') });
  });

  it('says it could not tell, rather than blame the kernel, for an answer it does not know', () => {
    const probe = readKernelProbe('ipvs=absent\nvxlan=err:ip: either "dev" is duplicate, or "id" is garbage\nnetem=err:Permission denied\n');
    expect(probe.vxlan.state).toBe('unknown');
    const [, vxlan, netem] = kernelChecks(probe, 'n');
    expect(vxlan).toMatchObject({ status: 'warn', detail: expect.stringContaining('could not tell') });
    expect(netem!.detail).toContain('could not tell');
    expect(readKernelProbe('').vxlan).toEqual({ state: 'unknown', why: 'the probe did not finish' });
  });

  it('judges IPVS by whether the kernel can have it: a module not loaded is not "no IPVS"', () => {
    const [loaded] = kernelChecks(readKernelProbe('ipvs=present\n'), 'n');
    expect(loaded).toMatchObject({ status: 'pass' });
    const [module] = kernelChecks(readKernelProbe('ipvs=module\n'), 'n');
    expect(module).toMatchObject({ status: 'warn', fix: expect.stringContaining('modprobe ip_vs') });
    expect(module!.detail).toContain('as a module, not loaded');
    const [none] = kernelChecks(readKernelProbe('ipvs=absent\n'), 'n');
    expect(none!.fix).toContain('dnsrr');
  });

  it('finds ip_vs among the modules of the running kernel, as a module or built in', () => {
    const script = kernelProbeScript().split('\n')[0]!;
    expect(script).toContain('/modules/$(uname -r)/modules.dep');
    expect(script).toContain('modules.builtin');
    expect(script).toContain("'/ip_vs\\.ko'");
  });
});
