// What each student's card holds: their lab, their engine, and the link (and QR code) that logs
// them into the class server. Printing the cards is the command line's (cli/print-class.ts).
import path from 'node:path';
import QRCode from 'qrcode';
import { checkJoinUrl, type JoinBaseSource, joinBaseOf, loginLink } from '../web/join-url.js';
import { ensureLogins } from '../web/logins.js';
import { selfSignedFingerprint } from '../web/tls.js';
import { chooseStudents } from './choose-students.js';
import { openClass } from './open-class.js';
import type { ClassSpec, StudentLab } from './plan.js';

/** A student's login as the card shows it: the link, and its QR code (text for the text cards, SVG for the page). */
export interface CardLogin {
  link: string;
  qr: string;
}

export interface Card {
  student: StudentLab;
  directory: string;
  engine: string;
  /** Where the lab's engine is not the machine's default, what DOCKER_HOST must say. */
  dockerHost?: string;
  /** The student's way into the class server (a class card without one shows only the lab). */
  login?: CardLogin;
}

/** What every card shows besides its student's own. */
export interface CardsExtras {
  /** The class's self-signed certificate, so a student can tell the browser's warning is about this server. */
  fingerprint?: string;
}

export interface CardsRequest {
  /** `--url`: where students open the class server; else where class web last served. */
  url?: string;
  /** `--students s02,s05`, or every student. */
  only?: string;
  /** The QR codes as text (for a terminal) or SVG (for the printable page). */
  qr: 'utf8' | 'svg';
}

export interface ClassCards {
  spec: ClassSpec;
  cards: Card[];
  extras: CardsExtras;
  /** Where the links point, and how that was found. */
  base: string;
  from: JoinBaseSource;
  /** The instructor's own link. */
  instructorLink: string;
}

/** The cards of the chosen students; a class made before logins existed gets them here. */
export async function classCards(classDir: string, request: CardsRequest): Promise<ClassCards> {
  if (request.url !== undefined) checkJoinUrl(request.url);
  const opened = await openClass(classDir);
  const chosen = chooseStudents(opened.students, request.only);
  const { base, from } = await joinBaseOf(classDir, request.url);
  // A class made before logins existed gets them here, the first time its cards are printed.
  const logins = await ensureLogins(
    classDir,
    opened.students.map((s) => s.id),
  );
  const extras = base.startsWith('https:') ? { fingerprint: await selfSignedFingerprint(classDir) } : {};
  const cards = await Promise.all(
    chosen.map(async (student: StudentLab) => {
      const engine = opened.engineOf(student);
      const link = loginLink(base, logins.students[student.id]!);
      return {
        student,
        directory: path.join(path.resolve(classDir), student.dir),
        engine: engine.name,
        dockerHost: engine.name === 'default' ? undefined : engine.endpoint.host,
        login: { link, qr: await QRCode.toString(link, { type: request.qr, margin: 2 }) },
      };
    }),
  );
  return { spec: opened.spec, cards, extras, base, from, instructorLink: loginLink(base, logins.instructor) };
}
