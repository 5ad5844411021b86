// The class server (`swarmlab class web`): the instructor's grid and a page per student, every
// request, stream and socket behind a login (docs/class-server.md). This module is the edge:
// it asks routes.ts what a request is for and whether its login may have it, then hands it to
// the terminals, the exercise panel, the port proxy or the grid's feed.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { StudentLab } from '../class/plan.js';
import type { Engine } from '../engine/engine.js';
import { readInventory } from '../lab/inventory.js';
import { LABEL_ROLE } from '../plan/labels.js';
import { checkPort, listen, pageUrls } from './listen.js';
import { LiveFeed } from './live-feed.js';
import { loginCookie, principalOfCookie } from './login-cookie.js';
import { LoginStore } from './login-store.js';
import { principalOf } from './logins.js';
import { proxyToPort } from './port-proxy.js';
import { allowed, type Route, routeOf, sameOrigin } from './routes.js';
import { StudentExercises, type StudentRunner } from './student-exercises.js';
import { TerminalHub } from './terminal-hub.js';

export interface ClassServerOptions {
  classDir: string;
  students: StudentLab[];
  host: string;
  port: number;
  /** How the port is flagged, for the one-line error of a taken port. */
  portFlag: string;
  tls?: { cert: string; key: string };
  /** The engine a student's lab is on, and whether it is this machine's (its ports are then on 127.0.0.1 here). */
  engineOf(student: StudentLab): { engine: Engine; local: boolean };
  runStudent: StudentRunner;
  /** The grid's model (the class status rows); the server adds where students join. */
  produceGrid(): Promise<Record<string, unknown>>;
  /** One student's row of the grid, for their page's header. */
  readStatus(student: StudentLab): Promise<unknown>;
  /** templates/class (index.html, student.html) and dist/web (student.js, xterm.css). */
  pagesDir: string;
  assetsDir: string;
  stop: Promise<unknown>;
  /** Told the addresses the room opens, once the server listens. */
  say(urls: string[]): void | Promise<void>;
}

const REFUSED = 'Not logged in: open the link on your card.\n';
const MAX_BODY = 16 * 1024;
const STATUS_TTL_MS = 10_000;
const MAX_MESSAGE = 64 * 1024;
const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };
const ASSET_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

function refuse(response: http.ServerResponse): void {
  response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end(REFUSED);
}

function json(response: http.ServerResponse, value: unknown, status = 200): void {
  response.writeHead(status, { 'content-type': 'application/json', ...SECURITY_HEADERS }).end(JSON.stringify(value));
}

async function readBody(request: http.IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  try {
    return chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
  } catch {
    return undefined;
  }
}

/**
 * The port a request came from, by its Referer, when it is a page of a student's port asking
 * for an absolute path of its own app; undefined otherwise.
 */
function portPageOf(request: http.IncomingMessage): Extract<Route, { kind: 'port' }> | undefined {
  if (request.method !== 'GET' || !request.headers.referer || !request.headers.host) return undefined;
  let from: URL;
  try {
    from = new URL(request.headers.referer);
  } catch {
    return undefined;
  }
  const page = from.host === request.headers.host ? routeOf('GET', from.pathname) : undefined;
  return page?.kind === 'port' ? { ...page, rest: request.url ?? '/' } : undefined;
}

/** A student's status row, read at most every 10 s whoever asks (their page asks every 15 s). */
class StatusCache {
  private readonly rows = new Map<string, { at: number; row: Promise<unknown> }>();
  constructor(private readonly read: (student: StudentLab) => Promise<unknown>) {}
  of(student: StudentLab): Promise<unknown> {
    const cached = this.rows.get(student.id);
    if (cached && Date.now() - cached.at < STATUS_TTL_MS) return cached.row;
    const row = this.read(student).catch(() => null);
    this.rows.set(student.id, { at: Date.now(), row });
    return row;
  }
}

/** A handshake refused before any WebSocket exists: the same 401 as a page. */
function refuseUpgrade(socket: Duplex): void {
  socket.end(`HTTP/1.1 401 Unauthorized\r\ncontent-type: text/plain\r\ncontent-length: ${REFUSED.length}\r\nconnection: close\r\n\r\n${REFUSED}`);
}

export async function serveClass(options: ClassServerOptions): Promise<void> {
  checkPort(options.port, options.portFlag);
  const tls = options.tls !== undefined;
  const [gridPage, studentPage] = await Promise.all([
    readFile(path.join(options.pagesDir, 'index.html'), 'utf8'),
    readFile(path.join(options.pagesDir, 'student.html'), 'utf8'),
  ]);
  const students = new Map(options.students.map((s) => [s.id, s] as const));
  const logins = new LoginStore(options.classDir);
  const hub = new TerminalHub({ maxMessageBytes: MAX_MESSAGE });
  const exercises = new StudentExercises(options.runStudent);
  let joinUrls: string[] = [];
  // Each round reads every lab: a round takes longer as the class grows, so it comes less often
  // (1 s up to 6 students, 3.6 s for 24), and only while an instructor's grid is open.
  const feed = new LiveFeed(async () => ({ ...(await options.produceGrid()), joinUrls }), {
    onlyWatched: true,
    intervalMs: Math.max(1000, 150 * options.students.length),
  });
  const statuses = new StatusCache(options.readStatus);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });

  const nodesOf = async (student: StudentLab) => {
    const inventory = await readInventory(options.engineOf(student).engine, student.lab);
    const nodes = [...inventory.nodes.entries()].map(([name, c]) => ({ name, container: c.name, role: c.labels[LABEL_ROLE] ?? 'worker' }));
    // Managers first, each kind by name: the page's first tab is the manager.
    return nodes.sort((a, b) => Number(a.role !== 'manager') - Number(b.role !== 'manager') || a.name.localeCompare(b.name));
  };

  async function studentApi(route: Extract<Route, { kind: 'student-api' }>, student: StudentLab, request: http.IncomingMessage, response: http.ServerResponse) {
    switch (route.api) {
      case 'lab': {
        const nodes = (await nodesOf(student)).map(({ name, role }) => ({ name, role }));
        const ports = student.ports.map((p) => ({ container: p.container, url: `/s/${student.id}/port/${p.container}/` }));
        return json(response, { id: student.id, lab: student.lab, nodes, ports, status: await statuses.of(student) });
      }
      case 'exercises':
        return json(response, await exercises.listing(student.id));
      case 'terminals':
        return json(response, hub.list(student.id));
      case 'check':
        return json(response, await exercises.check(student.id));
      case 'hint':
        return json(response, await exercises.hint(student.id));
      case 'start': {
        const body = (await readBody(request)) as { id?: unknown } | undefined;
        return json(response, await exercises.start(student.id, body?.id));
      }
    }
  }

  async function answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const route = routeOf(request.method ?? 'GET', request.url ?? '/');
    const current = await logins.current();
    if (route?.kind === 'login') {
      const key = new URL(request.url ?? '/', 'http://x').searchParams.get('key') ?? '';
      if (!current || !principalOf(current, key)) return refuse(response);
      // 303 to /: the secret leaves the address bar (and the history entry it would leave).
      response.writeHead(303, { location: '/', 'set-cookie': loginCookie(key, tls), ...SECURITY_HEADERS }).end();
      return;
    }
    const who = principalOfCookie(current, request.headers.cookie);
    const portPage = !route && who ? portPageOf(request) : undefined;
    if (portPage && allowed(portPage, who)) {
      // An app behind a port links by absolute path (/cgi-bin/hostname): sent back under its port.
      response.writeHead(307, { location: `/s/${portPage.student}/port/${portPage.port}${portPage.rest}`, ...SECURITY_HEADERS }).end();
      return;
    }
    if (!route || !who || !allowed(route, who)) return refuse(response);
    if (request.method === 'POST' && !sameOrigin(request.headers.origin, request.headers.host, tls)) return refuse(response);
    const student = 'student' in route ? students.get(route.student) : undefined;
    if ('student' in route && !student) return refuse(response);
    switch (route.kind) {
      case 'home':
        if (who.role === 'student') {
          response.writeHead(303, { location: `/s/${who.id}/`, ...SECURITY_HEADERS }).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-frame-options': 'DENY', ...SECURITY_HEADERS }).end(gridPage);
        return;
      case 'events':
        return feed.subscribe(request, response);
      case 'asset': {
        const body = await readFile(path.join(options.assetsDir, route.name)).catch(() => undefined);
        if (!body) {
          response.writeHead(404, { 'content-type': 'text/plain' }).end(`${route.name} is missing: npm run build\n`);
          return;
        }
        response.writeHead(200, { 'content-type': ASSET_TYPES[path.extname(route.name)] ?? 'application/octet-stream', ...SECURITY_HEADERS }).end(body);
        return;
      }
      case 'student-page':
        // The instructor sees a student's page read-only: its terminals watched, its buttons off.
        if (who.role === 'instructor' && !(request.url ?? '').includes('?watch')) {
          response.writeHead(303, { location: `/s/${route.student}/?watch`, ...SECURITY_HEADERS }).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-frame-options': 'DENY', ...SECURITY_HEADERS }).end(studentPage);
        return;
      case 'student-api':
        return studentApi(route, student!, request, response);
      case 'port': {
        const published = student!.ports.find((p) => p.container === route.port);
        const { local } = options.engineOf(student!);
        if (!published || !local) return refuse(response);
        return proxyToPort(request, response, { host: '127.0.0.1', port: published.host, sandbox: who.role !== 'student' }, route.rest);
      }
      default:
        return refuse(response);
    }
  }

  async function upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const route = routeOf(request.method ?? 'GET', request.url ?? '/', true);
    const who = principalOfCookie(await logins.current(), request.headers.cookie);
    const student = route && 'student' in route ? students.get(route.student) : undefined;
    if (!route || !who || !student || !allowed(route, who) || !sameOrigin(request.headers.origin, request.headers.host, tls)) return refuseUpgrade(socket);
    if (route.kind === 'terminal') {
      const query = new URL(request.url ?? '/', 'http://x').searchParams;
      const node = (await nodesOf(student)).find((n) => n.name === query.get('node'));
      if (!node) return refuseUpgrade(socket);
      const size = { cols: Number(query.get('cols')) || 80, rows: Number(query.get('rows')) || 24 };
      sockets.handleUpgrade(request, socket, head, (ws) => {
        void hub.open(ws, { student: student.id, node: node.name, container: node.container, engine: options.engineOf(student).engine }, size);
      });
    } else if (route.kind === 'watch') {
      sockets.handleUpgrade(request, socket, head, (ws) => {
        if (!hub.watch(ws, student.id, route.terminal)) ws.close(1008, 'no such terminal');
      });
    } else refuseUpgrade(socket);
  }

  const handler = (request: http.IncomingMessage, response: http.ServerResponse) => {
    answer(request, response).catch((err: Error) => {
      if (!response.headersSent) json(response, { error: err.message }, 500);
      else response.destroy();
    });
  };
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler) : http.createServer(handler);
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(request, socket, head).catch(() => refuseUpgrade(socket));
  });
  await listen(server, options.host, options.port, options.portFlag);
  joinUrls = pageUrls(options.host, options.port, os.networkInterfaces(), tls ? 'https' : 'http');
  await options.say(joinUrls);
  try {
    await feed.run(options.stop);
  } finally {
    await hub.closeAll();
    sockets.close();
    server.closeAllConnections();
    server.close();
  }
}
