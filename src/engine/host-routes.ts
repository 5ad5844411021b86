// The subnets this machine routes, when the engine runs on it: another engine's bridges are
// invisible to this one's API, but not to the host's routing table.
import { readFile } from 'node:fs/promises';
import { routedSubnets } from '../plan/addresses.js';
import { currentEndpoint } from './current-endpoint.js';

export async function localRoutedSubnets(): Promise<string[]> {
  if (!currentEndpoint().host.startsWith('unix://')) return [];
  return routedSubnets(await readFile('/proc/net/route', 'utf8').catch(() => ''));
}
