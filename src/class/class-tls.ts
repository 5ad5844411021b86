// The certificate the class server serves with: the instructor's own files, or the class's
// self-signed one, or none (plain HTTP).
import type { SpecProblem } from '../errors.js';
import { selfSignedTls, type TlsMaterial, tlsFromFiles } from '../web/tls.js';

/** What `class web` was asked to serve with. */
export interface TlsFlags {
  /** `--tls`: the class's own self-signed certificate. */
  selfSigned: boolean;
  certFile?: string;
  keyFile?: string;
}

/** A certificate without its key, or a key without its certificate. Pure. */
export function tlsFlagsProblem({ certFile, keyFile }: TlsFlags): SpecProblem | undefined {
  if (certFile !== undefined && keyFile === undefined)
    return { field: '--tls-key', problem: 'is missing: --tls-cert needs its key', fix: '--tls-cert FILE --tls-key FILE, or --tls' };
  if (keyFile !== undefined && certFile === undefined)
    return { field: '--tls-cert', problem: 'is missing: --tls-key needs its certificate', fix: '--tls-cert FILE --tls-key FILE, or --tls' };
  return undefined;
}

/** The certificate to serve with: the instructor's files, or the class's own self-signed one (--tls), or none. */
export async function tlsMaterial(classDir: string, bind: string, { certFile, keyFile, selfSigned }: TlsFlags): Promise<TlsMaterial | undefined> {
  if (certFile !== undefined && keyFile !== undefined) return tlsFromFiles(certFile, keyFile);
  if (!selfSigned) return undefined;
  const os = await import('node:os');
  const addresses = Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4')
    .map((i) => i.address);
  return selfSignedTls(classDir, ['localhost', os.hostname()], [...new Set([bind, ...addresses].filter((a) => /^[\d.]+$/.test(a) && a !== '0.0.0.0'))]);
}
