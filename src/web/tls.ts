// The class server's certificate: the instructor's own (--tls-cert/--tls-key), read and checked
// before the server starts, or the class's self-signed one (--tls), made once and kept in
// .swarmlab/class-tls/ so that its fingerprint, printed on the cards, stays the same.
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { SpecError } from '../errors.js';
import { privateDir, STATE_DIR, writeFileAtomic } from '../lab/private-files.js';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 of the certificate, colon-separated hex, as browsers show it. */
  fingerprint: string;
}

export const SELF_SIGNED_DIR = path.join(STATE_DIR, 'class-tls');
const VALID_DAYS = 365;

type Flag = '--tls-cert' | '--tls-key';

function problem(field: Flag, text: string, fix: string): SpecError {
  return new SpecError([{ field, problem: text, fix }]);
}

async function readPem(file: string, field: Flag): Promise<string> {
  const what = field === '--tls-cert' ? 'certificate' : 'private key';
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw problem(field, `${file} does not exist`, `give the path of the ${what} (PEM), or --tls for a self-signed certificate`);
    if (code === 'EACCES') throw problem(field, `${file} cannot be read (permission denied)`, `make it readable by this user (chmod u+r ${file})`);
    if (code === 'EISDIR')
      throw problem(field, `${file} is a directory`, `give the ${what}'s file, e.g. ${path.join(file, field === '--tls-cert' ? 'cert.pem' : 'key.pem')}`);
    throw problem(field, `${file} cannot be read: ${(err as Error).message}`, `give a readable PEM file`);
  }
}

function parseCertificate(text: string, file: string): X509Certificate {
  const notPem = problem(
    '--tls-cert',
    `${file} is not a PEM certificate`,
    'give the certificate in PEM (-----BEGIN CERTIFICATE-----); openssl x509 -in FILE -out cert.pem converts one',
  );
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw notPem;
  try {
    return new X509Certificate(text);
  } catch {
    throw notPem;
  }
}

function parseKey(text: string, file: string): KeyObject {
  if (/ENCRYPTED/.test(text))
    throw problem('--tls-key', `${file} is encrypted, and the server cannot ask for its passphrase`, `decrypt a copy: openssl pkey -in ${file} -out key.pem`);
  const notPem = problem('--tls-key', `${file} is not a PEM private key`, 'give the private key in PEM (-----BEGIN PRIVATE KEY-----)');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw notPem;
  try {
    return createPrivateKey(text);
  } catch {
    throw notPem;
  }
}

/** The instructor's certificate and key, each checked, in the order a browser would find the fault. */
export async function tlsFromFiles(certFile: string, keyFile: string): Promise<TlsMaterial> {
  const [certText, keyText] = [await readPem(certFile, '--tls-cert'), await readPem(keyFile, '--tls-key')];
  const certificate = parseCertificate(certText, certFile);
  const key = parseKey(keyText, keyFile);
  if (!certificate.checkPrivateKey(key))
    throw problem('--tls-key', `${keyFile} is not the key of the certificate ${certFile}`, 'give the key that was made with that certificate');
  if (Date.parse(certificate.validTo) < Date.now())
    throw problem('--tls-cert', `${certFile} expired on ${certificate.validTo}`, 'renew it, or --tls for a self-signed certificate');
  return { cert: certText, key: keyText, fingerprint: certificate.fingerprint256 };
}

/** The class's self-signed certificate as kept, if it is whole, matching and not expired. */
async function keptSelfSigned(dir: string): Promise<TlsMaterial | undefined> {
  const [cert, key] = await Promise.all([
    readFile(path.join(dir, 'cert.pem'), 'utf8').catch(() => undefined),
    readFile(path.join(dir, 'key.pem'), 'utf8').catch(() => undefined),
  ]);
  if (cert === undefined || key === undefined) return undefined;
  try {
    const certificate = new X509Certificate(cert);
    if (!certificate.checkPrivateKey(createPrivateKey(key)) || Date.parse(certificate.validTo) < Date.now()) return undefined;
    return { cert, key, fingerprint: certificate.fingerprint256 };
  } catch {
    return undefined;
  }
}

/**
 * `--tls`: the class's self-signed certificate, made on the first start and reused after (a new
 * one only when it expired or its files were lost). Its names are this machine's, so that the
 * browser's warning is about who signed it, not also about the address.
 */
export async function selfSignedTls(classDir: string, hostnames: string[], addresses: string[]): Promise<TlsMaterial> {
  const dir = await privateDir(classDir, 'class-tls');
  const kept = await keptSelfSigned(dir);
  if (kept) return kept;
  const ips = [...new Set(addresses.filter((a) => isIP(a) !== 0))];
  const given = [...new Set(hostnames.filter((h) => h !== ''))];
  const names = given.length > 0 || ips.length > 0 ? given : ['localhost'];
  const { generate } = await import('selfsigned');
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + VALID_DAYS * 24 * 3600 * 1000);
  // EC P-256 and SHA-256: made in milliseconds, and browsers refuse selfsigned's default SHA-1.
  const made = await generate([{ name: 'commonName', value: names[0] ?? ips[0] ?? 'swarmlab class' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...names.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  await writeFileAtomic(path.join(dir, 'key.pem'), made.private, 0o600);
  await writeFileAtomic(path.join(dir, 'cert.pem'), made.cert, 0o644);
  return { cert: made.cert, key: made.private, fingerprint: new X509Certificate(made.cert).fingerprint256 };
}

/** The fingerprint of the class's self-signed certificate, when it has one (for the cards). */
export async function selfSignedFingerprint(classDir: string): Promise<string | undefined> {
  const cert = await readFile(path.join(path.resolve(classDir), SELF_SIGNED_DIR, 'cert.pem'), 'utf8').catch(() => undefined);
  if (cert === undefined) return undefined;
  try {
    return new X509Certificate(cert).fingerprint256;
  } catch {
    return undefined;
  }
}
