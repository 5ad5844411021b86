// The subnets this machine routes, when the engine runs on it: another engine's bridges are
// invisible to this one's API, but not to the host's routing table.
import { readFile } from 'node:fs/promises';
import { type EngineEndpoint, runsOnThisMachine } from './endpoint.js';

/** The subnets this machine routes when `endpoint` runs on it; none for an engine elsewhere. */
export async function localRoutedSubnets(endpoint: EngineEndpoint): Promise<string[]> {
  if (!runsOnThisMachine(endpoint)) return [];
  return routedSubnets(await readFile('/proc/net/route', 'utf8').catch(() => ''));
}

/**
 * The IPv4 destinations of the host's routing table (/proc/net/route: little-endian hex), as
 * CIDRs. A second engine on the same host has bridges the first cannot see but the host routes:
 * a lab subnet must avoid them too. The default route (0.0.0.0/0) is left out.
 */
export function routedSubnets(procNetRoute: string): string[] {
  const cidrs: string[] = [];
  for (const line of procNetRoute.split('\n').slice(1)) {
    const [, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (!destination || !mask || mask === '00000000') continue;
    const ip = (hex: string) => [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
    const bits = parseInt(mask, 16)
      .toString(2)
      .split('')
      .filter((b) => b === '1').length;
    cidrs.push(`${ip(destination)}/${bits}`);
  }
  return cidrs;
}
