// Helpers for the end-to-end suites: run the built CLI as a user would, keep every output for
// the secret scan, and fail loudly (never skip) when the engine or the images are missing.

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from '../repo-root.js';

const ROOT = REPO_ROOT;
export const CLI = path.join(ROOT, 'bin', 'swarmlab.js');
const SETUP_HINT = 'run `sudo bash scripts/test-host.sh` (installs and starts Docker, builds the offline images), then `npm test`';

export const NODE_IMAGE = process.env.SWARMLAB_NODE_IMAGE ?? 'swarmlab/node:offline';
export const REGISTRY_IMAGE = process.env.SWARMLAB_REGISTRY_IMAGE ?? 'swarmlab/registry:offline';
export const ECHO_IMAGE = 'swarmlab/echo:offline';
/** The offline stand-ins for the course's logical images (scripts/test-host.sh builds them). */
export const COURSE_IMAGES: Record<string, string> = {
  SWARMLAB_IMAGE_ECHO: process.env.SWARMLAB_IMAGE_ECHO ?? ECHO_IMAGE,
  SWARMLAB_IMAGE_PROXY: process.env.SWARMLAB_IMAGE_PROXY ?? 'swarmlab/proxy:offline',
  SWARMLAB_IMAGE_VISUALIZER: process.env.SWARMLAB_IMAGE_VISUALIZER ?? 'swarmlab/visualizer:offline',
  SWARMLAB_IMAGE_HAPROXY: process.env.SWARMLAB_IMAGE_HAPROXY ?? 'swarmlab/haproxy:offline',
};

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Every output captured in this process, for the join-token scan. */
export const capturedOutputs: string[] = [];

export async function swarmlab(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const env = { NO_COLOR: '1', SWARMLAB_NODE_IMAGE: NODE_IMAGE, SWARMLAB_REGISTRY_IMAGE: REGISTRY_IMAGE, ...COURSE_IMAGES, ...options.env };
  const result = await execa('node', [CLI, ...args], { reject: false, cwd: options.cwd ?? ROOT, env, stdin: 'ignore' });
  const out = { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
  capturedOutputs.push(out.stdout, out.stderr);
  return out;
}

export async function docker(args: string[], input?: string): Promise<CliResult> {
  const result = await execa('docker', args, { reject: false, input });
  const out = { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
  capturedOutputs.push(out.stdout, out.stderr);
  return out;
}

export function newLabDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'swarmlab-e2e-'));
}

/** Throws, with what to run, when the engine or an image the suite needs is missing. */
export async function requireEngineAndImages(images: string[]): Promise<void> {
  const version = await execa('docker', ['version', '--format', '{{.Server.Version}}'], { reject: false, timeout: 15_000 });
  if (version.exitCode !== 0) throw new Error(`no Docker engine answers (${version.stderr.split('\n')[0]}): ${SETUP_HINT}`);
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('swarmlab is not built: run `npm run build` (npm test does it)');
  }
  for (const image of images) {
    const inspect = await execa('docker', ['image', 'inspect', image], { reject: false });
    if (inspect.exitCode !== 0) throw new Error(`image ${image} is missing: ${SETUP_HINT}`);
  }
}

/** Objects on the engine carrying the lab's label. */
export async function labelledObjects(lab: string): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const filter = `label=dev.swarmlab.lab=${lab}`;
  const list = async (args: string[]) => (await docker([...args, '--filter', filter, '--format', '{{.Name}}'])).stdout.split('\n').filter(Boolean);
  return {
    containers: (await docker(['ps', '-a', '--filter', filter, '--format', '{{.Names}}'])).stdout.split('\n').filter(Boolean),
    networks: await list(['network', 'ls']),
    volumes: await list(['volume', 'ls']),
  };
}

/** Writes the lab's swarmlab.yaml, removes what a crashed earlier run may have left, brings the lab up. */
export async function freshLab(dir: string, specYaml: string, env?: Record<string, string>): Promise<void> {
  writeFileSync(path.join(dir, 'swarmlab.yaml'), specYaml);
  await swarmlab(['down', '--dir', dir]);
  const up = await swarmlab(['up', '--dir', dir], { env });
  if (up.exitCode !== 0) throw new Error(`lab did not come up:\n${up.stdout}\n${up.stderr}`);
}

const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, headless, driven by playwright-core; fails loudly, with what to run, when it is missing. */
export async function launchChromium(): Promise<import('playwright-core').Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: ${SETUP_HINT}`);
  const { chromium } = await import('playwright-core');
  // As the probe of this machine found: without the background-networking flags Chromium's
  // own connections are refused by the closed network, many at a time.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Starts a long-running swarmlab command (a web page); resolves once it prints `ready`. The
 * child is wrapped: a subprocess is a thenable, and awaiting it would wait for its end.
 */
export async function startServing(args: string[], ready: string): Promise<{ child: ReturnType<typeof execa> }> {
  const child = execa('node', [CLI, ...args], { reject: false, env: { NO_COLOR: '1', ...COURSE_IMAGES } });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes(ready) && resolve());
    void child.then((r) => reject(new Error(`swarmlab ${args.join(' ')} ended: ${String(r.stderr)}`)));
  });
  return { child };
}

/**
 * Asks `read` again (every 250 ms) until `accept` takes its answer; the answer then. After
 * `timeoutMs`, fails naming `what` and the last answer. For what a test must wait for: a page
 * that updates, a swarm that converges. A bound for a slow machine, not a speed assertion.
 */
export async function eventually<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let error: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      error = undefined;
      if (accept(last)) return last;
    } catch (err) {
      error = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s; last seen: ${error ? String(error) : JSON.stringify(last)}`);
}
