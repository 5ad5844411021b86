// The engine as swarmlab sees it, in swarmlab's own types. Only engine/docker-engine.ts knows
// dockerode; everything else talks to this interface, so a test can hand in a fake.

export interface ContainerInfo {
  id: string;
  name: string;
  /** created | running | paused | restarting | removing | exited | dead */
  state: string;
  image: string;
  labels: Record<string, string>;
  /** Published ports: container port -> host address and port. */
  ports: { containerPort: number; hostIp: string; hostPort: number }[];
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
}

export interface Engine {
  info(): Promise<EngineInfo>;
  listContainers(labels: Record<string, string>): Promise<ContainerInfo[]>;
  listNetworks(labels: Record<string, string>): Promise<NamedObject[]>;
  /** Every network on the engine with its IPv4/IPv6 subnets, to pick a lab subnet that clashes with none. */
  networkSubnets(): Promise<(NamedObject & { subnets: string[] })[]>;
  listVolumes(labels: Record<string, string>): Promise<NamedObject[]>;
  removeContainer(id: string): Promise<void>;
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
  /** The last `lines` lines of a container's output. */
  logTail(container: string, lines: number): Promise<string>;
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
  /** Copies one file into a container (through an archive upload: works where bind mounts do not). */
  putFile(container: string, directory: string, fileName: string, content: string): Promise<void>;
  pullImage(ref: string): Promise<void>;
  /** The image's ID (sha256:...), or undefined when the engine has no such image. */
  imageId(ref: string): Promise<string | undefined>;
  /** `docker save` of one image: a tar stream. */
  saveImage(ref: string): Promise<NodeJS.ReadableStream>;
  /** `docker load` of a tar stream; resolves to the references it loaded. */
  loadImage(tar: NodeJS.ReadableStream): Promise<string[]>;
  /** Whether the engine starts a privileged container from `image` (probe: create, start, remove). */
  allowsPrivileged(image: string, labels: Record<string, string>): Promise<boolean>;
  /** Runs `sh -c script` in a throwaway container of `image` (no network); its output and exit code. */
  probe(image: string, script: string, options: { capAdd: string[]; labels: Record<string, string> }): Promise<ExecResult>;
}
