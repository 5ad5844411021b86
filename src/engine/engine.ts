// The engine as swarmlab sees it, in swarmlab's own types. Only engine/docker-engine.ts knows
// dockerode; everything else talks to this interface, so a test can hand in a fake.
import type { EngineEndpoint } from './endpoint.js';

/**
 * An engine to bring a lab up on: its client, and its address, which the lab's lock, its docker
 * context and compose's DOCKER_HOST are keyed by. Passed in, so that a class brings up labs on
 * several engines in one process.
 */
export interface EngineTarget {
  client: Engine;
  endpoint: EngineEndpoint;
}

export interface ContainerInfo {
  id: string;
  name: string;
  /** created | running | paused | restarting | removing | exited | dead */
  state: string;
  image: string;
  labels: Record<string, string>;
  /** Published ports: container port -> host address and port. */
  ports: { containerPort: number; hostIp: string; hostPort: number }[];
  /** The networks it is attached to, by name. */
  networks?: string[];
}

export interface NamedObject {
  id: string;
  name: string;
  labels: Record<string, string>;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Written to the command's stdin, then the stream is left open; use for secrets, not argv. */
  stdin?: string;
}

/** A process in a container with a terminal of its own (exec with a TTY): raw bytes both ways. */
export interface TtyExec {
  /** What the terminal shows; ends when the process ends or the attachment is closed. */
  output: NodeJS.ReadableStream;
  /** Keystrokes, pasted text, Ctrl-C: bytes for the terminal's input. */
  write(data: Buffer | string): void;
  resize(cols: number, rows: number): Promise<void>;
  /** Drops the attachment. The process itself may go on (the engine does not end it): end it by its env marker. */
  close(): void;
}

export interface EngineInfo {
  id: string;
  /** The engine's clock when asked: container times are in its clock, not ours. */
  systemTime: Date;
  serverVersion: string;
  cgroupVersion: string;
  /** The memory of the engine's machine, in bytes. */
  memTotal: number;
  /** Where the engine keeps its data (on the engine's machine). */
  dockerRootDir: string;
  /** The runtimes containers may ask for (`docker info`'s Runtimes): runc, and sysbox-runc where Sysbox is installed. */
  runtimes: string[];
  /** The CPU as `docker info` says it (the kernel's name: x86_64, aarch64), not Go's (amd64, arm64). */
  architecture: string;
  /** `docker info`'s OperatingSystem: `Docker Desktop`, `Debian GNU/Linux 12 (bookworm)`, ... */
  operatingSystem: string;
}

/** What an image was built for, in Docker's (Go's) names: linux, amd64, arm64. */
export interface ImagePlatform {
  os: string;
  architecture: string;
}

/** A network to create: a bridge with one IPv4 subnet. */
export interface NetworkSpec {
  name: string;
  labels: Record<string, string>;
  subnet: string;
}

export interface VolumeSpec {
  name: string;
  labels: Record<string, string>;
}

/** A container to create, in swarmlab's terms (engine/docker-engine.ts maps it to the Engine API). */
export interface ContainerSpec {
  name: string;
  image: string;
  hostname: string;
  labels: Record<string, string>;
  env: Record<string, string>;
  entrypoint?: string[];
  cmd?: string[];
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  /** No masked or read-only /proc paths (HostConfig.MaskedPaths and ReadonlyPaths empty): /proc/sys writable. */
  unmaskedSystemPaths?: boolean;
  /** HostConfig.CgroupnsMode; the daemon's default-cgroupns-mode when unset. */
  cgroupns?: 'private' | 'host';
  /** The engine runtime to run it under (HostConfig.Runtime, e.g. sysbox-runc); the engine's default when unset. */
  runtime?: string;
  /** HostConfig.RestartPolicy's name (unless-stopped); none when unset. */
  restartPolicy?: string;
  /** hostPort 0: the engine picks a free one. */
  ports: { hostIp: string; hostPort: number; containerPort: number }[];
  /** `source:target`, where source is a host path or a volume name. */
  binds: string[];
  /** A user-defined network (with the address and aliases), or `bridge`, the engine's default. */
  network: string;
  ipv4Address?: string;
  aliases: string[];
}

export interface ProbeOptions {
  capAdd: string[];
  labels: Record<string, string>;
  /** `source:target[:ro]` of the engine's host. */
  binds?: string[];
  networkMode?: string;
}

export interface Engine {
  info(): Promise<EngineInfo>;
  listContainers(labels: Record<string, string>): Promise<ContainerInfo[]>;
  listNetworks(labels: Record<string, string>): Promise<NamedObject[]>;
  /** Every network on the engine with its IPv4/IPv6 subnets, to pick a lab subnet that clashes with none. */
  networkSubnets(): Promise<(NamedObject & { subnets: string[] })[]>;
  listVolumes(labels: Record<string, string>): Promise<NamedObject[]>;
  removeContainer(id: string): Promise<void>;
  createNetwork(spec: NetworkSpec): Promise<void>;
  createVolume(spec: VolumeSpec): Promise<void>;
  /** Creates (does not start) a container; its ID. */
  createContainer(spec: ContainerSpec): Promise<string>;
  /** Attaches a running or stopped container to one more network, at a fixed address, under aliases. */
  connectNetwork(network: string, container: string, endpoint: { ipv4Address: string; aliases: string[] }): Promise<void>;
  /** Detaches it (a container or network that is gone is not an error). */
  disconnectNetwork(network: string, container: string): Promise<void>;
  /** What a named volume takes on the engine's disk, in bytes, when the engine knows. */
  volumeSize(name: string): Promise<number | undefined>;
  startContainer(id: string): Promise<void>;
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  /** SIGKILL, as a machine that loses its power. */
  killContainer(id: string): Promise<void>;
  /** Freezes every process of the container (a hung machine), and thaws them. */
  pauseContainer(id: string): Promise<void>;
  unpauseContainer(id: string): Promise<void>;
  removeNetwork(id: string): Promise<void>;
  removeVolume(name: string): Promise<void>;
  exec(container: string, argv: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Starts `argv` in the container on a terminal of `cols` x `rows`, with `env` added to its environment. */
  execTty(container: string, argv: string[], options: { env: Record<string, string>; cols: number; rows: number }): Promise<TtyExec>;
  /** The last `lines` lines of a container's output. */
  logTail(container: string, lines: number): Promise<string>;
  /**
   * The host ports a container asks for (HostConfig.PortBindings), running or not: a stopped
   * container lists none, yet takes them back when it starts. Ports the engine picks are left out.
   */
  portBindings(container: string): Promise<ContainerInfo['ports']>;
  /** A container's state (created, running, exited, ...) and start time; undefined when there is no such container. */
  runState(container: string): Promise<{ status: string; running: boolean; startedAt: Date; finishedAt: Date } | undefined>;
  /**
   * Follows a container's output from `since` (second resolution) until a line holds `text`:
   * true then; false when the output ends (the container stopped) or `timeoutMs` passes first.
   */
  waitForOutput(container: string, text: string, options: { since: Date; timeoutMs: number; signal?: AbortSignal }): Promise<boolean>;
  hasImage(ref: string): Promise<boolean>;
  tagImage(source: string, target: string): Promise<void>;
  /** Pushes; `onLayer` hears each layer's status (Preparing, Pushing, Pushed, Layer already exists). */
  pushImage(ref: string, onLayer: (layer: string, status: string) => void): Promise<void>;
  /** A path of a container, running or stopped (its volumes too), as a tar stream: `docker cp CONTAINER:PATH -`. */
  readArchive(container: string, path: string): Promise<NodeJS.ReadableStream>;
  /** Unpacks a tar into a directory of a container, running or stopped: `docker cp - CONTAINER:DIRECTORY`. */
  writeArchive(container: string, directory: string, tar: Buffer): Promise<void>;
  /** Copies one file into a container (through an archive upload: works where bind mounts do not). */
  putFile(container: string, directory: string, fileName: string, content: string): Promise<void>;
  pullImage(ref: string): Promise<void>;
  /** The image's ID (sha256:...), or undefined when the engine has no such image. */
  imageId(ref: string): Promise<string | undefined>;
  /** The platform of the engine's copy of the image (image inspect's Os and Architecture), or undefined when it has none. */
  imagePlatform(ref: string): Promise<ImagePlatform | undefined>;
  /** `docker save` of one image: a tar stream. */
  saveImage(ref: string): Promise<NodeJS.ReadableStream>;
  /** `docker load` of a tar stream; resolves to the references it loaded. */
  loadImage(tar: NodeJS.ReadableStream): Promise<string[]>;
  /** Whether the engine starts a privileged container from `image` (probe: create, start, remove). */
  allowsPrivileged(image: string, labels: Record<string, string>): Promise<boolean>;
  /**
   * Runs `sh -c script` in a throwaway container of `image`; its output and exit code. No network
   * unless `networkMode` names one (`container:<id>`: another container's namespace).
   */
  probe(image: string, script: string, options: ProbeOptions): Promise<ExecResult>;
}
