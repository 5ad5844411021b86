// The only code that runs the compose binary. Compose v2 (`docker compose`) is preferred;
// Compose v1 (`docker-compose`, as Debian ships it) works the same for what swarmlab asks.
import { execa } from 'execa';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../errors.js';

export interface ComposeCommand {
  /** The program and the arguments that come before compose's own, e.g. ['docker', 'compose']. */
  argv: [string, ...string[]];
  label: string;
}

const COMPOSE_V2: ComposeCommand = { argv: ['docker', 'compose'], label: 'docker compose (v2)' };
const COMPOSE_V1: ComposeCommand = { argv: ['docker-compose'], label: 'docker-compose (v1)' };

/** Whether a program is on PATH, without running it (Compose v1 takes half a second to start). */
async function onPath(program: string): Promise<boolean> {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    if (await access(path.join(dir, program), constants.X_OK).then(() => true, () => false)) return true;
  }
  return false;
}

export async function findCompose(): Promise<ComposeCommand> {
  // The v2 plugin answers `version` in milliseconds, and only running it tells it is there.
  if ((await execa('docker', ['compose', 'version'], { reject: false, timeout: 20_000 })).exitCode === 0) return COMPOSE_V2;
  if (await onPath('docker-compose')) return COMPOSE_V1;
  throw new LabError(
    'neither `docker compose` (v2) nor `docker-compose` (v1) is installed; fix: install the Docker Compose plugin (or on Debian: apt-get install docker-compose)',
  );
}

export class ComposeClient {
  constructor(
    private readonly command: ComposeCommand,
    private readonly file: string,
    private readonly project: string,
    /** Ends a running compose (SIGTERM) when aborted, e.g. on Ctrl-C. */
    private readonly signal?: AbortSignal,
  ) {}

  get label(): string {
    return this.command.label;
  }

  private async run(args: string[], what: string): Promise<string> {
    const [file, ...prefix] = this.command.argv;
    const result = await execa(file, [...prefix, '-p', this.project, '-f', this.file, ...args], { reject: false, all: true, cancelSignal: this.signal });
    this.signal?.throwIfAborted();
    if (result.exitCode !== 0) {
      const lines = (result.all ?? '').trim().split('\n').slice(-15);
      throw new LabError(`${this.command.label} ${what} failed (exit ${result.exitCode})`, lines);
    }
    return result.stdout;
  }

  /** Creates and starts what is missing; leaves running containers as they are. */
  async up(): Promise<void> {
    await this.run(['up', '-d', '--no-recreate', '--remove-orphans'], 'up');
  }

  /** Compose's own reading of the file, as a check that it accepts it. */
  config(): Promise<string> {
    return this.run(['config'], 'config');
  }
}
