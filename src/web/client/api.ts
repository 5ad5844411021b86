/// <reference lib="dom" />
// The student API of the class server (docs/class-server.md, Routes), as the page calls it:
// same-origin, the HttpOnly login cookie sent by the browser. A 401 means the login is gone
// (expired, rotated, never valid): the page is replaced by what to do about it.
import type { StudentStatus } from '../../class/student-status.js';
import type { CheckReport, ExerciseListing } from '../student-exercises.js';

export interface LabInfo {
  id: string;
  lab: string;
  nodes: { name: string; role: string }[];
  ports: { container: number; url: string }[];
  /** The grid's row for this student; absent while the server has none yet. */
  status?: StudentStatus | null;
}

export interface OpenTerminal {
  id: string;
  node: string;
  openedAt: string;
  /** The student's terminal size, when the server says it (a watcher then draws at that size). */
  cols?: number;
  rows?: number;
}

export type Failure = { error: string };

/** Thrown after a 401, once the page says so; callers have nothing left to do. */
export class LoginGone extends Error {
  constructor() {
    super('the login is not valid');
  }
}

export class StudentApi {
  /** `student`: sNN. `onLoginGone`: replaces the page (called at every 401). */
  constructor(
    readonly student: string,
    private readonly onLoginGone: () => void,
  ) {}

  private async call<T>(name: string, init: RequestInit): Promise<T | Failure> {
    let response: Response;
    try {
      response = await fetch(`/s/${this.student}/api/${name}`, { credentials: 'same-origin', cache: 'no-store', ...init });
    } catch {
      return { error: 'the class server does not answer: is it still running, and this laptop on its network?' };
    }
    if (response.status === 401) {
      this.onLoginGone();
      throw new LoginGone();
    }
    const text = await response.text();
    try {
      return JSON.parse(text) as T | Failure;
    } catch {
      return { error: `the class server answered ${response.status}: ${text.slice(0, 200)}` };
    }
  }

  get<T>(name: 'lab' | 'exercises' | 'terminals'): Promise<T | Failure> {
    return this.call<T>(name, { method: 'GET' });
  }

  post<T>(name: 'check' | 'hint' | 'start', body: unknown = {}): Promise<T | Failure> {
    return this.call<T>(name, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  lab = () => this.get<LabInfo>('lab');
  exercises = () => this.get<ExerciseListing>('exercises');
  terminals = () => this.get<OpenTerminal[]>('terminals');
  check = () => this.post<CheckReport>('check');
  hint = () => this.post<{ text: string }>('hint');
  start = (id: string) => this.post<{ ok: boolean; text: string }>('start', { id });

  /** The WebSocket address of `path` under this student (ws: or wss: as the page). */
  socketUrl(path: string): string {
    return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/s/${this.student}/${path}`;
  }
}

export function failed(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && 'error' in value && typeof (value as Failure).error === 'string';
}
