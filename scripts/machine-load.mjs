// How busy and how fast this machine is, for the bench's parts: both move from hour to hour on
// a shared VM, so every figure is printed beside them.
import { readFileSync } from 'node:fs';

/**
 * Jiffies (1/100 s) the CPUs spent busy, idle and stolen so far (/proc/stat); undefined where
 * there is none. Steal is CPU the hypervisor gave to others while this machine wanted it: on the
 * shared VM of CI it moved this bench's results by a fifth within an hour, so each part says
 * how much it lost.
 */
export function cpuTimes() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { busy: f[0] + f[1] + f[2] + f[5] + f[6], idle: f[3] + f[4], steal: f[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/**
 * Seconds one core takes for a fixed loop, right now. The hypervisor of CI's VM slows this
 * machine by a sixth or more from one hour to the next without counting it as steal (a loop
 * like this one took 1.50 s at 11:10 and 1.73 s at 11:50 on 2026-12-03), so each part says how
 * fast the machine was: about 0.56 s here at 12:30 that day.
 */
export function cpuLoopSeconds() {
  const start = process.hrtime.bigint();
  let sum = 0;
  for (let i = 0; i < 1e9; i++) sum += i;
  if (sum < 0) throw new Error('unreachable');
  return Number(process.hrtime.bigint() - start) / 1e9;
}
