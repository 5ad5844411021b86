// What the nodes' kernel offers, asked inside the lab's first manager (the nodes share the
// host's kernel, so one node answers for all).
import type { Engine } from '../engine/engine.js';
import type { RunningLab } from './running-lab.js';

/** IPVS shows as /proc/net/ip_vs in every network namespace once the kernel has it. */
/** Whether the lab's swarm has its ingress network (the routing mesh); the node cut `ingress` removes it where there is no IPVS. */
export async function hasIngressNetwork(engine: Engine, lab: RunningLab): Promise<boolean> {
  return (await engine.exec(lab.manager, ['docker', 'network', 'inspect', '--format', '{{.Name}}', 'ingress'])).exitCode === 0;
}

export async function hasIpvs(engine: Engine, lab: RunningLab): Promise<boolean> {
  return (await engine.exec(lab.manager, ['test', '-e', '/proc/net/ip_vs'])).exitCode === 0;
}
