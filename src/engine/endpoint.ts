// Which Docker engine swarmlab talks to, found the way the docker CLI finds it: DOCKER_HOST,
// else DOCKER_CONTEXT, else the current context of ~/.docker/config.json, else the default
// socket. Each answer says why, for `doctor` and errors. Pure but for the file reads it is given.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { LabError } from '../errors.js';

export interface EngineEndpoint {
  /** unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host */
  host: string;
  /** Why this engine, in words: "DOCKER_HOST", "docker context ci (DOCKER_CONTEXT)", "the default socket". */
  source: string;
  /** TLS material of a tcp:// context. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string; verify: boolean };
}

export interface FileAccess {
  read(file: string): string | undefined;
  exists(file: string): boolean;
}

export const DEFAULT_SOCKET = 'unix:///var/run/docker.sock';

/** The docker CLI's folder: DOCKER_CONFIG, else ~/.docker. */
export function configDir(env: Record<string, string | undefined>, home: string): string {
  return env.DOCKER_CONFIG || path.join(home, '.docker');
}

/** Where the docker CLI keeps a context: its metadata folder and its TLS files' folder, under the sha256 of its name. */
export function contextStore(dir: string, name: string): { metaDir: string; metaFile: string; tlsDir: string } {
  const id = createHash('sha256').update(name).digest('hex');
  const metaDir = path.join(dir, 'contexts', 'meta', id);
  return { metaDir, metaFile: path.join(metaDir, 'meta.json'), tlsDir: path.join(dir, 'contexts', 'tls', id, 'docker') };
}

/**
 * In a lab's docker context's metadata (lab/docker-context.ts): the engine the lab lives on, as
 * an address swarmlab reaches it by.
 */
export const LABEL_ENGINE = 'dev.swarmlab.engine';

interface ContextMeta {
  Metadata?: Record<string, unknown>;
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

function fromContext(name: string, why: string, env: Record<string, string | undefined>, home: string, files: FileAccess): EngineEndpoint {
  if (name === 'default') return { host: env.DOCKER_HOST || DEFAULT_SOCKET, source: `docker context default (${why})` };
  const store = contextStore(configDir(env, home), name);
  const text = files.read(store.metaFile);
  if (text === undefined)
    throw new LabError(`${why} names the docker context "${name}", which does not exist (no ${store.metaDir})`, {
      fix: why.startsWith('--')
        ? `docker context ls lists the names; ${why} also takes an address (unix://, tcp://, ssh://)`
        : `docker context ls, then docker context use NAME (or unset ${why.startsWith('DOCKER_CONTEXT') ? 'DOCKER_CONTEXT' : 'it'})`,
    });
  let meta: ContextMeta;
  try {
    meta = JSON.parse(text) as ContextMeta;
  } catch {
    throw new LabError(`the docker context "${name}" has an unreadable meta.json`, { fix: `docker context inspect ${name}, or create it again` });
  }
  // A lab's own context (swarmlab context --use) points into the lab: swarmlab goes on using
  // the engine the lab lives on, which the context's metadata names.
  const labEngine = meta.Metadata?.[LABEL_ENGINE];
  if (typeof labEngine === 'string' && labEngine !== '') return { host: labEngine, source: `the engine of the lab behind docker context ${name} (${why})` };
  const host = meta.Endpoints?.docker?.Host;
  if (!host) throw new LabError(`the docker context "${name}" names no Docker endpoint`, { fix: `docker context inspect ${name}` });
  const tlsFile = (f: string) => (files.exists(path.join(store.tlsDir, f)) ? path.join(store.tlsDir, f) : undefined);
  const tls =
    host.startsWith('tcp://') && (tlsFile('ca.pem') || tlsFile('cert.pem'))
      ? { caFile: tlsFile('ca.pem'), certFile: tlsFile('cert.pem'), keyFile: tlsFile('key.pem'), verify: !meta.Endpoints?.docker?.SkipTLSVerify }
      : undefined;
  return { host, source: `docker context ${name} (${why})`, tls };
}

function check(endpoint: EngineEndpoint, files: FileAccess): EngineEndpoint {
  if (endpoint.host.startsWith('unix://') && !files.exists(endpoint.host.slice('unix://'.length))) {
    throw new LabError(`${endpoint.source} points at ${endpoint.host}, and no socket is there`, {
      fix: `start that engine, or choose another (docker context use default, or DOCKER_HOST)`,
    });
  }
  return endpoint;
}

export function resolveEndpoint(env: Record<string, string | undefined>, home: string, files: FileAccess): EngineEndpoint {
  // `eval "$(swarmlab env)"` points DOCKER_HOST into a lab; swarmlab itself goes on using the
  // engine the lab lives on, which the same lines name here.
  if (env.SWARMLAB_ENGINE) return { host: env.SWARMLAB_ENGINE, source: 'SWARMLAB_ENGINE (set by swarmlab env)' };
  if (env.DOCKER_HOST) return { host: env.DOCKER_HOST, source: 'DOCKER_HOST' };
  if (env.DOCKER_CONTEXT) return check(fromContext(env.DOCKER_CONTEXT, 'DOCKER_CONTEXT', env, home, files), files);
  const config = files.read(path.join(configDir(env, home), 'config.json'));
  const current = config ? (JSON.parse(config) as { currentContext?: string }).currentContext : undefined;
  if (current && current !== 'default') return check(fromContext(current, 'the current context in config.json', env, home, files), files);
  return { host: DEFAULT_SOCKET, source: 'the default socket' };
}

/** The schemes an engine address may have, as the docker CLI takes them. */
const ENGINE_SCHEMES = ['unix', 'tcp', 'ssh', 'npipe'];

/**
 * An engine named by a flag (`class up --engine`): an address, or a docker context's name;
 * `flag` is how the user gave it, for the one-line error. `default` is this machine's engine.
 */
export function endpointFromFlag(name: string, flag: string, env: Record<string, string | undefined>, home: string, files: FileAccess): EngineEndpoint {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(name)?.[1];
  if (scheme !== undefined) {
    if (!ENGINE_SCHEMES.includes(scheme.toLowerCase())) {
      throw new LabError(`${flag} ${name} is not an engine address (${scheme}:// is none the docker CLI takes)`, {
        fix: 'use unix:///PATH, tcp://HOST:PORT or ssh://USER@HOST, or a docker context name',
      });
    }
    return { host: name, source: name };
  }
  return check(fromContext(name, flag, { ...env, DOCKER_HOST: undefined }, home, files), files);
}

/** The environment that makes the docker CLI and compose talk to the same engine. */
export function childEnvironment(endpoint: EngineEndpoint): Record<string, string> {
  const env: Record<string, string> = { DOCKER_HOST: endpoint.host };
  if (endpoint.tls?.certFile) {
    env.DOCKER_CERT_PATH = path.dirname(endpoint.tls.certFile);
    if (endpoint.tls.verify) env.DOCKER_TLS_VERIFY = '1';
  }
  return env;
}

/**
 * Whether the engine runs on this machine (a unix socket): what it publishes on 127.0.0.1 is this
 * machine's, and its bridges are in this machine's routing table.
 */
export function runsOnThisMachine(endpoint: EngineEndpoint): boolean {
  return endpoint.host.startsWith('unix://');
}

/** A short, stable name of the engine for per-engine files (locks). */
export function engineKey(endpoint: EngineEndpoint): string {
  return endpoint.host === DEFAULT_SOCKET ? 'default' : createHash('sha256').update(endpoint.host).digest('hex').slice(0, 10);
}
