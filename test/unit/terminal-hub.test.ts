import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Engine, TtyExec } from '../../src/engine/engine.js';
import { MARKER_VARIABLE, TerminalHub } from '../../src/web/terminal-hub.js';

/** A WebSocket as the hub uses it: send, close, readyState, bufferedAmount, message and close events. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: (Buffer | string)[] = [];
  closedWith?: number;
  send(data: Buffer | string): void {
    this.sent.push(data);
  }
  close(code?: number): void {
    if (this.readyState !== 1) return;
    this.readyState = 3;
    this.closedWith = code;
    this.emit('close');
  }
  notices(): string[] {
    return this.sent.filter((d): d is string => typeof d === 'string').map((d) => JSON.parse(d).text ?? JSON.parse(d).type);
  }
  output(): string {
    return Buffer.concat(this.sent.filter((d): d is Buffer => Buffer.isBuffer(d))).toString('utf8');
  }
  type(text: string): void {
    this.emit('message', Buffer.from(text), true);
  }
  control(message: object): void {
    this.emit('message', Buffer.from(JSON.stringify(message)), false);
  }
}

interface FakeTty extends TtyExec {
  output: PassThrough;
  written: string[];
  closed: boolean;
  env: Record<string, string>;
}

function fakeEngine() {
  const ttys: FakeTty[] = [];
  const execs: string[][] = [];
  const engine = {
    async execTty(_container: string, _argv: string[], options: { env: Record<string, string> }) {
      const tty: FakeTty = {
        output: new PassThrough(),
        written: [],
        closed: false,
        env: options.env,
        write(data) {
          tty.written.push(String(data));
        },
        async resize() {},
        close() {
          tty.closed = true;
        },
      };
      ttys.push(tty);
      return tty;
    },
    async exec(_container: string, argv: string[]) {
      execs.push(argv);
      return { exitCode: 0, stdout: '', stderr: '' };
    },
  } as unknown as Engine;
  return { engine, ttys, execs };
}

const target = (engine: Engine, student = 's01') => ({ student, node: 'manager', container: 'lab-manager', engine });
const socket = () => new FakeSocket() as FakeSocket & WebSocket;
const size = { cols: 80, rows: 24 };

describe('the terminal hub', () => {
  it('gives each shell a marker, and ends it by that marker when the page closes', async () => {
    const { engine, ttys, execs } = fakeEngine();
    const hub = new TerminalHub();
    const page = socket();
    await hub.open(page, target(engine), size);
    const marker = ttys[0]!.env[MARKER_VARIABLE]!;
    expect(marker).toMatch(/^[A-Za-z0-9_-]{16}$/);
    page.type('ls\r');
    expect(ttys[0]!.written).toEqual(['ls\r']);
    page.close();
    await hub.closeAll();
    expect(ttys[0]!.closed).toBe(true);
    expect(execs).toHaveLength(1);
    expect(execs[0]!.at(-1)).toBe(marker);
    expect(hub.list('s01')).toEqual([]);
  });

  it('refuses a terminal over the per-student limit with a notice, and counts students apart', async () => {
    const { engine } = fakeEngine();
    const hub = new TerminalHub({ perStudent: 2 });
    await hub.open(socket(), target(engine), size);
    await hub.open(socket(), target(engine), size);
    const third = socket();
    await hub.open(third, target(engine), size);
    expect(third.closedWith).toBe(1008);
    expect(third.notices()[0]).toMatch(/2 terminals open/);
    const other = socket();
    await hub.open(other, target(engine, 's02'), size);
    expect(other.closedWith).toBeUndefined();
    expect(hub.list('s01')).toHaveLength(2);
    await hub.closeAll();
  });

  it('holds the node back while the page is behind, and lets it go when it catches up or resumes', async () => {
    const { engine, ttys } = fakeEngine();
    const hub = new TerminalHub();
    const page = socket();
    await hub.open(page, target(engine), size);
    const out = ttys[0]!.output;
    out.write('a');
    expect(out.isPaused()).toBe(false);
    page.bufferedAmount = 2 * 1024 * 1024;
    out.write('b');
    await new Promise((r) => setImmediate(r));
    expect(out.isPaused()).toBe(true);
    page.bufferedAmount = 0;
    await new Promise((r) => setTimeout(r, 120));
    expect(out.isPaused()).toBe(false);
    page.control({ type: 'pause' });
    expect(out.isPaused()).toBe(true);
    page.control({ type: 'resume' });
    expect(out.isPaused()).toBe(false);
    await hub.closeAll();
  });

  it("shows a watcher the last output, then live, and drops the watcher's keystrokes", async () => {
    const { engine, ttys } = fakeEngine();
    const hub = new TerminalHub();
    const page = socket();
    await hub.open(page, target(engine), size);
    ttys[0]!.output.write('before\r\n');
    await new Promise((r) => setImmediate(r));
    const id = hub.list('s01')[0]!.id;
    const watcher = socket();
    expect(hub.watch(watcher, 's02', id)).toBe(false);
    expect(hub.watch(watcher, 's01', id)).toBe(true);
    ttys[0]!.output.write('after\r\n');
    await new Promise((r) => setImmediate(r));
    expect(watcher.output()).toBe('before\r\nafter\r\n');
    watcher.type('rm -rf /\r');
    expect(ttys[0]!.written).toEqual([]);
    await hub.closeAll();
    expect(watcher.notices()).toContain('The terminal closed.');
  });

  it('drops a message over the size limit with a notice, and closes an idle terminal', async () => {
    const { engine, ttys, execs } = fakeEngine();
    const hub = new TerminalHub({ maxMessageBytes: 8, idleMs: 50 });
    const page = socket();
    await hub.open(page, target(engine), size);
    page.type('0123456789');
    expect(ttys[0]!.written).toEqual([]);
    expect(page.notices()[0]).toMatch(/over 8 bytes was dropped/);
    await new Promise((r) => setTimeout(r, 120));
    expect(page.closedWith).toBe(1000);
    expect(page.notices().at(-1)).toMatch(/without input/);
    await hub.closeAll();
    expect(execs).toHaveLength(1);
  });

  it('says exit and closes the page when the shell ends by itself', async () => {
    const { engine, ttys } = fakeEngine();
    const hub = new TerminalHub();
    const page = socket();
    await hub.open(page, target(engine), size);
    ttys[0]!.output.end();
    await new Promise((r) => setImmediate(r));
    expect(page.notices()).toContain('exit');
    expect(page.readyState).toBe(3);
    await hub.closeAll();
  });
});
