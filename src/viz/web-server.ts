// `swarmlab viz --web`: the view as a page served by the CLI itself on 127.0.0.1, nothing
// mounted into the swarm and nothing pulled (the seeds' visualizer mounts the engine socket
// into a service and polls every 5 s). The swarm is pictured every second; each page gets the
// model over server-sent events when it changes.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { LabError } from '../errors.js';
import { TEMPLATES_DIR } from '../lab/paths.js';
import type { ClusterSnapshot } from '../swarm/snapshot.js';
import { vizModel } from './model.js';

export interface VizWebOptions {
  lab: string;
  port: number;
  picture: () => Promise<ClusterSnapshot>;
  /** Resolves when the server should stop (Ctrl-C). */
  stop: Promise<unknown>;
  /** Where the serving line goes. */
  say: (line: string) => void;
}

const REFRESH_MS = 1000;
const HEARTBEAT_MS = 15_000;

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new LabError(`port ${port} on 127.0.0.1 is in use; fix: swarmlab viz --web --port ANOTHER`) : err),
    );
    server.listen({ host: '127.0.0.1', port }, resolve);
  });
}

export async function serveViz(options: VizWebOptions): Promise<void> {
  const page = await readFile(path.join(TEMPLATES_DIR, 'viz', 'index.html'), 'utf8');
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
  await listen(server, options.port);
  options.say(`Serving the swarm of lab "${options.lab}" on http://127.0.0.1:${options.port}/ (Ctrl-C stops)`);
  const heartbeat = setInterval(() => clients.forEach((c) => c.write(': still here\n\n')), HEARTBEAT_MS);
  let stopping = false;
  void options.stop.then(() => (stopping = true));
  try {
    while (!stopping) {
      const model = await options
        .picture()
        .then((snapshot) => JSON.stringify(vizModel(snapshot, options.lab)))
        .catch((err: Error) => JSON.stringify({ lab: options.lab, problem: err.message, leader: null, quorum: null, nodes: [], unassigned: [], services: [], stacks: [] }));
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
