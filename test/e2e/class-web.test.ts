// The class server as a room uses it, in real headless Chromium: a student opens the link on
// their card, the secret leaves the address bar, a terminal into their manager runs docker,
// Check and Start work from the page and the instructor's grid follows; every other student's
// page, API, terminal and port, and everything without a login, answers 401.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';
import { docker, eventually, launchChromium, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, startServing, swarmlab } from './harness.js';

const classDir = newLabDir();
const at = ['--dir', classDir];
const PREFIX = 'e2e-web';
const PORT = 22991;
const BASE = `http://127.0.0.1:${PORT}`;
let server: Awaited<ReturnType<typeof startServing>> | undefined;
let browser: Browser;
const links: Record<string, string> = {};

/** The login links printed on the cards (one per student; the instructor's with --instructor). */
function linksOf(cards: string): string[] {
  return [...cards.matchAll(/http:\/\/127\.0\.0\.1:\d+\/login\?key=[A-Za-z0-9_-]+/g)].map((m) => m[0]);
}

async function loggedIn(link: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  return { context, page };
}

/** The text of a node's terminal, as xterm.js shows it (the page exposes its terminals for tests). */
function terminalText(page: Page, node: string): Promise<string> {
  return page.evaluate((n) => {
    const term = (
      window as unknown as {
        swarmlabTerminals: Record<
          string,
          { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } }
        >;
      }
    ).swarmlabTerminals[n];
    if (!term) return '';
    const lines: string[] = [];
    for (let i = 0; i < term.buffer.active.length; i++) lines.push(term.buffer.active.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  }, node);
}

async function typeIn(page: Page, node: string, text: string): Promise<void> {
  await page.locator(`[data-terminal="${node}"] .xterm-helper-textarea`).focus();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** A WebSocket handshake's answer: the HTTP status it was refused with, or 101. */
function handshake(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

async function cookieOf(context: BrowserContext): Promise<string> {
  return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

/** A terminal of s01's opened as the page would, read by a test. */
async function openTerminal(node: string, cookie: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${PORT}/s/s01/term?node=${node}&cols=120&rows=30`, { headers: { cookie, origin: BASE } });
  let text = '';
  ws.on('message', (data: Buffer, binary: boolean) => {
    if (binary) text += data.toString('utf8');
    // Only the tail is kept: a flood's 50 MB is not the test's to hold.
    if (text.length > 1_000_000) text = text.slice(-500_000);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`terminal refused: ${res.statusCode}`)));
  });
  return {
    ws,
    text: () => text,
    waitFor: (accept: (text: string) => boolean, timeoutMs = 30_000) => eventually(`terminal output in ${node}`, async () => text, accept, timeoutMs),
  };
}

/** Processes in a node whose environment carries a browser terminal's marker. */
async function markedProcesses(container: string): Promise<number> {
  const script = 'n=0; for d in /proc/[0-9]*; do tr "\\0" "\\n" < $d/environ 2>/dev/null | grep -q ^SWARMLAB_TERMINAL= && n=$((n+1)); done; echo $n';
  const result = await docker(['exec', container, 'sh', '-c', script]);
  if (result.exitCode !== 0) throw new Error(result.stderr);
  return Number(result.stdout.trim());
}

/** The class server's resident memory, in bytes. */
function serverRss(): number {
  const status = readFileSync(`/proc/${server!.child.pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]) * 1024;
}

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE]);
  const up = await swarmlab(['class', 'up', '--students', '2', '--workers', '3', '--prefix', PREFIX, '--base-port', '22000', ...at]);
  if (up.exitCode !== 0) throw new Error(`class up failed:\n${up.stdout}\n${up.stderr}`);
  const cards = await swarmlab(['class', 'cards', '--instructor', '--url', BASE, ...at]);
  const found = linksOf(cards.stdout);
  if (found.length !== 3) throw new Error(`expected 3 login links on the cards, found ${found.length}:\n${cards.stdout}`);
  [links.s01, links.s02, links.instructor] = found as [string, string, string];
  server = await startServing(['class', 'web', '--port', String(PORT), ...at], 'Serving class');
  browser = await launchChromium();
}, 400_000);

afterAll(async () => {
  await browser?.close();
  server?.child.kill('SIGINT');
  await server?.child;
  await swarmlab(['class', 'down', ...at]);
}, 180_000);

describe('class web: a student at their own laptop', () => {
  let student: { context: BrowserContext; page: Page };

  beforeAll(async () => {
    student = await loggedIn(links.s01!);
  }, 60_000);

  afterAll(async () => student.context.close());

  it('logs in by the link, and the secret leaves the address bar', async () => {
    expect(student.page.url()).toBe(`${BASE}/s/s01/`);
    const cookies = await student.context.cookies();
    expect(cookies.find((c) => c.name === 'swarmlab_login')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it("runs docker in the manager's terminal: 4 nodes, UTF-8 intact", async () => {
    const { page } = student;
    await page.locator('[data-node="manager"]').click();
    await page.waitForFunction(() => (window as unknown as { swarmlabTerminals?: Record<string, unknown> }).swarmlabTerminals?.manager !== undefined);
    await typeIn(page, 'manager', 'docker node ls --format "{{.Hostname}} {{.Status}}"');
    await eventually(
      '4 Ready nodes in the terminal',
      () => terminalText(page, 'manager'),
      (t) => t.match(/^(manager|worker0\d) Ready$/gm)?.length === 4,
    );
    await typeIn(page, 'manager', "printf '\\xe2\\x9c\\x94\\n'");
    await eventually(
      'one check mark on a line',
      () => terminalText(page, 'manager'),
      (t) => t.split('\n').filter((l) => l.trim() === '✔').length === 1,
    );
  }, 90_000);

  it('starts an exercise, Check shows the failing check with its hint, the work makes it pass, and the grid follows', async () => {
    const { page } = student;
    await page.locator('[data-exercise="overlay-network"] button').click();
    await eventually(
      'the task of overlay-network',
      () => page.locator('#task').textContent(),
      (t) => (t ?? '').includes('overlay'),
      120_000,
    );
    await page.locator('#check').click();
    const failing = page.locator('#check-result [data-check="ch03"].failing');
    await failing.waitFor({ timeout: 60_000 });
    expect(await failing.textContent()).toContain('network create --driver=overlay --attachable ch03');

    await typeIn(page, 'manager', 'docker network create --driver=overlay --attachable ch03');
    await eventually(
      'the new network id in the terminal',
      () => terminalText(page, 'manager'),
      (t) => /^[0-9a-z]{25}$/m.test(t),
    );
    await page.locator('#check').click();
    await page.locator('#check-result [data-check="ch03"].passed').waitFor({ timeout: 60_000 });

    const instructor = await loggedIn(links.instructor!);
    try {
      const passed = instructor.page.locator('tr[data-student="s01"] td.passed');
      await eventually(
        "s01's passed exercise on the grid",
        () => passed.textContent(),
        (t) => /^1\/\d+$/.test(t ?? ''),
        5000,
      );
    } finally {
      await instructor.context.close();
    }
  }, 300_000);

  it("lets the instructor watch the student's terminal live, read-only", async () => {
    const instructor = await loggedIn(links.instructor!);
    try {
      const { page } = instructor;
      await page.goto(`${BASE}/s/s01/`);
      expect(page.url()).toBe(`${BASE}/s/s01/?watch`);
      const tab = page.locator('[data-watch][data-node="manager"]').first();
      await tab.waitFor({ timeout: 30_000 });
      const id = (await tab.getAttribute('data-watch'))!;
      await typeIn(student.page, 'manager', 'echo watched-$((6*7))');
      await eventually(
        "the student's command in the watched terminal",
        () => terminalText(page, id),
        (t) => /^watched-42$/m.test(t),
      );
      await page.locator(`[data-terminal="${id}"] .xterm-helper-textarea`).focus();
      await page.keyboard.type('echo typed-by-$((6*7))');
      await page.keyboard.press('Enter');
      await typeIn(student.page, 'manager', 'echo after-$((6*7))');
      await eventually(
        'the next command of the student',
        () => terminalText(student.page, 'manager'),
        (t) => /^after-42$/m.test(t),
      );
      expect(await terminalText(student.page, 'manager')).not.toContain('typed-by');
    } finally {
      await instructor.context.close();
    }
  }, 120_000);

  it("reaches its own published port, and not another student's", async () => {
    const s01 = ['--dir', path.join(classDir, 'students', 's01')];
    expect((await swarmlab(['exercise', 'start', 'first-service', ...s01])).exitCode).toBe(0);
    expect((await swarmlab(['exercise', 'solve', 'first-service', ...s01])).exitCode).toBe(0);
    await eventually(
      'hello on port 80 through the server',
      async () => (await student.page.request.get(`${BASE}/s/s01/port/80/`)).text(),
      (t) => t.includes('Hello Docker!!'),
      60_000,
    );
    // The app's own absolute link (/cgi-bin/hostname), followed from its page, stays under its port.
    const page = await student.context.newPage();
    await page.goto(`${BASE}/s/s01/port/80/`);
    await page.locator('a[href="/cgi-bin/hostname"]').click();
    await page.waitForURL(`${BASE}/s/s01/port/80/cgi-bin/hostname`);
    expect((await page.textContent('body'))?.trim()).toMatch(/^echo from [0-9a-f]{12}$/);
    await page.close();
    expect((await student.page.request.get(`${BASE}/s/s02/port/80/`)).status()).toBe(401);
  }, 120_000);

  it('leaves no shell behind in the node after 50 terminals opened and closed', async () => {
    const cookie = await cookieOf(student.context);
    for (let i = 0; i < 50; i++) {
      const terminal = await openTerminal('worker01', cookie);
      await terminal.waitFor((text) => text.includes('#'));
      terminal.ws.close();
    }
    await eventually(
      'no marked shell left in worker01',
      () => markedProcesses(`${PREFIX}-s01-worker01`),
      (n) => n === 0,
    );
  }, 180_000);

  it("keeps another terminal answering while one prints 50 MB, with the server's memory bounded", async () => {
    const cookie = await cookieOf(student.context);
    const rssBefore = serverRss();
    const flood = await openTerminal('manager', cookie);
    const other = await openTerminal('worker01', cookie);
    await flood.waitFor((t) => t.includes('#'));
    await other.waitFor((t) => t.includes('#'));
    flood.ws.send(Buffer.from('yes | head -c 50000000; echo flood-done\r'));
    // The flood's reader lags far behind (its socket paused): the server must hold the node back, not buffer it.
    await flood.waitFor((t) => t.length > 200_000);
    flood.ws.pause();
    other.ws.send(Buffer.from('echo hello-B\r'));
    await other.waitFor((t) => /^hello-B\r?$/m.test(t));
    expect(flood.text()).not.toMatch(/^flood-done\r?$/m);
    expect(serverRss() - rssBefore).toBeLessThan(100 * 1024 * 1024);
    flood.ws.resume();
    await flood.waitFor((t) => /^flood-done\r?$/m.test(t), 120_000);
    flood.ws.close();
    other.ws.close();
  }, 240_000);

  it("gets 401 for another student's page, API, checks and terminal", async () => {
    const request = student.page.request;
    for (const url of ['/s/s02/', '/s/s02/api/lab', '/s/s02/api/exercises', '/events', '/s/s01/watch/x']) {
      expect([url, (await request.get(`${BASE}${url}`)).status()]).toEqual([url, 401]);
    }
    const check = await request.post(`${BASE}/s/s02/api/check`, { headers: { origin: BASE } });
    expect(check.status()).toBe(401);
    const cookie = (await student.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    expect(await handshake(`ws://127.0.0.1:${PORT}/s/s02/term?node=manager`, { cookie, origin: BASE })).toBe(401);
    // The student's own terminal, from another site's page: refused on its Origin.
    expect(await handshake(`ws://127.0.0.1:${PORT}/s/s01/term?node=manager`, { cookie, origin: 'http://evil.example' })).toBe(401);
    expect(await handshake(`ws://127.0.0.1:${PORT}/s/s01/term?node=manager`, { cookie, origin: BASE })).toBe(101);
  }, 60_000);
});

describe('class web: without a login', () => {
  it('answers 401 to every page, stream and socket, naming nothing', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const bodies = new Set<string>();
      for (const url of ['/', '/s/s01/', '/s/s01/api/lab', '/events', '/assets/student.js', '/s/s01/port/80/', '/login?key=wrong', '/nothing']) {
        const response = await page.request.get(`${BASE}${url}`);
        expect([url, response.status()]).toEqual([url, 401]);
        bodies.add(await response.text());
      }
      expect(bodies.size).toBe(1);
      expect([...bodies][0]).not.toMatch(/s0\d|e2e-web/);
      expect(await handshake(`ws://127.0.0.1:${PORT}/s/s01/term?node=manager`, { origin: BASE })).toBe(401);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('class web: bad input is one line with the fix, and nothing starts', () => {
  it.each([
    ['--rotate s99', ['--rotate', 's99'], /^error: --rotate: no student s99 in this class; fix: use s01\.\.s02$/],
    [
      'a missing certificate',
      ['--tls-cert', '/nonexistent.pem', '--tls-key', '/nonexistent.key'],
      /^error: --tls-cert: \/nonexistent\.pem does not exist; fix: /,
    ],
    ['a certificate without its key', ['--tls-cert', '/nonexistent.pem'], /^error: --tls-key: is missing: --tls-cert needs its key; fix: /],
    ['a port in use (the running server)', ['--port', String(PORT)], new RegExp(`^error: port ${PORT} on 127\\.0\\.0\\.1 is in use; fix: `)],
    [
      'an address this machine does not have',
      ['--port', String(PORT + 1), '--bind', '192.0.2.123'],
      /^error: --bind: 192\.0\.2\.123 is not an address of this machine; fix: /,
    ],
  ])(
    '%s',
    async (_what, args, expected) => {
      const result = await swarmlab(['class', 'web', ...args, ...at]);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(expected)]);
      expect(result.stdout).not.toMatch(/Serving/);
    },
    60_000,
  );
});
