// What the kernel offers the nodes (IPVS, VXLAN, netem), probed from a throwaway container of the
// node image, and what the probe's output means. The script is POSIX sh that busybox runs too:
// the official docker:dind image is Alpine, whose busybox has no `tc` and whose `ip` skips
// options it does not parse, so a failure is read from the kernel's own answer, never from
// whether the tool is there. Pure.

/** Where the probe container finds the engine host's /lib, read-only (the modules IPVS may be in). */
export const HOST_LIB_MOUNT = '/swarmlab-host-lib';

export type IpvsState =
  /** /proc/net/ip_vs exists: loaded or built in. */
  | 'present'
  /** Not loaded, but the kernel ships it as a module: modprobe ip_vs on the host makes it present. */
  | 'module'
  | 'absent';

export type ToolFeature = { state: 'yes' } | { state: 'no'; why: string } | { state: 'no-tool'; tool: string } | { state: 'unknown'; why: string };

export interface KernelProbe {
  ipvs: IpvsState;
  vxlan: ToolFeature;
  netem: ToolFeature;
}

/**
 * One line per feature: `ipvs=present|module|absent`, `vxlan=ok|no-tool|err:<message>`,
 * `netem=ok|no-tool|err:<message>`. The VXLAN device and the qdisc live in the probe's own
 * network namespace, gone with it.
 */
export function kernelProbeScript(): string {
  const lib = HOST_LIB_MOUNT;
  return [
    `if [ -e /proc/net/ip_vs ]; then echo ipvs=present; ` +
      `elif grep -qs '/ip_vs\\.ko' "${lib}/modules/$(uname -r)/modules.dep" "${lib}/modules/$(uname -r)/modules.builtin"; then echo ipvs=module; ` +
      `else echo ipvs=absent; fi`,
    `if command -v ip >/dev/null 2>&1; then out=$(ip link add swl-vx0 type vxlan id 42 dstport 4789 2>&1) && echo vxlan=ok || echo "vxlan=err:$(echo "$out" | tail -n1)"; else echo vxlan=no-tool; fi`,
    `if command -v tc >/dev/null 2>&1; then out=$(tc qdisc add dev lo root netem delay 1ms 2>&1) && echo netem=ok || echo "netem=err:$(echo "$out" | tail -n1)"; else echo netem=no-tool; fi`,
  ].join('\n');
}

/**
 * The kernel's answers that mean "no such kind": iproute2 says "Unknown device type" or
 * "Specified qdisc kind is unknown", busybox passes on the kernel's EOPNOTSUPP or ENOENT.
 */
const KIND_MISSING = /unknown device type|operation not supported|qdisc kind is unknown|no such file or directory|unknown qdisc/i;

function readTool(value: string | undefined, tool: string): ToolFeature {
  if (value === undefined) return { state: 'unknown', why: 'the probe did not finish' };
  if (value === 'ok') return { state: 'yes' };
  if (value === 'no-tool') return { state: 'no-tool', tool };
  const why = value.replace(/^err:/, '').trim();
  return KIND_MISSING.test(why) ? { state: 'no', why } : { state: 'unknown', why };
}

export function readKernelProbe(output: string): KernelProbe {
  const values = new Map<string, string>();
  for (const line of output.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  const ipvs = values.get('ipvs');
  return {
    ipvs: ipvs === 'present' || ipvs === 'module' ? ipvs : 'absent',
    vxlan: readTool(values.get('vxlan'), 'ip'),
    netem: readTool(values.get('netem'), 'tc'),
  };
}
