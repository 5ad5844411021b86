// `mirror status` as lines for a terminal. Pure.
import type { MirrorStatus } from '../mirror/mirror.js';

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export function formatMirrorStatus(status: MirrorStatus): string {
  if (!status.state) return 'No mirror on this engine. Start one: swarmlab mirror up';
  const lines = [`mirror    ${status.state}, proxies ${status.upstream}`];
  lines.push(`labs      ${status.labs.length > 0 ? status.labs.join(', ') : 'none yet (up --mirror joins a lab)'}`);
  const c = status.counters;
  if (c)
    lines.push(`blobs     ${c.hits} hits, ${c.misses} misses: ${c.served} downloads (${megabytes(c.bytesServed)}) served to nodes since the mirror started`);
  if (status.sizeBytes !== undefined) lines.push(`cache     ${megabytes(status.sizeBytes)} (volume swarmlab-mirror-data)`);
  return lines.join('\n');
}
