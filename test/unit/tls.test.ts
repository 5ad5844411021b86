// The class server's certificate: the instructor's files checked before the server starts, or
// the class's own self-signed one, made once and kept.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { SpecError } from '../../src/errors.js';
import { SELF_SIGNED_DIR, selfSignedFingerprint, selfSignedTls, tlsFromFiles } from '../../src/web/tls.js';

const aDir = () => mkdtempSync(path.join(tmpdir(), 'swarmlab-tls-'));

async function aPair(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const made = await generate([{ name: 'commonName', value: name }], { keyType: 'ec', algorithm: 'sha256' });
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  writeFileSync(cert, made.cert);
  writeFileSync(key, made.private);
  return { cert, key };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SpecError);
  const message = (err as Error).message;
  expect(message.split('\n')).toHaveLength(1);
  return message;
}

describe('--tls-cert and --tls-key', () => {
  it('reads a matching pair, with the fingerprint a browser shows', async () => {
    const dir = aDir();
    const pair = await aPair(dir, 'one');
    const tls = await tlsFromFiles(pair.cert, pair.key);
    expect(tls.cert).toContain('BEGIN CERTIFICATE');
    expect(tls.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(tls.fingerprint).toBe(new X509Certificate(readFileSync(pair.cert)).fingerprint256);
  });

  it("refuses a key that is not the certificate's, naming --tls-key", async () => {
    const dir = aDir();
    const [one, two] = [await aPair(dir, 'one'), await aPair(dir, 'two')];
    expect(await refusal(tlsFromFiles(one.cert, two.key))).toBe(
      `--tls-key: ${two.key} is not the key of the certificate ${one.cert}; fix: give the key that was made with that certificate`,
    );
  });

  it('refuses a file that is missing, naming its flag', async () => {
    const dir = aDir();
    const pair = await aPair(dir, 'one');
    expect(await refusal(tlsFromFiles(path.join(dir, 'nope.crt'), pair.key))).toMatch(/^--tls-cert: .*nope\.crt does not exist; fix: /);
    expect(await refusal(tlsFromFiles(pair.cert, path.join(dir, 'nope.key')))).toMatch(/^--tls-key: .*nope\.key does not exist; fix: /);
  });

  it('refuses what is not PEM, and a certificate given as the key', async () => {
    const dir = aDir();
    const pair = await aPair(dir, 'one');
    const junk = path.join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate\n');
    expect(await refusal(tlsFromFiles(junk, pair.key))).toMatch(/^--tls-cert: .* is not a PEM certificate; fix: /);
    expect(await refusal(tlsFromFiles(pair.cert, pair.cert))).toMatch(/^--tls-key: .* is not a PEM private key; fix: /);
    expect(await refusal(tlsFromFiles(pair.key, pair.key))).toMatch(/^--tls-cert: /);
  });
});

describe("--tls, the class's self-signed certificate", () => {
  it('is made once with the names and addresses given, its key 0600, and reused on the next start', async () => {
    const dir = aDir();
    expect(await selfSignedFingerprint(dir)).toBeUndefined();
    const first = await selfSignedTls(dir, ['localhost', 'teacher-laptop'], ['127.0.0.1', '192.168.1.20', 'not-an-ip']);
    const certificate = new X509Certificate(first.cert);
    expect(certificate.subjectAltName).toBe('DNS:localhost, DNS:teacher-laptop, IP Address:127.0.0.1, IP Address:192.168.1.20');
    expect(certificate.fingerprint256).toBe(first.fingerprint);
    expect(statSync(path.join(dir, SELF_SIGNED_DIR, 'key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, SELF_SIGNED_DIR)).mode & 0o777).toBe(0o700);
    const second = await selfSignedTls(dir, ['other'], ['10.0.0.1']);
    expect(second).toEqual(first);
    expect(await selfSignedFingerprint(dir)).toBe(first.fingerprint);
    // What the server is handed works as a pair.
    expect(await tlsFromFiles(path.join(dir, SELF_SIGNED_DIR, 'cert.pem'), path.join(dir, SELF_SIGNED_DIR, 'key.pem'))).toEqual(first);
  });

  it('is made again when its key was lost', async () => {
    const dir = aDir();
    const first = await selfSignedTls(dir, ['localhost'], []);
    writeFileSync(path.join(dir, SELF_SIGNED_DIR, 'key.pem'), '');
    const second = await selfSignedTls(dir, ['localhost'], []);
    expect(second.fingerprint).not.toBe(first.fingerprint);
  });
});
