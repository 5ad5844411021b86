// The engine of this process: resolved once from the environment and the docker CLI's files,
// then handed to everything that talks to it (dockerode, compose and docker CLI children) as
// DOCKER_HOST, with why it was chosen in SWARMLAB_ENGINE_SOURCE.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { childEnvironment, DEFAULT_SOCKET, type EngineEndpoint, endpointFromFlag, resolveEndpoint } from './endpoint.js';

const files = {
  read: (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists: (file: string) => existsSync(file),
};

/** An engine named on the command line: a URL (unix://, tcp://, ssh://) or a docker context's name. */
export function endpointNamed(name: string, env: Record<string, string | undefined> = process.env): EngineEndpoint {
  if (name === 'default')
    return resolveEndpoint({ ...env, DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined }, os.homedir(), {
      ...files,
      read: (f) => (f.endsWith('config.json') ? undefined : files.read(f)),
    });
  return endpointFromFlag(name, '--engine', env, os.homedir(), files);
}

export function currentEndpoint(env: Record<string, string | undefined> = process.env): EngineEndpoint {
  if (env.DOCKER_HOST && env.SWARMLAB_ENGINE_SOURCE) return { host: env.DOCKER_HOST, source: env.SWARMLAB_ENGINE_SOURCE };
  return resolveEndpoint(env, os.homedir(), files);
}

/**
 * Makes this process and its children use the engine the docker CLI would: a context becomes
 * DOCKER_HOST (DOCKER_CONTEXT is dropped, or the CLI would weigh both). Throws a LabError for a
 * context that does not exist or whose socket is gone.
 */
export function applyEngineEnvironment(): EngineEndpoint {
  const endpoint = currentEndpoint();
  // Also for the default socket when something else was set: a lab's context made current, or
  // `swarmlab env`'s DOCKER_HOST into a lab, must not reach the docker CLI that swarmlab runs.
  const named = process.env.DOCKER_CONTEXT || process.env.SWARMLAB_ENGINE || process.env.DOCKER_HOST || !endpoint.source.startsWith('the default socket');
  if (endpoint.host !== DEFAULT_SOCKET || named) {
    Object.assign(process.env, childEnvironment(endpoint), { SWARMLAB_ENGINE_SOURCE: endpoint.source });
    delete process.env.DOCKER_CONTEXT;
    // The TLS settings of `swarmlab env` are the lab API's, not this engine's.
    if (process.env.SWARMLAB_ENGINE && !endpoint.tls) {
      delete process.env.DOCKER_TLS_VERIFY;
      delete process.env.DOCKER_CERT_PATH;
    }
  }
  return endpoint;
}
