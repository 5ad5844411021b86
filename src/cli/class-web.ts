// What `class web` does besides serving: renewing logins, choosing the TLS material, and saying
// where the room joins. The server itself is web/server.ts.
import type { StudentLab } from '../class/plan.js';
import { joinBase, writeServedUrl } from '../web/join-url.js';
import { ensureLogins, rotateFor } from '../web/logins.js';
import { selfSignedTls, type TlsMaterial, tlsFromFiles } from '../web/tls.js';

export { serveClass as serve } from '../web/server.js';
export { studentRunner } from './student-runner.js';

/** `--rotate` alone renews every login, the instructor's too; `--rotate s02` one student's. */
export function rotate(classDir: string, typed: string): Promise<string> {
  return rotateFor(classDir, typed === '' ? true : typed);
}

export async function ensureClassLogins(classDir: string, students: StudentLab[]): Promise<void> {
  await ensureLogins(
    classDir,
    students.map((s) => s.id),
  );
}

/** The certificate to serve with: the instructor's files, or the class's own self-signed one (--tls), or none. */
export async function tlsMaterial(classDir: string, bind: string, certFile?: string, keyFile?: string, selfSigned = false): Promise<TlsMaterial | undefined> {
  if (certFile !== undefined && keyFile !== undefined) return tlsFromFiles(certFile, keyFile);
  if (!selfSigned) return undefined;
  const os = await import('node:os');
  const addresses = Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4')
    .map((i) => i.address);
  return selfSignedTls(classDir, ['localhost', os.hostname()], [...new Set([bind, ...addresses].filter((a) => /^[\d.]+$/.test(a) && a !== '0.0.0.0'))]);
}

export async function sayServing(classDir: string, prefix: string, urls: string[], tls: TlsMaterial | undefined): Promise<void> {
  console.log(`Serving class ${prefix} on ${urls.join(' and ')} (Ctrl-C stops)`);
  await writeServedUrl(classDir, urls[0]!.replace(/\/$/, ''));
  if (tls) console.log(`Certificate fingerprint (SHA-256): ${tls.fingerprint}`);
  console.log(`Students join with the links on their cards (swarmlab class cards; they point at ${await joinBase(classDir)}).`);
}
