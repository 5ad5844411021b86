// A typed, in-memory Engine for unit tests of logic that drives one: containers, networks,
// volumes and images held in maps, every call recorded in order, exec answered by the test.
// Not a simulation of Docker: what a test needs it scripts (`onExec`, `failOn`).
import { PassThrough } from 'node:stream';
import type {
  ContainerInfo,
  ContainerSpec,
  Engine,
  EngineInfo,
  ExecOptions,
  ExecResult,
  ImagePlatform,
  NamedObject,
  NetworkSpec,
  ProbeOptions,
  TtyExec,
  VolumeSpec,
} from '../../src/engine/engine.js';
import type { Clock } from '../../src/wait/poll.js';

/** A clock that moves only when something sleeps on it: waits take no real time. */
export class FakeClock implements Clock {
  private at = 0;
  now(): number {
    return this.at;
  }
  async sleep(ms: number): Promise<void> {
    this.at += ms;
  }
}

/** An answer, or undefined to leave the exec to the handlers before it; a promise to make it take time. */
export type ExecHandler = (container: string, argv: string[]) => ExecResult | Promise<ExecResult> | undefined;

interface Held extends ContainerInfo {
  spec?: ContainerSpec;
}

const matches = (labels: Record<string, string>, wanted: Record<string, string>) => Object.entries(wanted).every(([k, v]) => labels[k] === v);

export class FakeEngine implements Engine {
  /** Every call, in order: `startContainer lab-manager`, `exec lab-manager docker node ls`. */
  readonly calls: string[] = [];
  readonly containers = new Map<string, Held>();
  readonly networks = new Map<string, NamedObject & { subnets: string[] }>();
  readonly volumes = new Map<string, NamedObject>();
  readonly images = new Set<string>();
  /** Every exec, with what it was given on stdin (the call log leaves stdin out: join tokens travel there). */
  readonly execs: { container: string; argv: string[]; stdin?: string }[] = [];
  private readonly handlers: ExecHandler[] = [];
  private readonly failures = new Map<string, Error>();
  private readonly delays = new Map<string, number>();
  runtimes = ['runc'];
  /** `docker info`'s Architecture and OperatingSystem. */
  architecture = 'x86_64';
  operatingSystem = 'Debian GNU/Linux 12 (bookworm)';
  /** The platform of each image in `images`, where a test gives one (linux/amd64 otherwise). */
  readonly imagePlatforms = new Map<string, ImagePlatform>();

  /** Answers execs the handler returns a result for; later handlers are asked first. Unanswered: exit 127. */
  onExec(handler: ExecHandler): this {
    this.handlers.unshift(handler);
    return this;
  }

  /** The next call of `method` (on `target`, when given) throws `error`. */
  failOn(method: keyof Engine, error: Error, target = '*'): this {
    this.failures.set(`${method} ${target}`, error);
    return this;
  }

  /** Calls of `method` on `target` take `ms` (real time), and are logged again when they end: `startContainer x done`. */
  delayOn(method: keyof Engine, target: string, ms: number): this {
    this.delays.set(`${method} ${target}`, ms);
    return this;
  }

  private async delayed(method: keyof Engine, target: string): Promise<void> {
    const ms = this.delays.get(`${method} ${target}`);
    if (ms === undefined) return;
    await new Promise((resolve) => setTimeout(resolve, ms));
    this.calls.push(`${method} ${target} done`);
  }

  /** A container as if made earlier, by name. */
  addContainer(name: string, fields: Partial<ContainerInfo> = {}): this {
    this.containers.set(name, { id: name, name, state: 'running', image: 'img', labels: {}, ports: [], networks: [], ...fields });
    return this;
  }

  private record(method: keyof Engine, target = '', detail = ''): void {
    this.calls.push([method, target, detail].filter(Boolean).join(' '));
    const failure = this.failures.get(`${method} ${target}`) ?? this.failures.get(`${method} *`);
    if (failure) {
      this.failures.delete(this.failures.has(`${method} ${target}`) ? `${method} ${target}` : `${method} *`);
      throw failure;
    }
  }

  private held(id: string): Held {
    const found = this.containers.get(id) ?? [...this.containers.values()].find((c) => c.id === id);
    if (!found) throw Object.assign(new Error(`(HTTP code 404) no such container - ${id}`), { statusCode: 404 });
    return found;
  }

  async info(): Promise<EngineInfo> {
    this.record('info');
    return {
      id: 'fake',
      systemTime: new Date(0),
      serverVersion: '28.0.0',
      cgroupVersion: '2',
      memTotal: 8 << 30,
      dockerRootDir: '/var/lib/docker',
      runtimes: this.runtimes,
      architecture: this.architecture,
      operatingSystem: this.operatingSystem,
    };
  }
  async listContainers(labels: Record<string, string>): Promise<ContainerInfo[]> {
    this.record('listContainers');
    return [...this.containers.values()].filter((c) => matches(c.labels, labels)).map(({ spec: _spec, ...c }) => ({ ...c }));
  }
  async listNetworks(labels: Record<string, string>): Promise<NamedObject[]> {
    this.record('listNetworks');
    return [...this.networks.values()].filter((n) => matches(n.labels, labels));
  }
  async networkSubnets(): Promise<(NamedObject & { subnets: string[] })[]> {
    this.record('networkSubnets');
    return [...this.networks.values()];
  }
  async listVolumes(labels: Record<string, string>): Promise<NamedObject[]> {
    this.record('listVolumes');
    return [...this.volumes.values()].filter((v) => matches(v.labels, labels));
  }
  async removeContainer(id: string): Promise<void> {
    this.record('removeContainer', id);
    this.containers.delete(this.held(id).name);
  }
  async createNetwork(spec: NetworkSpec): Promise<void> {
    this.record('createNetwork', spec.name);
    this.networks.set(spec.name, { id: spec.name, name: spec.name, labels: spec.labels, subnets: [spec.subnet] });
  }
  async createVolume(spec: VolumeSpec): Promise<void> {
    this.record('createVolume', spec.name);
    this.volumes.set(spec.name, { id: spec.name, name: spec.name, labels: spec.labels });
  }
  async createContainer(spec: ContainerSpec): Promise<string> {
    this.record('createContainer', spec.name);
    const ports = spec.ports.map((p) => ({ containerPort: p.containerPort, hostIp: p.hostIp, hostPort: p.hostPort }));
    this.containers.set(spec.name, {
      id: spec.name,
      name: spec.name,
      state: 'created',
      image: spec.image,
      labels: spec.labels,
      ports,
      networks: [spec.network],
      spec,
    });
    return spec.name;
  }
  async connectNetwork(network: string, container: string): Promise<void> {
    this.record('connectNetwork', container, network);
    this.held(container).networks?.push(network);
  }
  async disconnectNetwork(network: string, container: string): Promise<void> {
    this.record('disconnectNetwork', container, network);
    const c = this.containers.get(container);
    if (c) c.networks = c.networks?.filter((n) => n !== network);
  }
  async volumeSize(name: string): Promise<number | undefined> {
    this.record('volumeSize', name);
    return this.volumes.has(name) ? 0 : undefined;
  }
  async startContainer(id: string): Promise<void> {
    this.record('startContainer', id);
    await this.delayed('startContainer', id);
    this.held(id).state = 'running';
  }
  async stopContainer(id: string): Promise<void> {
    this.record('stopContainer', id);
    this.held(id).state = 'exited';
  }
  async killContainer(id: string): Promise<void> {
    this.record('killContainer', id);
    this.held(id).state = 'exited';
  }
  async pauseContainer(id: string): Promise<void> {
    this.record('pauseContainer', id);
    this.held(id).state = 'paused';
  }
  async unpauseContainer(id: string): Promise<void> {
    this.record('unpauseContainer', id);
    this.held(id).state = 'running';
  }
  async removeNetwork(id: string): Promise<void> {
    this.record('removeNetwork', id);
    for (const [name, n] of this.networks) if (n.id === id) this.networks.delete(name);
  }
  async removeVolume(name: string): Promise<void> {
    this.record('removeVolume', name);
    this.volumes.delete(name);
  }
  async exec(container: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    this.record('exec', container, argv.join(' '));
    this.execs.push({ container, argv, ...(options.stdin === undefined ? {} : { stdin: options.stdin }) });
    for (const handler of this.handlers) {
      const answer = handler(container, argv);
      if (answer) return answer;
    }
    return { exitCode: 127, stdout: '', stderr: `fake engine: no answer scripted for ${argv.join(' ')}` };
  }
  async execTty(container: string): Promise<TtyExec> {
    this.record('execTty', container);
    const output = new PassThrough();
    return { output, write: () => undefined, resize: async () => undefined, close: () => output.end() };
  }
  async logTail(container: string): Promise<string> {
    this.record('logTail', container);
    return '';
  }
  async portBindings(container: string) {
    this.record('portBindings', container);
    return this.containers.get(container)?.ports ?? [];
  }
  async runState(container: string) {
    this.record('runState', container);
    const c = this.containers.get(container);
    return c && { status: c.state, running: c.state === 'running', startedAt: new Date(0), finishedAt: new Date(0) };
  }
  async waitForOutput(container: string, text: string): Promise<boolean> {
    this.record('waitForOutput', container, text);
    return this.containers.get(container)?.state === 'running';
  }
  async hasImage(ref: string): Promise<boolean> {
    this.record('hasImage', ref);
    return this.images.has(ref);
  }
  async tagImage(source: string, target: string): Promise<void> {
    this.record('tagImage', source, target);
    this.images.add(target);
  }
  async pushImage(ref: string): Promise<void> {
    this.record('pushImage', ref);
  }
  /** What readArchive answers, by `container:path`; what writeArchive was given, by `container:directory`. */
  readonly archives = new Map<string, Buffer>();
  readonly written = new Map<string, Buffer>();
  async readArchive(container: string, path: string): Promise<NodeJS.ReadableStream> {
    this.record('readArchive', container, path);
    const stream = new PassThrough();
    stream.end(this.archives.get(`${container}:${path}`) ?? Buffer.alloc(0));
    return stream;
  }
  async writeArchive(container: string, directory: string, tar: Buffer): Promise<void> {
    this.record('writeArchive', container, directory);
    this.written.set(`${container}:${directory}`, tar);
  }
  async putFile(container: string, directory: string, fileName: string): Promise<void> {
    this.record('putFile', container, `${directory}/${fileName}`);
  }
  async pullImage(ref: string): Promise<void> {
    this.record('pullImage', ref);
    this.images.add(ref);
  }
  async imageId(ref: string): Promise<string | undefined> {
    this.record('imageId', ref);
    return this.images.has(ref) ? `sha256:${ref}` : undefined;
  }
  async imagePlatform(ref: string): Promise<ImagePlatform | undefined> {
    this.record('imagePlatform', ref);
    return this.images.has(ref) ? (this.imagePlatforms.get(ref) ?? { os: 'linux', architecture: 'amd64' }) : undefined;
  }
  async saveImage(ref: string): Promise<NodeJS.ReadableStream> {
    this.record('saveImage', ref);
    const stream = new PassThrough();
    stream.end();
    return stream;
  }
  async loadImage(): Promise<string[]> {
    this.record('loadImage');
    return [];
  }
  async allowsPrivileged(image: string): Promise<boolean> {
    this.record('allowsPrivileged', image);
    return true;
  }
  /** Answers probes (a throwaway container of an image); unset: exit 0, no output. */
  onProbe?: (image: string, script: string, options: ProbeOptions) => ExecResult;
  async probe(image: string, script: string, options: ProbeOptions): Promise<ExecResult> {
    this.record('probe', image, `${options.networkMode ?? 'none'} ${script}`);
    return this.onProbe?.(image, script, options) ?? { exitCode: 0, stdout: '', stderr: '' };
  }
}
