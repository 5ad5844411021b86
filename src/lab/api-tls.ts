// The lab's own certificate authority, and the certificates of its managers' Engine API (TLS,
// client certificates required) and of its one client (the docker context). Made by `up` the
// first time, kept in .swarmlab/<lab>/api-tls/ (0700, keys 0600) for the lab's life: stop,
// start and repair reuse them; `down` removes them with the context. Each lab has its own CA,
// so one lab's client certificate is refused by another's API.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { nodeNames } from '../plan/topology.js';
import type { LabPaths } from './paths.js';
import { privateDir, writeFileAtomic } from './private-files.js';

/** Long enough for any lab; a lab whose certificates expired gets new ones at its next `up`. */
const VALID_DAYS = 3 * 365;

/** The files a TLS party needs, as the docker CLI names them in a context or DOCKER_CERT_PATH. */
export interface TlsFiles {
  dir: string;
  ca: string;
  cert: string;
  key: string;
}

function filesIn(dir: string): TlsFiles {
  return { dir, ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
}

/** The managers' side: bound read-only into each manager (plan/compose.ts, API_TLS_MOUNT). */
export function serverTlsDir(paths: LabPaths): string {
  return path.join(paths.apiTlsDir, 'server');
}

/** The client's side: what the lab's docker context and `swarmlab env` use. */
export function clientTls(paths: LabPaths): TlsFiles {
  return filesIn(path.join(paths.apiTlsDir, 'client'));
}

/** A certificate and key that belong together, signed by `ca`, and not expiring within a day. */
async function kept(files: TlsFiles, ca: X509Certificate): Promise<boolean> {
  try {
    const [cert, key] = await Promise.all([readFile(files.cert, 'utf8'), readFile(files.key, 'utf8')]);
    const certificate = new X509Certificate(cert);
    return (
      certificate.checkPrivateKey(createPrivateKey(key)) && certificate.verify(ca.publicKey) && Date.parse(certificate.validTo) > Date.now() + 24 * 3600 * 1000
    );
  } catch {
    return false;
  }
}

type Extensions = NonNullable<Parameters<typeof import('selfsigned').generate>[1]>['extensions'];

async function make(commonName: string, extensions: Extensions, ca?: { key: string; cert: string }) {
  const { generate } = await import('selfsigned');
  const notBeforeDate = new Date(Date.now() - 3600 * 1000); // an engine whose clock is a little behind accepts it too
  const notAfterDate = new Date(notBeforeDate.getTime() + VALID_DAYS * 24 * 3600 * 1000);
  // EC P-256 and SHA-256: made in milliseconds; Go's TLS (the docker CLI, dockerd) refuses SHA-1.
  return generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions,
    ...(ca ? { ca } : {}),
  });
}

async function writeParty(files: TlsFiles, caCert: string, made: { cert: string; private: string }): Promise<void> {
  await writeFileAtomic(files.key, made.private, 0o600);
  await writeFileAtomic(files.cert, made.cert, 0o644);
  await writeFileAtomic(files.ca, caCert, 0o644);
}

/**
 * The lab's CA and its server and client certificates, made where missing or no longer valid.
 * The server's names are those the API is reached by: 127.0.0.1 and localhost from the host,
 * the managers' names inside the lab. Says whether anything was made. `paths.apiTlsDir` must
 * be `<dir>/.swarmlab/<lab>/api-tls`, as labPaths makes it.
 */
export async function ensureApiTls(paths: LabPaths, lab: string): Promise<{ made: boolean }> {
  await privateDir(paths.dir, lab, 'api-tls');
  const caFiles = { cert: path.join(paths.apiTlsDir, 'ca.pem'), key: path.join(paths.apiTlsDir, 'ca-key.pem') };
  let ca = await Promise.all([readFile(caFiles.cert, 'utf8'), readFile(caFiles.key, 'utf8')]).then(
    ([cert, key]) => ({ cert, key }),
    () => undefined,
  );
  const caValid = ca !== undefined && validCa(ca.cert);
  let made = false;
  if (!ca || !caValid) {
    const generated = await make(`swarmlab lab ${lab} CA`, [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ]);
    ca = { cert: generated.cert, key: generated.private };
    await writeFileAtomic(caFiles.key, ca.key, 0o600);
    await writeFileAtomic(caFiles.cert, ca.cert, 0o644);
    made = true;
  }
  const caCert = new X509Certificate(ca.cert);
  const server = filesIn(serverTlsDir(paths));
  const client = clientTls(paths);
  await privateDir(paths.dir, lab, 'api-tls', 'server');
  await privateDir(paths.dir, lab, 'api-tls', 'client');
  if (made || !(await kept(server, caCert))) {
    // Every manager a lab can have (at most 7), so that adding one needs no new certificate.
    const names = ['localhost', ...nodeNames(7, 0).map((n) => n.name)];
    const generated = await make(
      `swarmlab lab ${lab} Engine API`,
      [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [...names.map((value) => ({ type: 2 as const, value })), { type: 7 as const, ip: '127.0.0.1' }] },
      ],
      ca,
    );
    await writeParty(server, ca.cert, generated);
    made = true;
  }
  if (made || !(await kept(client, caCert))) {
    const generated = await make(
      `swarmlab lab ${lab} client`,
      [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
      ],
      ca,
    );
    await writeParty(client, ca.cert, generated);
    made = true;
  }
  return { made };
}

function validCa(cert: string): boolean {
  try {
    const certificate = new X509Certificate(cert);
    return certificate.ca && Date.parse(certificate.validTo) > Date.now() + 24 * 3600 * 1000;
  } catch {
    return false;
  }
}

/** `down`: the lab's CA and certificates go with it. */
export async function removeApiTls(paths: LabPaths): Promise<void> {
  await rm(paths.apiTlsDir, { recursive: true, force: true });
}
