// The lab's docker context in the docker CLI's store, the lab's certificates, and `swarmlab env`'s
// lines: what the docker CLI reads, what is kept private, and what is never touched.
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveEndpoint } from '../../src/engine/endpoint.js';
import { clientTls, ensureApiTls, serverTlsDir } from '../../src/lab/api-tls.js';
import { checkConfigWritable, contextMeta, currentContext, readContext, removeContext, useContext, writeContext } from '../../src/lab/docker-context.js';
import { labPaths } from '../../src/lab/paths.js';
import { setLines, shellFromEnv, unsetLines } from '../../src/lab/shell-env.js';

const temp = () => mkdtempSync(path.join(tmpdir(), 'swarmlab-ctx-'));
const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

describe("a lab's certificates", () => {
  const paths = labPaths(temp(), 'demo');

  it('are a CA of its own, a server certificate for 127.0.0.1 and the managers, and a client one; keys 0600', async () => {
    expect(await ensureApiTls(paths, 'demo')).toEqual({ made: true });
    const ca = new X509Certificate(readFileSync(path.join(paths.apiTlsDir, 'ca.pem')));
    const server = new X509Certificate(readFileSync(path.join(serverTlsDir(paths), 'cert.pem')));
    const client = new X509Certificate(readFileSync(clientTls(paths).cert));
    expect(ca.ca).toBe(true);
    expect([server.verify(ca.publicKey), client.verify(ca.publicKey)]).toEqual([true, true]);
    expect(server.subjectAltName).toBe(
      'DNS:localhost, DNS:manager, DNS:manager02, DNS:manager03, DNS:manager04, DNS:manager05, DNS:manager06, DNS:manager07, IP Address:127.0.0.1',
    );
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth
    for (const key of [path.join(paths.apiTlsDir, 'ca-key.pem'), path.join(serverTlsDir(paths), 'key.pem'), clientTls(paths).key])
      expect(mode(key)).toBe('600');
    expect(mode(paths.apiTlsDir)).toBe('700');
  });

  it('are kept as they are by the next up, and made anew where one was lost', async () => {
    const before = readFileSync(clientTls(paths).cert, 'utf8');
    expect(await ensureApiTls(paths, 'demo')).toEqual({ made: false });
    expect(readFileSync(clientTls(paths).cert, 'utf8')).toBe(before);
    writeFileSync(clientTls(paths).key, 'lost');
    expect(await ensureApiTls(paths, 'demo')).toEqual({ made: true });
    expect(readFileSync(clientTls(paths).cert, 'utf8')).not.toBe(before);
    // The CA and the server's stay: the running managers still trust the new client.
    const ca = new X509Certificate(readFileSync(path.join(paths.apiTlsDir, 'ca.pem')));
    expect(new X509Certificate(readFileSync(clientTls(paths).cert)).verify(ca.publicKey)).toBe(true);
  });
});

describe("the lab's docker context", () => {
  const tlsSource = (() => {
    const dir = temp();
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(path.join(dir, f), `${f}\n`);
    return { dir, ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
  })();

  it('is stored where the docker CLI looks (sha256 of the name), labelled, with its TLS files and a 0600 key', async () => {
    const config = temp();
    await writeContext('demo', 'tcp://127.0.0.1:2376', 'unix:///var/run/docker.sock', tlsSource, config);
    const realId = createHash('sha256').update('swarmlab-demo').digest('hex');
    const meta = JSON.parse(readFileSync(path.join(config, 'contexts', 'meta', realId, 'meta.json'), 'utf8'));
    expect(meta).toEqual(contextMeta('demo', 'tcp://127.0.0.1:2376', 'unix:///var/run/docker.sock'));
    expect(meta.Endpoints.docker).toEqual({ Host: 'tcp://127.0.0.1:2376', SkipTLSVerify: false });
    const files = path.join(config, 'contexts', 'tls', realId, 'docker');
    expect(readFileSync(path.join(files, 'cert.pem'), 'utf8')).toBe('cert.pem\n');
    expect(mode(path.join(files, 'key.pem'))).toBe('600');
    expect(await readContext('demo', config)).toEqual({ kind: 'ours', host: 'tcp://127.0.0.1:2376' });
  });

  it('made current, does not become the engine swarmlab itself uses: the lab lives on the one it names', async () => {
    const config = temp();
    await writeContext('demo', 'tcp://127.0.0.1:2376', 'unix:///run/other.sock', tlsSource, config);
    await useContext('swarmlab-demo', config);
    expect(await currentContext(config)).toBe('swarmlab-demo');
    const files = { read: (f: string) => (statSync(f, { throwIfNoEntry: false }) ? readFileSync(f, 'utf8') : undefined), exists: () => true };
    expect(resolveEndpoint({ DOCKER_CONFIG: config }, '/nonexistent', files).host).toBe('unix:///run/other.sock');
    // swarmlab env's lines: DOCKER_HOST into the lab, SWARMLAB_ENGINE where swarmlab works.
    expect(resolveEndpoint({ DOCKER_HOST: 'tcp://127.0.0.1:2376', SWARMLAB_ENGINE: 'unix:///run/other.sock' }, '/x', files).host).toBe(
      'unix:///run/other.sock',
    );
  });

  it('is removed by down, the current context put back to default, every other setting of config.json kept', async () => {
    const config = temp();
    writeFileSync(path.join(config, 'config.json'), JSON.stringify({ auths: { 'example.com': {} }, currentContext: 'swarmlab-demo' }));
    await writeContext('demo', 'tcp://127.0.0.1:2376', 'unix:///var/run/docker.sock', tlsSource, config);
    expect(await removeContext('demo', config)).toBe('removed');
    expect(JSON.parse(readFileSync(path.join(config, 'config.json'), 'utf8'))).toEqual({ auths: { 'example.com': {} } });
    expect(await readContext('demo', config)).toEqual({ kind: 'none' });
    expect(await removeContext('demo', config)).toBe('none');
  });

  it("of the same name but not swarmlab's is never written over nor removed", async () => {
    const config = temp();
    const dir = path.join(config, 'contexts', 'meta', createHash('sha256').update('swarmlab-demo').digest('hex'));
    mkdirSync(dir, { recursive: true });
    const theirs = JSON.stringify({ Name: 'swarmlab-demo', Metadata: {}, Endpoints: { docker: { Host: 'ssh://me@box' } } });
    writeFileSync(path.join(dir, 'meta.json'), theirs);
    expect(await readContext('demo', config)).toEqual({ kind: 'foreign' });
    await expect(writeContext('demo', 'tcp://127.0.0.1:2376', 'unix:///var/run/docker.sock', tlsSource, config)).rejects.toThrow(
      'a docker context named swarmlab-demo exists that swarmlab did not make',
    );
    expect(await removeContext('demo', config)).toBe('foreign');
    expect(readFileSync(path.join(dir, 'meta.json'), 'utf8')).toBe(theirs);
  });

  it('cannot be made in a config directory that cannot be written: one error naming it, at once', async () => {
    const problem = await checkConfigWritable('/proc/swarmlab-docker-config');
    expect(problem?.message).toMatch(/^the docker config directory \/proc\/swarmlab-docker-config cannot be written \(\w+\)/);
    expect(await checkConfigWritable(temp())).toBeUndefined();
  });
});

describe('swarmlab env lines', () => {
  const vars: [string, string][] = [
    ['DOCKER_HOST', 'tcp://127.0.0.1:2376'],
    ['DOCKER_CERT_PATH', "/labs/it's here"],
  ];

  it('in each shell, quoted as that shell reads them', () => {
    expect(setLines(vars, 'bash', 'swarmlab env').slice(0, 2)).toEqual([
      "export DOCKER_HOST='tcp://127.0.0.1:2376'",
      "export DOCKER_CERT_PATH='/labs/it'\\''s here'",
    ]);
    expect(setLines(vars, 'fish', 'swarmlab env')).toEqual([
      "set -gx DOCKER_HOST 'tcp://127.0.0.1:2376';",
      "set -gx DOCKER_CERT_PATH '/labs/it\\'s here';",
      '# Run this command to configure your shell:',
      '# swarmlab env | source',
    ]);
    expect(setLines(vars, 'powershell', 'swarmlab env').slice(0, 2)).toEqual([
      "$Env:DOCKER_HOST = 'tcp://127.0.0.1:2376'",
      "$Env:DOCKER_CERT_PATH = '/labs/it''s here'",
    ]);
    expect(unsetLines(['DOCKER_HOST', 'DOCKER_CERT_PATH'], 'zsh', 'swarmlab env --unset')[0]).toBe('unset DOCKER_HOST DOCKER_CERT_PATH');
    expect(unsetLines(['DOCKER_HOST'], 'powershell', 'x')[0]).toBe('Remove-Item Env:\\DOCKER_HOST');
  });

  it("takes $SHELL's shell when it is one of them, else bash", () => {
    expect([shellFromEnv('/usr/bin/fish'), shellFromEnv('/bin/zsh'), shellFromEnv('/bin/tcsh'), shellFromEnv(undefined)]).toEqual([
      'fish',
      'zsh',
      'bash',
      'bash',
    ]);
  });
});
