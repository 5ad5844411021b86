// The cards handed to students: the link that logs them in and its QR code, then the lab, and
// where the link points (--url, where the server served, or this machine).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import type { Card } from '../../src/class/class-cards.js';
import { planClass } from '../../src/class/plan.js';
import { formatCardsHtml, formatCardsText, formatInstructorLogin } from '../../src/cli/print-class.js';
import { SpecError } from '../../src/errors.js';
import { checkJoinUrl, guessedBase, joinBase, joinBaseOf, loginLink, writeServedUrl } from '../../src/web/join-url.js';

const spec = { prefix: 'hc', students: 3, managers: 1, workers: 0, basePort: 31000, engines: ['default'], placement: {} };
const secrets: Record<string, string> = { s01: 'A'.repeat(32), s02: 'B'.repeat(32), s03: 'C'.repeat(32) };
const base = 'https://192.168.1.20:8091';

async function cards(type: 'utf8' | 'svg'): Promise<Card[]> {
  return Promise.all(
    planClass(spec).map(async (student) => {
      const link = loginLink(base, secrets[student.id]!);
      return { student, directory: `/class/${student.dir}`, engine: 'default', login: { link, qr: await QRCode.toString(link, { type, margin: 2 }) } };
    }),
  );
}

describe("a student's card", () => {
  it("opens with the link and its QR code, then the lab for someone at the instructor's machine", async () => {
    const text = formatCardsText(await cards('utf8'));
    const first = text.split('\n\n')[0]!.split('\n');
    expect(first[0]).toBe('Student s01: lab hc-s01 (engine default)');
    expect(first[1]).toBe(`  Open in your browser: ${base}/login?key=${'A'.repeat(32)}`);
    const qr = first.slice(2, first.indexOf("  At the instructor's machine:"));
    expect(qr.length).toBeGreaterThan(10);
    expect(qr.join('')).toMatch(/[█▀▄]/);
    expect(first).toContain('    Your lab directory:  /class/students/s01');
    expect(first).toContain('    Start:    cd /class/students/s01 && npx swarmlab status');
    expect(text.split('\n\n')).toHaveLength(3);
  });

  it("holds its own student's secret and no other", async () => {
    const text = formatCardsText(await cards('utf8'));
    for (const [i, card] of text.split('\n\n').entries()) {
      const own = Object.values(secrets)[i]!;
      expect(card).toContain(own);
      for (const other of Object.values(secrets).filter((s) => s !== own)) expect(card).not.toContain(other);
    }
  });

  it("shows the certificate's fingerprint when the class serves a self-signed one", async () => {
    const fingerprint = `${'AB:'.repeat(31)}CD`;
    expect(formatCardsText(await cards('utf8'), { fingerprint })).toContain(`  The page's certificate fingerprint (SHA-256): ${fingerprint}`);
    expect(formatCardsText(await cards('utf8'))).not.toContain('fingerprint');
  });

  it('is a page per student in HTML, the QR code an inline SVG', async () => {
    const html = formatCardsHtml('t', await cards('svg'));
    const sections = html.split('<section class="card">').slice(1);
    expect(sections).toHaveLength(3);
    expect(sections[1]).toContain(`<a href="${base}/login?key=${'B'.repeat(32)}">`);
    expect(sections[1]).toMatch(/<div class="qr"><svg [^>]*viewBox/);
    expect(sections[1]).not.toContain('A'.repeat(32));
    expect(sections[1]).toContain("<h3>At the instructor's machine:</h3>");
  });

  it("leaves the instructor's link out unless asked for it", () => {
    expect(formatInstructorLogin(undefined)).toBe('swarmlab class cards --instructor prints your own link.');
    expect(formatInstructorLogin(`${base}/login?key=x`)).toBe(`Instructor (keep this one to yourself): ${base}/login?key=x`);
  });
});

describe("where the cards' links point", () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'swarmlab-join-url-'));

  it("takes --url as the server's address, and refuses anything else in one line", () => {
    expect(checkJoinUrl('https://192.168.1.20:8091/')).toBe('https://192.168.1.20:8091');
    expect(checkJoinUrl('http://class.example')).toBe('http://class.example');
    for (const typed of ['192.168.1.20:8091', 'ftp://x', 'https://x/class', 'https://x/?a=1', 'nonsense', '']) {
      const err = (() => {
        try {
          checkJoinUrl(typed);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(SpecError);
      expect((err as Error).message).toMatch(/^--url: .*; fix: e\.g\. --url https:\/\/192\.168\.1\.20:8091$/);
    }
  });

  it("prefers --url, then where the server last served, then this machine's address", async () => {
    const classDir = dir();
    expect((await joinBaseOf(classDir)).from).toBe('guessed');
    await writeServedUrl(classDir, 'https://10.1.2.3:8443/');
    expect(await joinBaseOf(classDir)).toEqual({ base: 'https://10.1.2.3:8443', from: 'recorded' });
    expect(await joinBase(classDir, 'http://teacher:9000')).toBe('http://teacher:9000');
  });

  it("guesses an address the room can reach, not the engine's bridges", () => {
    const iface = (address: string, internal = false) => [{ address, family: 'IPv4' as const, internal, netmask: '255.255.255.0', mac: '', cidr: null }];
    expect(guessedBase({ lo: iface('127.0.0.1', true), docker0: iface('172.17.0.1'), 'br-1234': iface('172.18.0.1'), wlan0: iface('192.168.1.20') })).toBe(
      'http://192.168.1.20:8091',
    );
    expect(guessedBase({ lo: iface('127.0.0.1', true) })).toBe('http://127.0.0.1:8091');
  });

  it('puts the secret in the link as the server reads it', () => {
    expect(loginLink(base, 'abc_-1')).toBe(`${base}/login?key=abc_-1`);
  });
});
