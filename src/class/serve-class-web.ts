// `class web`: the class's server, with every student's login, the status grid read from each
// student's engine, and each student's own commands run on their engine.
import { SpecError } from '../errors.js';
import { TEMPLATES_DIR, WEB_ASSETS_DIR } from '../lab/paths.js';
import { writeServedUrl } from '../web/join-url.js';
import { ensureLogins } from '../web/logins.js';
import { serveClass } from '../web/server.js';
import type { TlsMaterial } from '../web/tls.js';
import { classStatusReader } from './class-status.js';
import { type TlsFlags, tlsFlagsProblem, tlsMaterial } from './class-tls.js';
import { openClass } from './open-class.js';
import { studentRunner } from './student-runner.js';

export interface ClassWebRequest {
  port: number;
  bind: string;
  tls: TlsFlags;
}

export interface ClassWebIo {
  /** Runs the server with a signal that stops it (the command line's Ctrl-C). */
  interruptible: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>;
  /** Told where the room joins once the server listens (and where it serves is recorded for the cards). */
  serving(prefix: string, urls: string[], tls: TlsMaterial | undefined): void | Promise<void>;
}

/** Serves the class in `classDir` until the signal stops it. */
export async function serveClassWeb(classDir: string, request: ClassWebRequest, io: ClassWebIo): Promise<void> {
  const opened = await openClass(classDir);
  const { spec, students } = opened;
  const tlsProblem = tlsFlagsProblem(request.tls);
  if (tlsProblem) throw new SpecError([tlsProblem]);
  const tls = await tlsMaterial(classDir, request.bind, request.tls);
  await ensureLogins(
    classDir,
    students.map((s) => s.id),
  );
  const reader = await classStatusReader(opened);
  await io.interruptible((signal) =>
    serveClass({
      classDir,
      students,
      host: request.bind,
      port: request.port,
      portFlag: 'swarmlab class web --port',
      ...(tls ? { tls } : {}),
      engineOf: (s) => {
        const e = opened.engineOf(s);
        return { engine: e.client, local: e.endpoint.host.startsWith('unix://') || e.endpoint.host.startsWith('npipe://') };
      },
      runStudent: studentRunner(classDir, students, opened.engines()),
      produceGrid: async () => ({ class: spec, students: await reader.readAll() }),
      readStatus: reader.readStudent,
      pagesDir: `${TEMPLATES_DIR}class`,
      assetsDir: WEB_ASSETS_DIR,
      stop: new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
      say: async (urls) => {
        await writeServedUrl(classDir, urls[0]!.replace(/\/$/, ''));
        await io.serving(spec.prefix, urls, tls);
      },
    }),
  );
}
