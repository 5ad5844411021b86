// What the nodes' kernel offers, asked inside the lab's first manager (the nodes share the
// host's kernel, so one node answers for all).
import type { Engine } from '../engine/engine.js';
import type { RunningLab } from './running-lab.js';

/** IPVS shows as /proc/net/ip_vs in every network namespace once the kernel has it. */
export async function hasIpvs(engine: Engine, lab: RunningLab): Promise<boolean> {
  return (await engine.exec(lab.manager, ['test', '-e', '/proc/net/ip_vs'])).exitCode === 0;
}
