// Engine implementation over dockerode (the Docker Engine API). The only module importing dockerode.

import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { LabError } from '../errors.js';
import { describeSystemError } from '../system-errors.js';
import { Limiter } from '../wait/limiter.js';
import type { EngineEndpoint } from './endpoint.js';
import type {
  ContainerInfo,
  ContainerSpec,
  Engine,
  EngineInfo,
  ExecOptions,
  ExecResult,
  NamedObject,
  NetworkSpec,
  ProbeOptions,
  TtyExec,
  VolumeSpec,
} from './engine.js';
import { translatingErrors } from './engine-errors.js';
import { tarArchive } from './tar.js';

function labelFilter(labels: Record<string, string>): string {
  return JSON.stringify({ label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) });
}

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

/** Runs an action that may find its work already done: 404 (gone) or 304 (already in that state). */
async function ignoreStatus(action: Promise<unknown>, status: 404 | 304 | 409): Promise<void> {
  try {
    await action;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== status) throw err;
  }
}

const ignoreNotFound = (action: Promise<unknown>) => ignoreStatus(action, 404);

/** A container's output so far (no follow), its stdout and stderr frames merged. */
async function readLogs(container: Docker.Container, options: { tail?: number; since?: number } = {}): Promise<string> {
  const buffer = (await container.logs({ stdout: true, stderr: true, follow: false, ...options })) as unknown as Buffer;
  return demuxBuffer(buffer);
}

/** Collects a demultiplexed exec stream into two strings. */
function collect(docker: Docker, stream: NodeJS.ReadableStream): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const out = new PassThrough();
    const err = new PassThrough();
    const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    out.on('data', (c: Buffer) => chunks.stdout.push(c));
    err.on('data', (c: Buffer) => chunks.stderr.push(c));
    docker.modem.demuxStream(stream, out, err);
    const done = () => resolve({ stdout: Buffer.concat(chunks.stdout).toString('utf8'), stderr: Buffer.concat(chunks.stderr).toString('utf8') });
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', reject);
  });
}

/** dockerode's connection for an endpoint (unix socket, tcp with its TLS files, ssh). */
export function dockerodeOptions(endpoint: EngineEndpoint): Docker.DockerOptions {
  const url = new URL(endpoint.host);
  if (url.protocol === 'unix:') return { socketPath: endpoint.host.slice('unix://'.length) };
  if (url.protocol === 'ssh:') return { protocol: 'ssh', host: url.hostname, port: Number(url.port || 22), username: url.username || undefined };
  const read = (file?: string) => (file ? readFileSync(file) : undefined);
  const tls = endpoint.tls;
  return {
    protocol: tls ? 'https' : 'http',
    host: url.hostname,
    port: Number(url.port || (tls ? 2376 : 2375)),
    ...(tls ? { ca: read(tls.caFile), cert: read(tls.certFile), key: read(tls.keyFile) } : {}),
  };
}

export class DockerEngine implements Engine {
  /**
   * Containers being removed at once on this engine. Removal is mostly the engine's and the
   * kernel's serial work (network namespaces and links torn down), and a flood of requests slows
   * it: measured on 2 cores, `class down` of 24 labs (120 dind containers) took 19.3 s all at
   * once, 13.2 s twelve at a time (12.6 s six, 13.7 s three); down of one 1+20 lab is the same
   * all at once or eleven at a time (2.9-3.6 s) and slower six at a time (3.4 s).
   */
  private readonly removals = new Limiter(12);

  /** Without an endpoint: the engine of this process (DOCKER_HOST, set from the docker CLI's choice at start-up). */
  constructor(private readonly docker: Docker = new Docker()) {
    // docker-modem makes an ssh:// engine's request paths with url.parse, which Node flags
    // (DEP0170, "The URL ssh:... is invalid") on the first request of every command: lines on
    // stderr beside our one error line, about a dependency, that a user can do nothing about.
    if ((docker.modem as { protocol?: string }).protocol === 'ssh') process.noDeprecation = true;
    // Every failure leaves as an EngineError (engine-errors.ts): one translation, at the edge.
    // biome-ignore lint/correctness/noConstructorReturn: the proxy is this engine, its errors translated.
    return translatingErrors(this);
  }

  /** An engine other than this process's: a class spread over several. */
  static at(endpoint: EngineEndpoint): DockerEngine {
    return new DockerEngine(new Docker(dockerodeOptions(endpoint)));
  }

  async info(): Promise<EngineInfo> {
    try {
      const info = await this.docker.info();
      return {
        id: info.ID,
        systemTime: new Date(info.SystemTime),
        serverVersion: info.ServerVersion,
        cgroupVersion: String(info.CgroupVersion ?? '1'),
        memTotal: Number(info.MemTotal ?? 0),
        dockerRootDir: info.DockerRootDir,
        runtimes: Object.keys(info.Runtimes ?? {}),
        architecture: info.Architecture ?? '',
        operatingSystem: info.OperatingSystem ?? '',
      };
    } catch (err) {
      const system = describeSystemError(err);
      throw new LabError(`cannot reach the Docker engine (${system?.problem ?? (err as Error).message})`, {
        fix: system?.fix ?? 'start Docker (Docker Desktop, or the docker service: sudo systemctl start docker), or set DOCKER_HOST',
      });
    }
  }

  async listContainers(labels: Record<string, string>): Promise<ContainerInfo[]> {
    const list = await this.docker.listContainers({ all: true, filters: labelFilter(labels) });
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      state: c.State,
      image: c.Image,
      labels: c.Labels ?? {},
      ports: (c.Ports ?? [])
        .filter((p) => p.PublicPort !== undefined)
        .map((p) => ({ containerPort: p.PrivatePort, hostIp: p.IP ?? '', hostPort: p.PublicPort })),
      networks: Object.keys(c.NetworkSettings?.Networks ?? {}),
    }));
  }

  async listNetworks(labels: Record<string, string>): Promise<NamedObject[]> {
    const list = await this.docker.listNetworks({ filters: labelFilter(labels) });
    return list.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} }));
  }

  async networkSubnets(): Promise<(NamedObject & { subnets: string[] })[]> {
    const list = await this.docker.listNetworks();
    return list.map((n) => ({
      id: n.Id,
      name: n.Name,
      labels: n.Labels ?? {},
      subnets: (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((x): x is string => typeof x === 'string'),
    }));
  }

  async listVolumes(labels: Record<string, string>): Promise<NamedObject[]> {
    const list = await this.docker.listVolumes({ filters: labelFilter(labels) });
    return (list.Volumes ?? []).map((v) => ({ id: v.Name, name: v.Name, labels: v.Labels ?? {} }));
  }

  removeContainer(id: string): Promise<void> {
    return this.removals.run(() => ignoreNotFound(this.docker.getContainer(id).remove({ force: true, v: true })));
  }

  startContainer(id: string): Promise<void> {
    return ignoreStatus(this.docker.getContainer(id).start(), 304); // 304: already running
  }

  stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    return ignoreStatus(this.docker.getContainer(id).stop({ t: timeoutSeconds }), 304); // 304: already stopped
  }

  async createNetwork(spec: NetworkSpec): Promise<void> {
    await this.docker.createNetwork({
      Name: spec.name,
      Driver: 'bridge',
      Labels: spec.labels,
      CheckDuplicate: true,
      IPAM: { Driver: 'default', Config: [{ Subnet: spec.subnet }] },
    });
  }

  async createVolume(spec: VolumeSpec): Promise<void> {
    await this.docker.createVolume({ Name: spec.name, Labels: spec.labels });
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const portKey = (p: { containerPort: number }) => `${p.containerPort}/tcp`;
    const container = await this.docker.createContainer({
      name: spec.name,
      Image: spec.image,
      Hostname: spec.hostname,
      Labels: spec.labels,
      Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
      Entrypoint: spec.entrypoint,
      Cmd: spec.cmd,
      ExposedPorts: Object.fromEntries(spec.ports.map((p) => [portKey(p), {}])),
      HostConfig: {
        Privileged: spec.privileged,
        CapAdd: spec.capAdd,
        CapDrop: spec.capDrop,
        SecurityOpt: spec.securityOpt,
        ...(spec.cgroupns ? { CgroupnsMode: spec.cgroupns } : {}),
        ...(spec.unmaskedSystemPaths ? { MaskedPaths: [], ReadonlyPaths: [] } : {}),
        Runtime: spec.runtime,
        Binds: spec.binds,
        PortBindings: Object.fromEntries(spec.ports.map((p) => [portKey(p), [{ HostIp: p.hostIp, HostPort: p.hostPort === 0 ? '' : String(p.hostPort) }]])),
        NetworkMode: spec.network,
        ...(spec.restartPolicy ? { RestartPolicy: { Name: spec.restartPolicy } } : {}),
      },
      // The default bridge takes neither a fixed address nor aliases.
      NetworkingConfig:
        spec.ipv4Address === undefined
          ? undefined
          : { EndpointsConfig: { [spec.network]: { IPAMConfig: { IPv4Address: spec.ipv4Address }, Aliases: spec.aliases } } },
    });
    return container.id;
  }

  async connectNetwork(network: string, container: string, endpoint: { ipv4Address: string; aliases: string[] }): Promise<void> {
    await this.docker
      .getNetwork(network)
      .connect({ Container: container, EndpointConfig: { IPAMConfig: { IPv4Address: endpoint.ipv4Address }, Aliases: endpoint.aliases } });
  }

  disconnectNetwork(network: string, container: string): Promise<void> {
    return ignoreNotFound(this.docker.getNetwork(network).disconnect({ Container: container, Force: true }));
  }

  async volumeSize(name: string): Promise<number | undefined> {
    const usage = (await this.docker.df()) as { Volumes?: { Name: string; UsageData?: { Size: number } }[] };
    const size = usage.Volumes?.find((v) => v.Name === name)?.UsageData?.Size;
    return size === undefined || size < 0 ? undefined : size;
  }

  killContainer(id: string): Promise<void> {
    return ignoreStatus(this.docker.getContainer(id).kill(), 409); // 409: not running
  }

  async pauseContainer(id: string): Promise<void> {
    await this.docker.getContainer(id).pause();
  }

  unpauseContainer(id: string): Promise<void> {
    return ignoreStatus(this.docker.getContainer(id).unpause(), 409); // 409: not paused
  }

  removeNetwork(id: string): Promise<void> {
    return ignoreNotFound(this.docker.getNetwork(id).remove());
  }

  removeVolume(name: string): Promise<void> {
    return ignoreNotFound(this.docker.getVolume(name).remove());
  }

  async exec(container: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const withStdin = options.stdin !== undefined;
    const exec = await this.docker.getContainer(container).exec({
      Cmd: argv,
      AttachStdin: withStdin,
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: withStdin, stdin: withStdin });
    const output = collect(this.docker, stream);
    if (withStdin) (stream as NodeJS.WritableStream).write(options.stdin!);
    const { stdout, stderr } = await output;
    const inspected = await exec.inspect();
    return { exitCode: inspected.ExitCode ?? -1, stdout, stderr };
  }

  async execTty(container: string, argv: string[], options: { env: Record<string, string>; cols: number; rows: number }): Promise<TtyExec> {
    const exec = await this.docker.getContainer(container).exec({
      Cmd: argv,
      Env: Object.entries(options.env).map(([k, v]) => `${k}=${v}`),
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      ConsoleSize: [options.rows, options.cols],
    } as Docker.ExecCreateOptions);
    const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as NodeJS.ReadWriteStream & { destroy(): void };
    return {
      output: stream,
      write: (data) => stream.write(data),
      resize: async (cols, rows) => {
        await exec.resize({ h: rows, w: cols });
      },
      close: () => stream.destroy(),
    };
  }

  async logTail(container: string, lines: number): Promise<string> {
    try {
      return await readLogs(this.docker.getContainer(container), { tail: lines });
    } catch (err) {
      return `(no logs: ${(err as Error).message})`;
    }
  }

  async portBindings(container: string): Promise<ContainerInfo['ports']> {
    try {
      const bindings = (await this.docker.getContainer(container).inspect()).HostConfig.PortBindings as Record<
        string,
        { HostIp?: string; HostPort?: string }[] | null
      >;
      return Object.entries(bindings ?? {}).flatMap(([key, hosts]) =>
        (hosts ?? [])
          .filter((h) => h.HostPort && Number(h.HostPort) > 0)
          .map((h) => ({ containerPort: Number.parseInt(key, 10), hostIp: h.HostIp ?? '', hostPort: Number(h.HostPort) })),
      );
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }

  async runState(container: string): Promise<{ status: string; running: boolean; startedAt: Date; finishedAt: Date } | undefined> {
    try {
      const info = await this.docker.getContainer(container).inspect();
      return { status: info.State.Status, running: info.State.Running, startedAt: new Date(info.State.StartedAt), finishedAt: new Date(info.State.FinishedAt) };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async waitForOutput(container: string, text: string, options: { since: Date; timeoutMs: number; signal?: AbortSignal }): Promise<boolean> {
    const stream = (await this.docker.getContainer(container).logs({
      follow: true,
      stdout: true,
      stderr: true,
      since: Math.floor(options.since.getTime() / 1000),
    })) as unknown as NodeJS.ReadableStream & { destroy(): void };
    const output = new PassThrough();
    this.docker.modem.demuxStream(stream, output, output);
    return new Promise<boolean>((resolve) => {
      // Keep the tail of what came so far: the text may straddle two chunks.
      let tail = '';
      const finish = (found: boolean) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        stream.destroy();
        resolve(found);
      };
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort);
      output.on('data', (chunk: Buffer) => {
        tail += chunk.toString('utf8');
        if (tail.includes(text)) finish(true);
        else tail = tail.slice(-text.length);
      });
      stream.on('end', () => finish(false));
      stream.on('close', () => finish(false));
      stream.on('error', () => finish(false));
    });
  }

  async hasImage(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).inspect();
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async tagImage(source: string, target: string): Promise<void> {
    const at = target.lastIndexOf(':');
    const hasTag = at > target.lastIndexOf('/');
    await this.docker.getImage(source).tag({ repo: hasTag ? target.slice(0, at) : target, tag: hasTag ? target.slice(at + 1) : 'latest' });
  }

  async pushImage(ref: string, onLayer: (layer: string, status: string) => void): Promise<void> {
    // The lab registry needs no credentials, but the Engine API wants the header present.
    const stream = await this.docker.getImage(ref).push({ authconfig: { serveraddress: ref.split('/')[0] } });
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(err) : resolve()),
        (event: { id?: string; status?: string; error?: string }) => {
          if (event.error) reject(new LabError(`push of ${ref} failed: ${event.error}`));
          else if (event.id && event.status) onLayer(event.id, event.status);
        },
      );
    });
  }

  async readArchive(container: string, path: string): Promise<NodeJS.ReadableStream> {
    return this.docker.getContainer(container).getArchive({ path });
  }

  async writeArchive(container: string, directory: string, tar: Buffer): Promise<void> {
    await this.docker.getContainer(container).putArchive(tar, { path: directory });
  }

  async putFile(container: string, directory: string, fileName: string, content: string): Promise<void> {
    await this.docker.getContainer(container).putArchive(tarArchive([{ name: fileName, content: Buffer.from(content, 'utf8') }]), { path: directory });
  }

  async pullImage(ref: string): Promise<void> {
    const stream = await this.docker.pull(ref);
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
    });
  }

  async imageId(ref: string): Promise<string | undefined> {
    try {
      return (await this.docker.getImage(ref).inspect()).Id;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  // Its type is Engine's (ImagePlatform | undefined), checked by `implements Engine`.
  async imagePlatform(ref: string) {
    try {
      const inspect = await this.docker.getImage(ref).inspect();
      return { os: inspect.Os, architecture: inspect.Architecture };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  saveImage(ref: string): Promise<NodeJS.ReadableStream> {
    return this.docker.getImage(ref).get();
  }

  async loadImage(tar: NodeJS.ReadableStream): Promise<string[]> {
    const response = await this.docker.loadImage(tar, { quiet: true });
    const loaded: string[] = [];
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        response,
        (err: Error | null) => (err ? reject(err) : resolve()),
        (event: { stream?: string; error?: string }) => {
          const match = /Loaded image(?: ID)?: (\S+)/.exec(event.stream ?? '');
          if (match) loaded.push(match[1]!);
        },
      );
    });
    return loaded;
  }

  async allowsPrivileged(image: string, labels: Record<string, string>): Promise<boolean> {
    const probe = await this.docker.createContainer({
      Image: image,
      Entrypoint: ['true'],
      Cmd: [],
      Labels: labels,
      HostConfig: { Privileged: true, NetworkMode: 'none' },
    });
    try {
      await probe.start();
      return true;
    } catch (err) {
      // runc refuses when the host's capability bounding set lacks some capability.
      if (/unable to apply caps|operation not permitted/i.test((err as Error).message)) return false;
      throw err;
    } finally {
      await ignoreNotFound(probe.remove({ force: true, v: true }));
    }
  }

  async probe(image: string, script: string, options: ProbeOptions): Promise<ExecResult> {
    const container = await this.docker.createContainer({
      Image: image,
      Entrypoint: ['sh', '-c', script],
      Cmd: [],
      Labels: options.labels,
      HostConfig: { CapAdd: options.capAdd, NetworkMode: options.networkMode ?? 'none', Binds: options.binds ?? [] },
    });
    try {
      await container.start();
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      return { exitCode: StatusCode, stdout: await readLogs(container), stderr: '' };
    } finally {
      await ignoreNotFound(container.remove({ force: true, v: true }));
    }
  }
}

/** A non-TTY container's log is framed: 8-byte header (stream, 0, 0, 0, size) then payload. */
export function demuxBuffer(buffer: Buffer): string {
  if (!Buffer.isBuffer(buffer)) return String(buffer);
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    const type = buffer[offset];
    if (type !== 0 && type !== 1 && type !== 2) return buffer.toString('utf8');
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
