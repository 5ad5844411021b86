// The browser terminals: a shell on a terminal of its own (a TTY exec) in a student's node per
// WebSocket, with the limits, the flow control and the instructor's read-only watchers of
// docs/class-server.md ("The terminal's wire"). The engine does not end an exec when its
// attachment closes, so every shell carries a marker in its environment and is ended by it.
import { randomBytes } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import type { Engine, TtyExec } from '../engine/engine.js';

export interface TerminalLimits {
  /** Terminals one student may have open at once. */
  perStudent: number;
  /** A terminal with no input for this long is closed (its shell ended). */
  idleMs: number;
  /** A larger message from the page (a paste) is dropped, with a notice. */
  maxMessageBytes: number;
}

export interface TerminalTarget {
  student: string;
  node: string;
  container: string;
  engine: Engine;
}

const DEFAULT_LIMITS: TerminalLimits = { perStudent: 6, idleMs: 30 * 60_000, maxMessageBytes: 64 * 1024 };
/** What a watcher who joins late is shown first. */
const SCROLLBACK_BYTES = 64 * 1024;
/** The node's output waits while the page's socket holds more than this unsent. */
const SOCKET_HIGH_WATER = 1024 * 1024;
const SOCKET_LOW_WATER = 256 * 1024;
/** A watcher this far behind is dropped rather than allowed to hold the shell back. */
const WATCHER_HIGH_WATER = 4 * 1024 * 1024;
const DRAIN_CHECK_MS = 50;

/** bash where the node has it (the Debian node), busybox sh where not (docker:dind). */
export const SHELL = ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi'];
export const MARKER_VARIABLE = 'SWARMLAB_TERMINAL';

/**
 * Ends every process whose environment holds exactly `SWARMLAB_TERMINAL=$1` (the shell and all
 * it started): SIGHUP, as a closed terminal would send, then SIGKILL a second later for any that
 * ignored it. Busybox tools only (tr, grep, kill), so it runs on docker:dind too.
 */
export const END_SHELL_SCRIPT = [
  `m="${MARKER_VARIABLE}=$1"; pids=""`,
  'for d in /proc/[0-9]*; do',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's own parameter expansion
  '  if tr "\\0" "\\n" < "$d/environ" 2>/dev/null | grep -qxF "$m"; then pids="$pids ${d#/proc/}"; fi',
  'done',
  '[ -z "$pids" ] && exit 0',
  'kill -HUP $pids 2>/dev/null; sleep 1; kill -KILL $pids 2>/dev/null; exit 0',
].join('\n');

interface Terminal {
  id: string;
  target: TerminalTarget;
  openedAt: Date;
  tty: TtyExec;
  socket: WebSocket;
  watchers: Set<WebSocket>;
  scrollback: Buffer[];
  scrollbackBytes: number;
  pausedByPage: boolean;
  pausedBySocket: boolean;
  drainTimer?: NodeJS.Timeout;
  idleTimer?: NodeJS.Timeout;
  ended: boolean;
}

function notice(socket: WebSocket, text: string): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'notice', text }));
}

function sizeOf(data: RawData): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function bytesOf(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data;
}

export class TerminalHub {
  private readonly limits: TerminalLimits;
  private readonly terminals = new Map<string, Terminal>();
  private readonly ending = new Set<Promise<unknown>>();

  constructor(limits: Partial<TerminalLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Attaches an authenticated WebSocket as a new shell in the target node. */
  async open(socket: WebSocket, target: TerminalTarget, size: { cols: number; rows: number }): Promise<void> {
    const open = [...this.terminals.values()].filter((t) => t.target.student === target.student).length;
    if (open >= this.limits.perStudent) {
      notice(socket, `You have ${open} terminals open, the most at once: close one (its tab or page) and reconnect.`);
      socket.close(1008, 'too many terminals');
      return;
    }
    const id = randomBytes(12).toString('base64url');
    let tty: TtyExec;
    try {
      tty = await target.engine.execTty(target.container, SHELL, {
        env: { TERM: 'xterm-256color', LANG: 'C.UTF-8', [MARKER_VARIABLE]: id },
        cols: clamp(size.cols, 2, 500),
        rows: clamp(size.rows, 2, 200),
      });
    } catch (err) {
      notice(socket, `No shell could start in ${target.node}: ${(err as Error).message}`);
      socket.close(1011, 'no shell');
      return;
    }
    const terminal: Terminal = {
      id,
      target,
      openedAt: new Date(),
      tty,
      socket,
      watchers: new Set(),
      scrollback: [],
      scrollbackBytes: 0,
      pausedByPage: false,
      pausedBySocket: false,
      ended: false,
    };
    this.terminals.set(id, terminal);
    // The page may have gone while the shell started.
    if (socket.readyState !== socket.OPEN) {
      this.end(terminal);
      return;
    }
    tty.output.on('data', (chunk: Buffer) => this.output(terminal, chunk));
    const exited = () => {
      if (terminal.ended) return;
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'exit' }));
      socket.close(1000, 'shell ended');
      this.end(terminal);
    };
    tty.output.on('end', exited);
    tty.output.on('close', exited);
    tty.output.on('error', exited);
    socket.on('message', (data, isBinary) => this.input(terminal, data, isBinary));
    socket.on('close', () => this.end(terminal));
    this.touch(terminal);
  }

  /** The student's open terminals, oldest first. */
  list(student: string): { id: string; node: string; openedAt: string }[] {
    return [...this.terminals.values()]
      .filter((t) => t.target.student === student)
      .map((t) => ({ id: t.id, node: t.target.node, openedAt: t.openedAt.toISOString() }));
  }

  /** A read-only watcher of one of the student's terminals: the last 64 KiB, then live. False when there is no such terminal. */
  watch(socket: WebSocket, student: string, terminalId: string): boolean {
    const terminal = this.terminals.get(terminalId);
    if (!terminal || terminal.target.student !== student || terminal.ended) return false;
    notice(socket, `watching ${student}'s terminal in ${terminal.target.node} (read-only)`);
    if (terminal.scrollbackBytes > 0) socket.send(Buffer.concat(terminal.scrollback));
    terminal.watchers.add(socket);
    // A watcher's keystrokes go nowhere.
    socket.on('close', () => terminal.watchers.delete(socket));
    return true;
  }

  /** Ends every shell (the server stops). */
  async closeAll(): Promise<void> {
    for (const terminal of this.terminals.values()) {
      notice(terminal.socket, 'The class server stopped.');
      terminal.socket.close(1001, 'server stopping');
      this.end(terminal);
    }
    await Promise.all(this.ending);
  }

  private output(terminal: Terminal, chunk: Buffer): void {
    const { socket } = terminal;
    if (socket.readyState === socket.OPEN) socket.send(chunk, { binary: true });
    terminal.scrollback.push(chunk);
    terminal.scrollbackBytes += chunk.length;
    while (terminal.scrollbackBytes - terminal.scrollback[0]!.length >= SCROLLBACK_BYTES) {
      terminal.scrollbackBytes -= terminal.scrollback.shift()!.length;
    }
    for (const watcher of terminal.watchers) {
      if (watcher.bufferedAmount > WATCHER_HIGH_WATER) {
        terminal.watchers.delete(watcher);
        notice(watcher, 'This view fell too far behind the terminal and stopped: reload to watch again.');
        watcher.close(1008, 'too slow');
      } else if (watcher.readyState === watcher.OPEN) watcher.send(chunk, { binary: true });
    }
    if (!terminal.pausedBySocket && socket.bufferedAmount > SOCKET_HIGH_WATER) {
      terminal.pausedBySocket = true;
      this.flow(terminal);
      terminal.drainTimer = setInterval(() => {
        if (socket.bufferedAmount > SOCKET_LOW_WATER && socket.readyState === socket.OPEN) return;
        clearInterval(terminal.drainTimer);
        terminal.drainTimer = undefined;
        terminal.pausedBySocket = false;
        this.flow(terminal);
      }, DRAIN_CHECK_MS);
    }
  }

  /** The node's output flows unless the page or its socket asked it to wait. */
  private flow(terminal: Terminal): void {
    if (terminal.ended) return;
    if (terminal.pausedByPage || terminal.pausedBySocket) terminal.tty.output.pause();
    else terminal.tty.output.resume();
  }

  private input(terminal: Terminal, data: RawData, isBinary: boolean): void {
    if (sizeOf(data) > this.limits.maxMessageBytes) {
      notice(terminal.socket, `A message over ${sizeText(this.limits.maxMessageBytes)} was dropped: paste less at once.`);
      return;
    }
    this.touch(terminal);
    if (isBinary) {
      terminal.tty.write(bytesOf(data));
      return;
    }
    let message: { type?: unknown; cols?: unknown; rows?: unknown };
    try {
      message = JSON.parse(bytesOf(data).toString('utf8'));
    } catch {
      return;
    }
    if (message.type === 'resize' && typeof message.cols === 'number' && typeof message.rows === 'number') {
      terminal.tty.resize(clamp(message.cols, 2, 500), clamp(message.rows, 2, 200)).catch(() => {});
    } else if (message.type === 'pause' || message.type === 'resume') {
      terminal.pausedByPage = message.type === 'pause';
      this.flow(terminal);
    }
  }

  private touch(terminal: Terminal): void {
    clearTimeout(terminal.idleTimer);
    terminal.idleTimer = setTimeout(() => {
      notice(terminal.socket, `Closed after ${Math.round(this.limits.idleMs / 60_000)} minutes without input: reconnect for a new shell.`);
      terminal.socket.close(1000, 'idle');
      this.end(terminal);
    }, this.limits.idleMs);
    terminal.idleTimer.unref();
  }

  private end(terminal: Terminal): void {
    if (terminal.ended) return;
    terminal.ended = true;
    clearTimeout(terminal.idleTimer);
    clearInterval(terminal.drainTimer);
    this.terminals.delete(terminal.id);
    terminal.tty.close();
    for (const watcher of terminal.watchers) {
      notice(watcher, 'The terminal closed.');
      watcher.close(1000, 'terminal closed');
    }
    const { engine, container } = terminal.target;
    const ending = engine
      .exec(container, ['sh', '-c', END_SHELL_SCRIPT, 'sh', terminal.id])
      .catch(() => undefined)
      .finally(() => this.ending.delete(ending));
    this.ending.add(ending);
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`;
}

function clamp(n: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, Math.round(Number.isFinite(n) ? n : low)));
}
