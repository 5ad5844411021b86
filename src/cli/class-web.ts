// What `class web` says once its server listens: where, with which certificate, and where the
// room joins. The server and what it serves are class/serve-class-web.ts.
import { joinBase } from '../web/join-url.js';
import type { TlsMaterial } from '../web/tls.js';

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

export async function sayServing(classDir: string, bind: string, prefix: string, urls: string[], tls: TlsMaterial | undefined): Promise<void> {
  // Said once the server listens: a --bind that fails says only why.
  if (!tls && !LOOPBACK.includes(bind))
    process.stderr.write(`warning: serving on ${bind} without TLS: logins cross the room in clear (--tls makes a certificate)\n`);
  console.log(`Serving class ${prefix} on ${urls.join(' and ')} (Ctrl-C stops)`);
  if (tls) console.log(`Certificate fingerprint (SHA-256): ${tls.fingerprint}`);
  console.log(`Students join with the links on their cards (swarmlab class cards; they point at ${await joinBase(classDir)}).`);
}
