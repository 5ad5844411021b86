// The only code that runs the compose binary. Compose v2 (`docker compose`) is preferred;
// Compose v1 (`docker-compose`, as Debian ships it) works the same for what swarmlab asks.
import { execa } from 'execa';
import { LabError } from '../errors.js';

export interface ComposeCommand {
  /** The program and the arguments that come before compose's own, e.g. ['docker', 'compose']. */
  argv: [string, ...string[]];
  label: string;
}

const CANDIDATES: ComposeCommand[] = [
  { argv: ['docker', 'compose'], label: 'docker compose (v2)' },
  { argv: ['docker-compose'], label: 'docker-compose (v1)' },
];

export async function findCompose(): Promise<ComposeCommand> {
  for (const candidate of CANDIDATES) {
    const [file, ...args] = candidate.argv;
    const result = await execa(file, [...args, 'version'], { reject: false, timeout: 20_000 });
    if (result.exitCode === 0) return candidate;
  }
  throw new LabError(
    'neither `docker compose` (v2) nor `docker-compose` (v1) is installed; fix: install the Docker Compose plugin (or on Debian: apt-get install docker-compose)',
  );
}

export class ComposeClient {
  constructor(
    private readonly command: ComposeCommand,
    private readonly file: string,
    private readonly project: string,
  ) {}

  get label(): string {
    return this.command.label;
  }

  private async run(args: string[], what: string): Promise<string> {
    const [file, ...prefix] = this.command.argv;
    const result = await execa(file, [...prefix, '-p', this.project, '-f', this.file, ...args], { reject: false, all: true });
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
