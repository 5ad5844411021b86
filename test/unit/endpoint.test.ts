// Finding the engine as the docker CLI does: DOCKER_HOST, DOCKER_CONTEXT, the current context,
// the default socket; each with why, and a one-line error for a context that cannot be used.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { childEnvironment, endpointFromFlag, engineKey, resolveEndpoint, runsOnThisMachine } from '../../src/engine/endpoint.js';

const HOME = '/home/ann';
const sha = (name: string) => createHash('sha256').update(name).digest('hex');
const meta = (name: string) => path.join(HOME, '.docker', 'contexts', 'meta', sha(name), 'meta.json');

function files(entries: Record<string, string>, sockets: string[] = []) {
  return { read: (f: string) => entries[f], exists: (f: string) => f in entries || sockets.includes(f) };
}

const contexts = {
  [meta('here')]: JSON.stringify({ Name: 'here', Endpoints: { docker: { Host: 'unix:///run/user/1000/docker.sock' } } }),
  [meta('gone')]: JSON.stringify({ Name: 'gone', Endpoints: { docker: { Host: 'unix:///nope/docker.sock' } } }),
  [meta('remote')]: JSON.stringify({ Name: 'remote', Endpoints: { docker: { Host: 'tcp://10.0.0.5:2376', SkipTLSVerify: false } } }),
  [path.join(HOME, '.docker', 'contexts', 'tls', sha('remote'), 'docker', 'ca.pem')]: 'x',
  [path.join(HOME, '.docker', 'contexts', 'tls', sha('remote'), 'docker', 'cert.pem')]: 'x',
  [path.join(HOME, '.docker', 'contexts', 'tls', sha('remote'), 'docker', 'key.pem')]: 'x',
};

describe('the engine endpoint', () => {
  it('is DOCKER_HOST first, then DOCKER_CONTEXT, then the current context, then the default socket', () => {
    const fs = files({ ...contexts, [path.join(HOME, '.docker', 'config.json')]: '{"currentContext": "here"}' }, ['/run/user/1000/docker.sock']);
    expect(resolveEndpoint({ DOCKER_HOST: 'tcp://h:2375', DOCKER_CONTEXT: 'here' }, HOME, fs)).toEqual({ host: 'tcp://h:2375', source: 'DOCKER_HOST' });
    expect(resolveEndpoint({ DOCKER_CONTEXT: 'here' }, HOME, fs)).toMatchObject({
      host: 'unix:///run/user/1000/docker.sock',
      source: 'docker context here (DOCKER_CONTEXT)',
    });
    expect(resolveEndpoint({}, HOME, fs)).toMatchObject({ source: 'docker context here (the current context in config.json)' });
    expect(resolveEndpoint({}, HOME, files({}))).toEqual({ host: 'unix:///var/run/docker.sock', source: 'the default socket' });
    expect(resolveEndpoint({ DOCKER_CONTEXT: 'default' }, HOME, files({}, ['/var/run/docker.sock']))).toMatchObject({ host: 'unix:///var/run/docker.sock' });
  });

  it('carries the TLS material of a tcp context to the docker CLI and compose', () => {
    const remote = resolveEndpoint({ DOCKER_CONTEXT: 'remote' }, HOME, files(contexts));
    expect(remote.tls).toMatchObject({ verify: true, caFile: expect.stringMatching(/ca\.pem$/) });
    expect(childEnvironment(remote)).toEqual({
      DOCKER_HOST: 'tcp://10.0.0.5:2376',
      DOCKER_CERT_PATH: path.join(HOME, '.docker', 'contexts', 'tls', sha('remote'), 'docker'),
      DOCKER_TLS_VERIFY: '1',
    });
    expect(engineKey(remote)).toMatch(/^[0-9a-f]{10}$/);
  });

  it('runs on this machine when it is a unix socket, whichever one', () => {
    const at = (host: string) => runsOnThisMachine({ host, source: 'the test' });
    expect([at('unix:///var/run/docker.sock'), at('unix:///var/run/swarmlab-second.sock')]).toEqual([true, true]);
    expect([at('tcp://10.0.0.5:2376'), at('ssh://ann@lab2')]).toEqual([false, false]);
  });

  it('refuses, in one line naming them, a context that does not exist and one whose socket is gone', () => {
    expect(() => resolveEndpoint({ DOCKER_CONTEXT: 'nope' }, HOME, files(contexts))).toThrow(
      /^DOCKER_CONTEXT names the docker context "nope", which does not exist .*; fix: docker context ls/,
    );
    expect(() => resolveEndpoint({ DOCKER_CONTEXT: 'gone' }, HOME, files(contexts))).toThrow(
      'docker context gone (DOCKER_CONTEXT) points at unix:///nope/docker.sock, and no socket is there; fix: start that engine, or choose another (docker context use default, or DOCKER_HOST)',
    );
  });

  it('takes an engine named by a flag as an address or a context, and says which flag named one that is wrong', () => {
    const fs = files(contexts, ['/run/user/1000/docker.sock']);
    expect(endpointFromFlag('ssh://ann@lab2', '--engine', {}, HOME, fs)).toEqual({ host: 'ssh://ann@lab2', source: 'ssh://ann@lab2' });
    expect(endpointFromFlag('here', '--engine', { DOCKER_HOST: 'tcp://elsewhere:2375' }, HOME, fs)).toMatchObject({
      host: 'unix:///run/user/1000/docker.sock',
      source: 'docker context here (--engine)',
    });
    expect(() => endpointFromFlag('nope', '--engine', {}, HOME, fs)).toThrow(
      /^--engine names the docker context "nope", which does not exist .*; fix: docker context ls lists the names; --engine also takes an address \(unix:\/\/, tcp:\/\/, ssh:\/\/\)$/,
    );
    expect(() => endpointFromFlag('bogus://x', '--engine', {}, HOME, fs)).toThrow(
      '--engine bogus://x is not an engine address (bogus:// is none the docker CLI takes); fix: use unix:///PATH, tcp://HOST:PORT or ssh://USER@HOST, or a docker context name',
    );
  });
});
