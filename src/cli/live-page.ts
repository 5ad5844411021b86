// A page served by the CLI itself on a local address, kept live over server-sent events: the
// model is produced every second and sent to each open page when it changes. Used by
// `viz --web` (one lab) and `class web` (every student). Nothing is mounted into any swarm.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import { LabError, SpecError } from '../errors.js';

export interface LivePageOptions {
  /** The page's HTML file; its script reads /events. */
  pageFile: string;
  host: string;
  port: number;
  /** The model, as JSON-able data; a failure becomes `{problem}`. */
  produce: () => Promise<unknown>;
  /** Resolves when the server should stop (Ctrl-C). */
  stop: Promise<unknown>;
  /** The line saying where the page is. */
  say: (url: string) => void;
  /** How the host is flagged, for the one-line error of a taken port. */
  portFlag: string;
}

const REFRESH_MS = 1000;
const HEARTBEAT_MS = 15_000;

function listen(server: http.Server, host: string, port: number, portFlag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new LabError(`port ${port} on ${host} is in use`, { fix: `${portFlag} ANOTHER` }) : err),
    );
    server.listen({ host, port }, resolve);
  });
}

/**
 * The addresses a page served on `host` is opened at: the host itself, or, for every address
 * (0.0.0.0, ::), this machine's own non-loopback IPv4 addresses, which a student's browser can
 * use (0.0.0.0 is no address to open). Pure: the interfaces are given.
 */
export function pageUrls(host: string, port: number, interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [`http://${host}:${port}/`];
  const addresses = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal)
    .map((i) => `http://${i.address}:${port}/`);
  return addresses.length > 0 ? addresses : [`http://127.0.0.1:${port}/`];
}

export async function serveLivePage(options: LivePageOptions): Promise<void> {
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new SpecError([{ field: '--port', problem: `must be a port from 1 to 65535 (got ${options.port})`, fix: `e.g. ${options.portFlag} 8091` }]);
  }
  const page = await readFile(options.pageFile, 'utf8');
  const clients = new Set<http.ServerResponse>();
  let current = '';
  const server = http.createServer((request, response) => {
    if (request.url === '/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      if (current) response.write(`data: ${current}\n\n`);
      clients.add(response);
      request.on('close', () => clients.delete(response));
    } else if (request.url === '/model') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(current || 'null');
    } else if (request.url === '/' || request.url === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await listen(server, options.host, options.port, options.portFlag);
  options.say(pageUrls(options.host, options.port, os.networkInterfaces()).join(' and '));
  const heartbeat = setInterval(() => {
    for (const c of clients) c.write(': still here\n\n');
  }, HEARTBEAT_MS);
  let stopping = false;
  void options.stop.then(() => (stopping = true));
  try {
    while (!stopping) {
      const model = JSON.stringify(await options.produce().catch((err: Error) => ({ problem: err.message })));
      if (model !== current) {
        current = model;
        for (const client of clients) client.write(`data: ${model}\n\n`);
      }
      await Promise.race([options.stop, new Promise((resolve) => setTimeout(resolve, REFRESH_MS))]);
    }
  } finally {
    clearInterval(heartbeat);
    for (const client of clients) client.end();
    server.closeAllConnections();
    server.close();
  }
}
