// A file or socket error of Node (ENOENT, EACCES, ECONNREFUSED, ...) as one line a user can act
// on: what, where, and the fix. Raw system errors never reach a user as they are. Pure.

export interface SystemProblem {
  problem: string;
  fix: string;
}

interface SystemError {
  code?: string;
  path?: string;
  address?: string;
  port?: number;
  syscall?: string;
  message?: string;
}

/** The error's one-line description, or undefined when it is not a system error. */
export function describeSystemError(err: unknown): SystemProblem | undefined {
  const e = err as SystemError;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !/^E[A-Z]+$/.test(e.code)) return undefined;
  const where = e.path ?? (e.address ? `${e.address}${e.port ? `:${e.port}` : ''}` : undefined) ?? 'a path (unnamed by the system)';
  const socket = e.syscall === 'connect';
  switch (e.code) {
    case 'ENOENT':
      return socket
        ? { problem: `no socket at ${where}`, fix: 'start Docker, or point DOCKER_HOST (or the docker context) at an engine that runs' }
        : { problem: `${where} does not exist`, fix: 'check the path (is --dir the lab directory?)' };
    case 'EACCES':
    case 'EPERM':
      return socket
        ? {
            problem: `permission denied on ${where}`,
            fix: 'run as a user in the docker group (sudo usermod -aG docker $USER, then log in again), or with sudo',
          }
        : { problem: `permission denied on ${where}`, fix: `check who owns ${where} and its permissions (ls -l)` };
    case 'EISDIR':
      // Never "remove it": the directory may be the user's own work.
      return { problem: `${where} is a directory, not a file`, fix: 'give the path of a file there' };
    case 'ENOTDIR':
      return { problem: `a part of ${where} is a file, not a directory`, fix: 'check the path' };
    case 'ECONNREFUSED':
      return { problem: `nothing answers at ${where}`, fix: 'start Docker, or point DOCKER_HOST (or the docker context) at an engine that runs' };
    case 'ECONNRESET':
    case 'EPIPE':
      return { problem: `the connection to ${where} was cut`, fix: 'try again; if it goes on, check the engine (swarmlab doctor)' };
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { problem: `${where} is out of reach (${e.code})`, fix: 'check the address and the network' };
    case 'EADDRINUSE':
      return { problem: `${where} is in use by another program`, fix: 'choose another port (--port)' };
    case 'ENOSPC':
      return { problem: `no space left on the device of ${where}`, fix: 'free disk space (docker system prune removes unused images and volumes)' };
    case 'EROFS':
      return { problem: `${where} is on a read-only file system`, fix: 'choose a writable directory (--dir)' };
    default:
      return {
        problem: `${e.code} on ${where}${e.syscall ? ` (${e.syscall})` : ''}`,
        fix: 'check the path and its permissions; SWARMLAB_DEBUG=1 shows where it came from',
      };
  }
}

/** A file that could not be written where the user asked (a pack, an HTML page), as one line. */
export function describeOutputError(file: string, err: unknown, example: string): SystemProblem {
  const code = (err as SystemError | undefined)?.code;
  if (code === 'EISDIR') return { problem: `${file} is a directory`, fix: `name a file in it, e.g. ${example}` };
  if (code === 'ENOENT') return { problem: `the directory of ${file} does not exist`, fix: 'create it first (mkdir -p), or name a file elsewhere' };
  return describeSystemError(err) ?? { problem: `cannot write ${file} (${(err as Error).message})`, fix: 'name a file in a directory you can write' };
}
