/// <reference lib="dom" />
// One terminal on the page: an xterm.js view and the WebSocket behind it, speaking the wire of
// docs/class-server.md (binary frames are the terminal's bytes both ways, text frames are JSON).
// The socket opens when the pane is first shown, and again when the reader asks to reconnect.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { el } from './dom.js';
import { DrawBacklog } from './flow-control.js';

export interface TerminalPaneOptions {
  /** The node (a student's tab) or the terminal id (the instructor's watch). */
  key: string;
  /** The socket's address for a terminal of this size. */
  socketUrl(size: { cols: number; rows: number }): string;
  /** Watching: no keystrokes, no resize or flow control sent (the student's terminal is theirs). */
  readOnly: boolean;
  /** A fixed size (the watched terminal's), instead of fitting the pane. */
  size?: { cols: number; rows: number };
  /** Told when the socket closes, e.g. to find out whether the login is gone. */
  onClose?(): void;
  /** Told whether the socket is open, for the tab's marker. */
  onState?(state: 'connecting' | 'open' | 'closed'): void;
}

const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const PLAIN = '\x1b[0m';

/** The xterm instances by key, for tests: `window.swarmlabTerminals.manager.buffer.active`. */
function expose(key: string, term: Terminal): void {
  const w = window as unknown as { swarmlabTerminals?: Record<string, Terminal> };
  w.swarmlabTerminals ??= {};
  w.swarmlabTerminals[key] = term;
}

export class TerminalPane {
  /** The pane: the closed bar above the terminal's own container. */
  readonly element: HTMLElement;
  readonly term: Terminal;
  private readonly host: HTMLElement;
  private readonly closedBar: HTMLElement;
  private readonly closedText: HTMLElement;
  private readonly fitAddon = new FitAddon();
  private readonly backlog: DrawBacklog;
  private readonly encoder = new TextEncoder();
  private socket: WebSocket | undefined;
  /** Keys typed while the socket still connects, sent once it opens. */
  private queued: Uint8Array[] = [];
  private exited = false;
  private opened = false;

  constructor(private readonly options: TerminalPaneOptions) {
    this.host = el('div', { class: 'term-host', attrs: { 'data-terminal': options.key } });
    this.closedText = el('span');
    const reconnect = el('button', { class: 'reconnect', text: 'reconnect', attrs: { type: 'button', 'data-reconnect': options.key } });
    reconnect.addEventListener('click', () => {
      this.connect();
      this.term.focus();
    });
    this.closedBar = el('div', { class: 'term-closed', attrs: { hidden: '' } }, this.closedText, reconnect);
    this.element = el('div', { class: 'term-pane', attrs: { hidden: '' } }, this.closedBar, this.host);
    this.term = new Terminal({
      // The browser's own monospace: nothing is fetched, so a room without internet works.
      fontFamily: 'monospace',
      fontSize: 14,
      scrollback: 5000,
      cursorBlink: !options.readOnly,
      disableStdin: options.readOnly,
      theme: { background: '#1d232b', foreground: '#e6e9ee' },
    });
    this.term.loadAddon(this.fitAddon);
    this.backlog = new DrawBacklog((type) => this.sendJson({ type }));
    if (!options.readOnly) {
      this.term.onData((data) => this.sendBytes(this.encoder.encode(data)));
      // Some mouse reports are bytes, not text: one character per byte.
      this.term.onBinary((data) => this.sendBytes(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
      this.term.onResize(({ cols, rows }) => this.sendJson({ type: 'resize', cols, rows }));
    }
  }

  get visible(): boolean {
    return !this.element.hidden;
  }

  /** Shows the pane; the first time, the terminal is drawn and its socket opened. */
  show(): void {
    this.element.hidden = false;
    if (!this.opened) {
      this.opened = true;
      this.term.open(this.host);
      expose(this.options.key, this.term);
      this.resize();
      this.connect();
    } else this.resize();
    if (!this.options.readOnly) this.term.focus();
  }

  hide(): void {
    this.element.hidden = true;
  }

  /** Fits the terminal to its pane (or sets the watched size); hidden panes wait until shown. */
  resize(): void {
    if (!this.opened || !this.visible) return;
    const fixed = this.options.size;
    if (fixed) {
      if (fixed.cols !== this.term.cols || fixed.rows !== this.term.rows) this.term.resize(fixed.cols, fixed.rows);
      return;
    }
    // proposeDimensions is undefined while the pane has no size (a layout not done yet).
    if (this.fitAddon.proposeDimensions()) this.fitAddon.fit();
  }

  /** The watched size changed (the student resized their window). */
  setSize(size: { cols: number; rows: number } | undefined): void {
    this.options.size = size;
    this.resize();
  }

  get closed(): boolean {
    return this.socket === undefined || this.socket.readyState === WebSocket.CLOSED || this.socket.readyState === WebSocket.CLOSING;
  }

  connect(): void {
    if (this.socket && !this.closed) return;
    this.exited = false;
    this.closedBar.hidden = true;
    // The bar's height goes back to the terminal (fitted before its size goes in the address).
    this.resize();
    this.backlog.newSocket();
    const asked = { cols: this.term.cols, rows: this.term.rows };
    const socket = new WebSocket(this.options.socketUrl(asked));
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.options.onState?.('connecting');
    socket.addEventListener('open', () => {
      if (socket !== this.socket) return;
      this.options.onState?.('open');
      // Resized while the socket connected: the size in its address is out of date.
      if (this.term.cols !== asked.cols || this.term.rows !== asked.rows) this.sendJson({ type: 'resize', cols: this.term.cols, rows: this.term.rows });
      for (const bytes of this.queued) socket.send(bytes);
      this.queued = [];
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      if (socket !== this.socket) return;
      if (typeof event.data === 'string') this.notice(event.data);
      else this.output(new Uint8Array(event.data as ArrayBuffer));
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      if (socket !== this.socket) return;
      this.queued = [];
      const why = this.exited ? 'the shell ended' : `disconnected${event.reason ? `: ${event.reason}` : ''}`;
      this.line(RED, `[${why}]`);
      this.closedText.textContent = this.exited ? 'The shell ended.' : 'The connection to this terminal is closed.';
      this.closedBar.hidden = false;
      // Fitted to what the bar leaves, so the last lines (and the line above) stay in sight.
      this.resize();
      this.options.onState?.('closed');
      this.options.onClose?.();
    });
  }

  /** Output bytes: xterm.js decodes UTF-8 across frames; the backlog counts what is not drawn yet. */
  private output(bytes: Uint8Array): void {
    const size = bytes.length;
    this.backlog.written(size);
    this.term.write(bytes, () => this.backlog.drawn(size));
  }

  /** A text frame: `{"type":"notice","text":...}` or `{"type":"exit"}`. */
  private notice(text: string): void {
    let message: { type?: unknown; text?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.type === 'exit') this.exited = true;
    else if (message.type === 'notice' && typeof message.text === 'string') this.line(DIM, `[${message.text}]`);
  }

  /** A line of the page's own, on a line of its own, so it cannot be taken for the shell's. */
  private line(colour: string, text: string): void {
    this.term.write(`\r\n${colour}${text}${PLAIN}\r\n`);
  }

  private sendBytes(bytes: Uint8Array): void {
    const socket = this.socket;
    if (socket?.readyState === WebSocket.OPEN) socket.send(bytes);
    else if (socket?.readyState === WebSocket.CONNECTING) this.queued.push(bytes);
  }

  private sendJson(message: Record<string, unknown>): void {
    if (this.options.readOnly) return;
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  dispose(): void {
    this.socket?.close();
    this.socket = undefined;
    this.term.dispose();
    this.element.remove();
  }
}
