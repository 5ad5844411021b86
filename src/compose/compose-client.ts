// The only code that runs the compose binary. Compose v2 (`docker compose`) is preferred;
// Compose v1 (`docker-compose`, as Debian ships it) works the same for what swarmlab asks.

import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { childEnvironment, type EngineEndpoint } from '../engine/endpoint.js';
import type { Launch, RenderedLab } from '../engine/launch.js';
import { LabError } from '../errors.js';
import { trace } from '../trace.js';

export interface ComposeCommand {
  /** The program and the arguments that come before compose's own, e.g. ['docker', 'compose']. */
  argv: [string, ...string[]];
  label: string;
}

const COMPOSE_V2: ComposeCommand = { argv: ['docker', 'compose'], label: 'docker compose (v2)' };
const COMPOSE_V1: ComposeCommand = { argv: ['docker-compose'], label: 'docker-compose (v1)' };

/**
 * Whether a program is on PATH, without running it (Compose v1 takes a third of a second to
 * start). Synchronous on purpose: a few stat calls, and `up` starts compose right after,
 * before it loads the heavy modules that would hold up an asynchronous answer.
 */
function onPath(program: string): boolean {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return dirs.some((dir) => {
    try {
      accessSync(path.join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const missingCompose = () =>
  new LabError('neither `docker compose` (v2) nor `docker-compose` (v1) is installed', {
    fix: 'install the Docker Compose plugin (or on Debian: apt-get install docker-compose)',
  });

/** Whether `docker compose` (v2) works: only asking the docker CLI tells (a plugin may be anywhere it looks). */
async function hasComposeV2(): Promise<boolean> {
  return (await execa('docker', ['compose', 'version'], { reject: false, timeout: 20_000 })).exitCode === 0;
}

export async function findCompose(): Promise<ComposeCommand> {
  if (await hasComposeV2()) return COMPOSE_V2;
  if (onPath('docker-compose')) return COMPOSE_V1;
  throw missingCompose();
}

/**
 * `compose up -d` started before its compose file exists, reading the file from stdin
 * (`launcher: compose`). Compose v1 spends about 0.3 s loading Python before it reads a file;
 * started first, that load runs while swarmlab checks the engine and renders the file. It
 * creates nothing until `run` hands it the file; `cancel` ends it having made nothing. It talks
 * to the lab's engine, named in its environment (DOCKER_HOST), not to this process's.
 */
export class ComposeUp implements Launch {
  private readonly child;
  private fed = false;
  private signal?: AbortSignal;

  constructor(
    private readonly command: ComposeCommand,
    project: string,
    /** Where compose would have found the file: its project directory. */
    projectDir: string,
    endpoint: EngineEndpoint,
  ) {
    const [file, ...prefix] = command.argv;
    const args = [...prefix, '-p', project, '--project-directory', projectDir, '-f', '-', 'up', '-d', '--no-recreate', '--remove-orphans'];
    this.child = execa(file, args, { reject: false, all: true, stdin: 'pipe', env: childEnvironment(endpoint) });
    trace(`${command.label}: started, waiting for its file`);
    // A cancelled compose's result is read by nobody: keep it from becoming an unhandled rejection.
    this.child.catch(() => undefined);
  }

  get label(): string {
    return this.command.label;
  }

  /** Ends compose (SIGTERM) when `signal` aborts, e.g. on Ctrl-C. */
  stopOn(signal: AbortSignal): this {
    this.signal = signal;
    signal.addEventListener('abort', () => this.child.kill('SIGTERM'), { once: true });
    return this;
  }

  /** Settles when compose has exited, however it went: every container it would start has started. */
  get finished(): Promise<void> {
    return this.child.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Compose starts its containers without saying which is up: the caller asks the engine. */
  started(): Promise<void> {
    return Promise.resolve();
  }

  /** Hands compose the file and waits until every container is created and started. */
  async run({ composeText, composeTextV1 }: RenderedLab): Promise<void> {
    this.fed = true;
    this.child.stdin?.end(this.command === COMPOSE_V1 ? composeTextV1 : composeText);
    const result = await this.child;
    this.signal?.throwIfAborted();
    if (result.exitCode !== 0) {
      const lines = (result.all ?? '').trim().split('\n').slice(-15);
      throw new LabError(`${this.command.label} up failed (exit ${result.exitCode})`, { details: lines });
    }
  }

  /** Ends compose if it never got its file (the lab was up already, or a check failed). */
  cancel(): void {
    if (!this.fed) this.child.kill('SIGKILL');
  }
}

/**
 * Starts `compose up` for a project ahead of its file (see ComposeUp), as early as it can:
 * asking the docker CLI whether v2 is there takes ~0.1 s, so a v1 found on PATH starts
 * loading at once and is dropped should v2 answer.
 */
export async function startComposeUp(project: string, projectDir: string, endpoint: EngineEndpoint): Promise<ComposeUp> {
  const v1 = onPath('docker-compose') ? new ComposeUp(COMPOSE_V1, project, projectDir, endpoint) : undefined;
  if (await hasComposeV2()) {
    v1?.cancel();
    return new ComposeUp(COMPOSE_V2, project, projectDir, endpoint);
  }
  if (v1) return v1;
  throw missingCompose();
}
