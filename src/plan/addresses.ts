// Fixed addresses: one /24 per lab, one address per container. A node that restarts keeps its
// address, so the swarm's memory of where each node is stays true (measured: with addresses
// handed out anew, the manager's old address went to another node and workers stayed Down).

/** Labs take a /24 from 10.210.1.0 to 10.210.254.0, the first one overlapping no engine network. */
const PREFIX = '10.210';
export const DEFAULT_SUBNET = `${PREFIX}.1.0/24`;

function toInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function range(cidr: string): [number, number] | undefined {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr.trim());
  if (!match) return undefined; // IPv6 or malformed: cannot overlap an IPv4 /24
  const bits = Number(match[2]);
  const size = 2 ** (32 - bits);
  const start = Math.floor(toInt(match[1]!) / size) * size;
  return [start, start + size - 1];
}

export function overlaps(a: string, b: string): boolean {
  const ra = range(a);
  const rb = range(b);
  return ra !== undefined && rb !== undefined && ra[0] <= rb[1] && rb[0] <= ra[1];
}

export function chooseSubnet(taken: string[]): string | undefined {
  for (let third = 1; third <= 254; third++) {
    const candidate = `${PREFIX}.${third}.0/24`;
    if (!taken.some((t) => overlaps(candidate, t))) return candidate;
  }
  return undefined;
}

/** The address of host number `n` (1..254) in a /24. */
export function hostAddress(subnet: string, n: number): string {
  return `${subnet.split('/')[0]!.split('.').slice(0, 3).join('.')}.${n}`;
}

// Host numbers: .1 is the gateway; managers from .10, workers from .100.
export const REGISTRY_HOST = 2;
export const FIRST_MANAGER_HOST = 10;
export const FIRST_WORKER_HOST = 100;
