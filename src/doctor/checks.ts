// `swarmlab doctor`: each check says pass, warn or fail, and what to do about a warn or fail.
import { statfs } from 'node:fs/promises';
import { findCompose } from '../compose/compose-client.js';
import type { EngineEndpoint } from '../engine/endpoint.js';
import type { Engine, EngineInfo } from '../engine/engine.js';
import { boundPortsNear } from '../engine/host-ports.js';
import { LabError } from '../errors.js';
import { inventoryOf } from '../lab/inventory.js';
import { HOST_LIB_MOUNT, type KernelProbe, kernelProbeScript, readKernelProbe } from '../lab/kernel-probe.js';
import { hostUnavailableCapabilities, rememberPrivilegedProbe } from '../lab/node-security.js';
import { withStoppedLabsPorts } from '../lab/stopped-ports.js';
import { containerPortHolders, publishedPorts } from '../lab/up-plan.js';
import { assignHostPorts, SEARCH_SPAN } from '../plan/host-ports.js';
import { LABEL_LAB, LABEL_NODE, LABEL_ROLE } from '../plan/labels.js';
import type { ResolvedSpec } from '../spec/resolve.js';
import { runtimeProblem, SYSBOX_RUNTIME } from '../spec/validate.js';
import type { CheckResult } from './check-result.js';
import { checkImagePlatforms, readLogicalImageBuilds } from './image-platforms.js';

const GB = 1024 ** 3;

export interface DoctorInput {
  engine: Engine;
  /** Where `engine` is, and why it was chosen: the engine check says it. */
  endpoint: EngineEndpoint;
  resolved: ResolvedSpec;
}

async function checkEngine(engine: Engine, endpoint: EngineEndpoint): Promise<{ result: CheckResult; info?: EngineInfo }> {
  try {
    const info = await engine.info();
    return { info, result: { check: 'engine', status: 'pass', detail: `Docker ${info.serverVersion} answers at ${endpoint.host} (${endpoint.source})` } };
  } catch (err) {
    const problem = err instanceof LabError ? err.problem : (err as Error).message;
    const fix = (err instanceof LabError && err.fix) || 'start Docker (Docker Desktop, or the docker service: sudo systemctl start docker), or set DOCKER_HOST';
    return { result: { check: 'engine', status: 'fail', detail: problem, fix } };
  }
}

/** Compose makes the lab only with `launcher: compose`; the default needs none. */
async function checkCompose(launcher: 'api' | 'compose'): Promise<CheckResult> {
  try {
    const found = (await findCompose()).label;
    return {
      check: 'compose',
      status: 'pass',
      detail: launcher === 'compose' ? `${found} makes the lab (launcher: compose)` : `${found}; not needed: the lab is made through the Engine API`,
    };
  } catch (err) {
    if (launcher === 'api')
      return {
        check: 'compose',
        status: 'pass',
        detail: 'not found, and not needed: the lab is made through the Engine API (launcher: compose would need it)',
      };
    return {
      check: 'compose',
      status: 'fail',
      detail: 'launcher: compose, but neither docker compose (v2) nor docker-compose (v1) is found',
      fix: err instanceof LabError ? err.fix : undefined,
    };
  }
}

async function checkImages(engine: Engine, spec: ResolvedSpec['spec']): Promise<CheckResult[]> {
  return Promise.all(
    [
      ['node image', spec.nodeImage],
      ['registry image', spec.registryImage],
    ].map(async ([check, image]) =>
      (await engine.hasImage(image!))
        ? { check: check!, status: 'pass' as const, detail: `${image} is on the engine` }
        : {
            check: check!,
            status: 'warn' as const,
            detail: `${image} is not on the engine: up will pull it`,
            fix: `docker pull ${image} (where a registry is reachable), or set ${check === 'node image' ? 'SWARMLAB_NODE_IMAGE' : 'SWARMLAB_REGISTRY_IMAGE'}`,
          },
    ),
  );
}

async function checkPrivileged(engine: Engine, nodeImage: string, info: EngineInfo): Promise<CheckResult> {
  if (!(await engine.hasImage(nodeImage)))
    return { check: 'privileged', status: 'warn', detail: 'not probed: the node image is missing', fix: `docker pull ${nodeImage}` };
  const allowed = await engine.allowsPrivileged(nodeImage, { [LABEL_LAB]: 'doctor' });
  // up keeps its own answer per engine; this fresh one replaces it (an engine changed since).
  await rememberPrivilegedProbe(info, allowed);
  if (allowed) return { check: 'privileged', status: 'pass', detail: 'privileged containers are allowed' };
  const missing = await hostUnavailableCapabilities();
  return {
    check: 'privileged',
    status: 'warn',
    detail: `the engine refuses --privileged (the host lacks ${missing.join(', ') || 'a capability'}): up runs nodes in the capabilities mode`,
    fix: 'nothing to do: labs work in that mode; privileged needs a host that grants every capability',
  };
}

/** IPVS, VXLAN and netem, seen from inside a container of the node image (its kernel is the host's). */
async function checkKernel(engine: Engine, nodeImage: string): Promise<CheckResult[]> {
  if (!(await engine.hasImage(nodeImage)))
    return [{ check: 'ipvs, vxlan, netem', status: 'warn', detail: 'not probed: the node image is missing', fix: `docker pull ${nodeImage}` }];
  const options = { capAdd: ['NET_ADMIN'], labels: { [LABEL_LAB]: 'doctor' } };
  // The host's /lib tells a module not loaded from none. Docker Desktop refuses binds of paths
  // it does not share from the Mac: the probe then goes without (its kernel has IPVS built in).
  const out = await engine
    .probe(nodeImage, kernelProbeScript(), { ...options, binds: [`/lib:${HOST_LIB_MOUNT}:ro`] })
    .catch(() => engine.probe(nodeImage, kernelProbeScript(), options));
  return kernelChecks(readKernelProbe(out.stdout), nodeImage);
}

/** What the probe found, as doctor's lines: the kernel blamed only where the kernel said no. */
export function kernelChecks(probe: KernelProbe, nodeImage: string): CheckResult[] {
  const ipvs: CheckResult =
    probe.ipvs === 'present'
      ? { check: 'ipvs', status: 'pass', detail: 'the kernel has IPVS: routing mesh and VIP endpoints work' }
      : probe.ipvs === 'module'
        ? {
            check: 'ipvs',
            status: 'warn',
            detail: 'the kernel has IPVS as a module, not loaded: until it is, the routing mesh and VIP endpoints do not work in labs',
            fix: 'on the engine host: sudo modprobe ip_vs (echo ip_vs | sudo tee /etc/modules-load.d/ipvs.conf keeps it loaded)',
          }
        : {
            check: 'ipvs',
            status: 'warn',
            detail: 'the kernel has no IPVS: the routing mesh and VIP endpoints do not work in labs',
            fix: 'in stack files use deploy.endpoint_mode: dnsrr and ports with mode: host',
          };
  const vxlan: CheckResult =
    probe.vxlan.state === 'yes'
      ? { check: 'vxlan', status: 'pass', detail: 'the kernel has VXLAN: overlay networks span nodes' }
      : probe.vxlan.state === 'no'
        ? {
            check: 'vxlan',
            status: 'fail',
            detail: `the kernel has no VXLAN (${probe.vxlan.why}): overlay networks cannot span nodes`,
            fix: 'use a kernel with the vxlan module (modprobe vxlan)',
          }
        : {
            check: 'vxlan',
            status: 'warn',
            detail:
              probe.vxlan.state === 'no-tool'
                ? `not probed: ${nodeImage} has no ip command`
                : `could not tell whether the kernel has VXLAN (${probe.vxlan.why})`,
            fix: 'swarmlab up, then swarmlab docker network create -d overlay probe: overlay networks need it',
          };
  const netem: CheckResult =
    probe.netem.state === 'yes'
      ? { check: 'netem', status: 'pass', detail: 'the kernel has netem: swarmlab chaos slow works' }
      : probe.netem.state === 'no-tool'
        ? {
            check: 'netem',
            status: 'warn',
            detail: `${nodeImage} has no tc (Alpine's busybox is built without it): chaos slow runs tc from another image; the other drills work`,
            fix: 'swarmlab chaos slow <node> --tc-image <an image with iproute2, e.g. nicolaka/netshoot>',
          }
        : probe.netem.state === 'no'
          ? {
              check: 'netem',
              status: 'warn',
              detail: `the kernel has no netem (${probe.netem.why}): swarmlab chaos slow refuses; the other drills work`,
              fix: 'load the sch_netem module on the host (modprobe sch_netem)',
            }
          : {
              check: 'netem',
              status: 'warn',
              detail: `could not tell whether the kernel has netem (${probe.netem.why}): chaos slow may refuse`,
              fix: 'swarmlab chaos slow <node> says why when it refuses',
            };
  return [ipvs, vxlan, netem];
}

/** "lab swarmlab's registry", "lab web's manager": a port swarmlab's own labs hold, said as theirs. */
export function labPortHolder(labels: Record<string, string>): string | undefined {
  const lab = labels[LABEL_LAB];
  if (!lab) return undefined;
  return `lab ${lab}'s ${labels[LABEL_ROLE] === 'registry' ? 'registry' : (labels[LABEL_NODE] ?? 'container')}`;
}

async function checkPorts(engine: Engine, resolved: ResolvedSpec): Promise<CheckResult> {
  const { spec } = resolved;
  const containers = await withStoppedLabsPorts(engine, await engine.listContainers({}), spec.name);
  const others = containers.filter((c) => c.labels[LABEL_LAB] !== spec.name);
  // The lab's own ports, when it is up: its own, not in the way.
  const own = new Map<number, string>();
  for (const c of containers.filter((c) => c.labels[LABEL_LAB] === spec.name)) for (const p of c.ports) own.set(p.hostPort, labPortHolder(c.labels)!);
  const byContainer = new Map<string, string | undefined>(others.map((c) => [`container ${c.name}`, labPortHolder(c.labels)]));
  const byPort = containerPortHolders(spec.bindAddress, others);
  const wanted = [spec.registryPort, spec.apiPort, ...spec.ports.map((p) => p.host)];
  const bound = await boundPortsNear(spec.bindAddress, wanted, SEARCH_SPAN, (port) => own.has(port) || byPort.has(port));
  const assignment = assignHostPorts(spec, {
    chosen: resolved.chosen,
    nameOf: resolved.nameOf,
    holderOf: (port) => {
      if (own.has(port)) return undefined;
      const held = byPort.get(port) ?? (bound.has(port) ? 'another program' : undefined);
      return held ? (byContainer.get(held) ?? held) : undefined;
    },
    // A lab that is up keeps the ports it has: its spec's defaults may have moved when it came up.
    existing: publishedPorts(
      inventoryOf(
        spec.name,
        containers.filter((c) => c.labels[LABEL_LAB] === spec.name),
      ),
    ),
  });
  if (assignment.problems.length > 0) {
    return { check: 'ports', status: 'fail', detail: assignment.problems.map((p) => `${p.field}: ${p.problem}`).join('; '), fix: assignment.problems[0]!.fix };
  }
  const assigned = [assignment.spec.registryPort, assignment.spec.apiPort, ...assignment.spec.ports.map((p) => p.host)];
  const ownLine = assigned.filter((p) => own.has(p)).map((p) => `${p}: ${own.get(p)}`);
  const free = assigned.filter((p) => !own.has(p));
  const ports = [...ownLine, ...(free.length > 0 ? [`${free.join(', ')} free`] : [])].join('; ');
  if (assignment.moves.length > 0)
    return {
      check: 'ports',
      status: 'warn',
      detail: `taken defaults will move: ${assignment.moves.join('; ')}`,
      fix: 'nothing to do, or set the ports in swarmlab.yaml',
    };
  return { check: 'ports', status: 'pass', detail: free.length === assigned.length ? `${ports} on ${spec.bindAddress}` : `${ports} (on ${spec.bindAddress})` };
}

async function checkDisk(info: EngineInfo): Promise<CheckResult> {
  try {
    const fs = await statfs(info.dockerRootDir);
    const free = (fs.bavail * fs.bsize) / GB;
    const detail = `${free.toFixed(1)} GiB free under ${info.dockerRootDir}`;
    if (free < 1) return { check: 'disk', status: 'fail', detail, fix: 'free disk space (docker system prune removes unused images and volumes)' };
    if (free < 5) return { check: 'disk', status: 'warn', detail, fix: 'each node needs some hundreds of MB: free space before large labs' };
    return { check: 'disk', status: 'pass', detail };
  } catch {
    return {
      check: 'disk',
      status: 'warn',
      detail: `cannot read ${info.dockerRootDir} from here (a remote engine?)`,
      fix: 'check free space on the engine host',
    };
  }
}

/**
 * What the nodes will do with the host's cgroups. Privileged nodes get writable cgroups from
 * the engine. In the capabilities mode the entry wrapper re-mounts v1 hierarchies (proven by
 * this project's CI, a v1 host), or re-mounts v2 and nests itself as kind does (tested against
 * a v2 mounts table only: no v2 host runs the CI), so a v2 host without --privileged is a warn.
 */
export function checkCgroup(version: string, privileged: boolean): CheckResult {
  if (privileged) return { check: 'cgroup', status: 'pass', detail: `cgroup v${version}: privileged nodes get writable cgroups` };
  if (version === '1') return { check: 'cgroup', status: 'pass', detail: 'cgroup v1: nodes re-mount every hierarchy read-write (the capabilities mode)' };
  return {
    check: 'cgroup',
    status: 'warn',
    detail: `cgroup v${version} without --privileged: nodes re-mount it read-write and nest their entry process as kind's nodes do; swarmlab's own CI cannot try this mode on a v2 host`,
    fix: 'if containers fail to start inside the nodes, allow --privileged on this engine (swarmlab doctor then passes)',
  };
}

/**
 * Whether the engine has Sysbox's runtime, under which nodes run unprivileged. Its absence is
 * no failure (nodes run privileged, else in the capabilities mode); a runtime the lab asks for
 * and the engine lacks is, since up refuses it. Pure.
 */
export function checkRuntime(engineRuntimes: string[], runtime: string | undefined, field: string): CheckResult {
  if (runtime !== undefined) {
    const missing = runtimeProblem(runtime, engineRuntimes, field);
    if (missing) return { check: 'runtime', status: 'fail', detail: `${field}: ${missing.problem}`, fix: missing.fix };
    return { check: 'runtime', status: 'pass', detail: `nodes run unprivileged under ${runtime} (${field})` };
  }
  if (engineRuntimes.includes(SYSBOX_RUNTIME))
    return {
      check: 'runtime',
      status: 'pass',
      detail: `${SYSBOX_RUNTIME} is installed: up --runtime ${SYSBOX_RUNTIME} (class up --runtime, runtime: in swarmlab.yaml) runs nodes unprivileged`,
    };
  return {
    check: 'runtime',
    status: 'pass',
    detail: `${SYSBOX_RUNTIME} is not installed (nothing needs it): nodes run privileged or with capabilities; with Sysbox installed, --runtime ${SYSBOX_RUNTIME} runs them unprivileged`,
  };
}

export async function runChecks({ engine, endpoint, resolved }: DoctorInput): Promise<CheckResult[]> {
  const { result, info } = await checkEngine(engine, endpoint);
  const compose = await checkCompose(resolved.spec.launcher);
  if (!info) return [result, compose];
  const [images, builds, privileged, kernel, ports, disk] = await Promise.all([
    checkImages(engine, resolved.spec),
    readLogicalImageBuilds(engine, resolved.spec.images),
    checkPrivileged(engine, resolved.spec.nodeImage, info),
    checkKernel(engine, resolved.spec.nodeImage),
    checkPorts(engine, resolved),
    checkDisk(info),
  ]);
  const runtime = checkRuntime(info.runtimes, resolved.spec.runtime, resolved.nameOf('runtime'));
  const cgroup = checkCgroup(info.cgroupVersion, privileged.status === 'pass');
  return [result, compose, cgroup, privileged, runtime, ...kernel, ports, disk, ...images, checkImagePlatforms(info, builds)];
}
