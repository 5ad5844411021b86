// What a request to the class server is for, and whether its login may have it. Pure: the
// server asks these two questions first and answers 401 to every "no", with the same body, so a
// request without the right login learns nothing of what exists (docs/class-server.md, Routes).
import type { Principal } from './logins.js';

export type StudentApi = 'lab' | 'exercises' | 'terminals' | 'check' | 'hint' | 'start';

export type Route =
  | { kind: 'login' }
  | { kind: 'home' }
  | { kind: 'events' }
  | { kind: 'asset'; name: string }
  | { kind: 'student-page'; student: string }
  | { kind: 'student-api'; student: string; api: StudentApi }
  | { kind: 'terminal'; student: string }
  | { kind: 'watch'; student: string; terminal: string }
  | { kind: 'port'; student: string; port: number; rest: string };

const ASSETS = new Set(['student.js', 'xterm.css']);
const READ_APIS: StudentApi[] = ['lab', 'exercises', 'terminals'];
const WRITE_APIS: StudentApi[] = ['check', 'hint', 'start'];
const STUDENT = '(s\\d{2})';

/** The route of a request; undefined for anything else (answered 401 like a refusal). `upgrade`: a WebSocket. */
export function routeOf(method: string, pathAndQuery: string, upgrade = false): Route | undefined {
  const pathname = pathAndQuery.split('?')[0]!;
  if (upgrade) {
    if (method !== 'GET') return undefined;
    const term = new RegExp(`^/s/${STUDENT}/term$`).exec(pathname);
    if (term) return { kind: 'terminal', student: term[1]! };
    const watch = new RegExp(`^/s/${STUDENT}/watch/([A-Za-z0-9_-]{1,64})$`).exec(pathname);
    return watch ? { kind: 'watch', student: watch[1]!, terminal: watch[2]! } : undefined;
  }
  const port = new RegExp(`^/s/${STUDENT}/port/(\\d{1,5})(/.*)?$`).exec(pathname);
  if (port) {
    const query = pathAndQuery.slice(pathname.length);
    return { kind: 'port', student: port[1]!, port: Number(port[2]), rest: `${port[3] ?? '/'}${query}` };
  }
  if (method === 'GET') {
    if (pathname === '/login') return { kind: 'login' };
    if (pathname === '/' || pathname === '/index.html') return { kind: 'home' };
    if (pathname === '/events') return { kind: 'events' };
    const asset = /^\/assets\/([a-z.]+)$/.exec(pathname);
    if (asset && ASSETS.has(asset[1]!)) return { kind: 'asset', name: asset[1]! };
    const page = new RegExp(`^/s/${STUDENT}/$`).exec(pathname);
    if (page) return { kind: 'student-page', student: page[1]! };
  }
  const api = new RegExp(`^/s/${STUDENT}/api/([a-z]+)$`).exec(pathname);
  if (api) {
    const name = api[2] as StudentApi;
    if ((method === 'GET' && READ_APIS.includes(name)) || (method === 'POST' && WRITE_APIS.includes(name))) {
      return { kind: 'student-api', student: api[1]!, api: name };
    }
  }
  return undefined;
}

/**
 * Whether `who` may have `route`. A student: their own pages, API, terminals and ports, and the
 * shared assets. The instructor: the grid and every student's pages, read APIs and ports, and
 * terminals only to watch; Check, Hint and Start stay the student's own (the instructor has
 * `class exec`).
 */
export function allowed(route: Route, who: Principal | undefined): boolean {
  if (route.kind === 'login') return true;
  if (!who) return false;
  const own = 'student' in route && who.role === 'student' && who.id === route.student;
  const instructor = who.role === 'instructor';
  switch (route.kind) {
    case 'home':
    case 'asset':
      return true;
    case 'events':
    case 'watch':
      return instructor;
    case 'terminal':
      return own;
    case 'student-api':
      return own || (instructor && READ_APIS.includes(route.api));
    case 'student-page':
    case 'port':
      return own || instructor;
  }
}

/** Whether an Origin header names this very server (a POST's and a WebSocket's guard against other sites). */
export function sameOrigin(origin: string | undefined, host: string | undefined, tls: boolean): boolean {
  return origin !== undefined && host !== undefined && origin === `${tls ? 'https' : 'http'}://${host}`;
}
