// A page served by the CLI itself on a local address, kept live over server-sent events: the
// model is produced every second and sent to each open page when it changes (web/live-feed.ts). Used by
// `viz --web` (one lab) and `class web` (every student). Nothing is mounted into any swarm.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import { checkPort, listen, pageUrls } from '../web/listen.js';
import { LiveFeed } from '../web/live-feed.js';

export { pageUrls };

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

export async function serveLivePage(options: LivePageOptions): Promise<void> {
  checkPort(options.port, options.portFlag);
  const page = await readFile(options.pageFile, 'utf8');
  const feed = new LiveFeed(options.produce);
  const server = http.createServer((request, response) => {
    if (request.url === '/events') feed.subscribe(request, response);
    else if (request.url === '/model') response.writeHead(200, { 'content-type': 'application/json' }).end(feed.latest);
    else if (request.url === '/' || request.url === '/index.html')
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await listen(server, options.host, options.port, options.portFlag);
  options.say(pageUrls(options.host, options.port, os.networkInterfaces()).join(' and '));
  try {
    await feed.run(options.stop);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
