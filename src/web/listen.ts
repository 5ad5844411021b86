// Where a page of swarmlab's own is served: the port checked, the server listening (a taken
// port or a foreign address said in one line), and the addresses to open it at.
import type http from 'node:http';
import type https from 'node:https';
import type os from 'node:os';
import { LabError, SpecError } from '../errors.js';

/** A --port out of range, as one line naming the flag. */
export function checkPort(port: number, portFlag: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SpecError([{ field: '--port', problem: `must be a port from 1 to 65535 (got ${port})`, fix: `e.g. ${portFlag} 8091` }]);
  }
}

export function listen(server: http.Server | https.Server, host: string, port: number, portFlag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new LabError(`port ${port} on ${host} is in use`, { fix: `${portFlag} ANOTHER` })
          : err.code === 'EADDRNOTAVAIL'
            ? new SpecError([
                {
                  field: '--bind',
                  problem: `${host} is not an address of this machine`,
                  fix: 'use 127.0.0.1, 0.0.0.0 (every address), or one that ip addr shows',
                },
              ])
            : err,
      ),
    );
    server.listen({ host, port }, resolve);
  });
}

/** Interfaces a student's machine cannot reach: the engines' bridges, their veth pairs, overlay devices. */
const BRIDGES = /^(docker|br-|veth|virbr|cni|flannel|vxlan)/;

/**
 * The addresses a page served on `host` is opened at: the host itself, or, for every address
 * (0.0.0.0, ::), this machine's own non-loopback IPv4 addresses, which a student's browser can
 * use (0.0.0.0 is no address to open). Pure: the interfaces are given.
 */
export function pageUrls(host: string, port: number, interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>, scheme: 'http' | 'https' = 'http'): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [`${scheme}://${host}:${port}/`];
  // Container bridges (docker0, a lab's br-..., veth...) are this machine's, but no student's laptop reaches them.
  const addresses = Object.entries(interfaces)
    .filter(([name]) => !BRIDGES.test(name))
    .flatMap(([, list]) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal)
    .map((i) => `${scheme}://${i.address}:${port}/`);
  return addresses.length > 0 ? addresses : [`${scheme}://127.0.0.1:${port}/`];
}
