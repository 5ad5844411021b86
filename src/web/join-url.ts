// Where the room joins the class server: the address the cards' links and QR codes point at.
// The server records where it serves (.swarmlab/class-web.json) so that cards printed after it
// started point at it, whatever address or scheme it was started with.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SpecError } from '../errors.js';
import { privateDir, STATE_DIR, writeFileAtomic } from '../lab/private-files.js';
import { pageUrls } from './listen.js';

export const SERVED_FILE = path.join(STATE_DIR, 'class-web.json');
export const DEFAULT_WEB_PORT = 8091;

/** Where the base came from: typed (--url), recorded by the server, or guessed from this machine's addresses. */
export type JoinBaseSource = 'typed' | 'recorded' | 'guessed';

/** The server's base URL (scheme, host, port), recorded each time it starts. */
export async function writeServedUrl(classDir: string, url: string): Promise<void> {
  await privateDir(classDir);
  await writeFileAtomic(path.join(path.resolve(classDir), SERVED_FILE), `${JSON.stringify({ url: url.replace(/\/+$/, '') }, null, 2)}\n`, 0o644);
}

export async function readServedUrl(classDir: string): Promise<string | undefined> {
  const text = await readFile(path.join(path.resolve(classDir), SERVED_FILE), 'utf8').catch(() => undefined);
  try {
    const url = text === undefined ? undefined : (JSON.parse(text) as { url?: unknown }).url;
    return typeof url === 'string' ? baseOf(url) : undefined;
  } catch {
    return undefined;
  }
}

/** `url` as a base (scheme://host[:port]), or undefined when it is no http(s) address of a server alone. */
function baseOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const bare = parsed.pathname === '/' && parsed.search === '' && parsed.hash === '' && parsed.username === '' && parsed.password === '';
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && bare ? `${parsed.protocol}//${parsed.host}` : undefined;
}

/** A typed --url as a base, or the one-line refusal. The server's pages live at its root, so a path is refused too. */
export function checkJoinUrl(typed: string): string {
  const base = baseOf(typed.trim());
  if (base === undefined)
    throw new SpecError([
      {
        field: '--url',
        problem: typed.trim() === '' ? 'names no address' : `${typed} is not the address of a server (http:// or https://, a host, a port, no path)`,
        fix: `e.g. --url https://192.168.1.20:${DEFAULT_WEB_PORT}`,
      },
    ]);
  return base;
}

/** This machine's first address the room can reach (pageUrls leaves the bridges out), with the server's default port. Pure: the interfaces are given. */
export function guessedBase(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): string {
  return pageUrls('0.0.0.0', DEFAULT_WEB_PORT, interfaces)[0]!.replace(/\/$/, '');
}

export async function joinBaseOf(classDir: string, typedUrl?: string): Promise<{ base: string; from: JoinBaseSource }> {
  if (typedUrl !== undefined) return { base: checkJoinUrl(typedUrl), from: 'typed' };
  const recorded = await readServedUrl(classDir);
  if (recorded !== undefined) return { base: recorded, from: 'recorded' };
  return { base: guessedBase(os.networkInterfaces()), from: 'guessed' };
}

/** Where students join: --url if given, else where the server last served, else this machine's address on port 8091. */
export async function joinBase(classDir: string, typedUrl?: string): Promise<string> {
  return (await joinBaseOf(classDir, typedUrl)).base;
}

export function loginLink(base: string, secret: string): string {
  return `${base}/login?key=${secret}`;
}
