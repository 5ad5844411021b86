// Host ports for a lab: a port the user chose must be free (or the lab's own); a default
// that is taken moves to the next free port, and the move is said. Pure: who holds a port is
// known before (engine/host-ports.ts probes the ports this may look at).
import type { SpecProblem } from '../errors.js';
import type { LabSpec } from '../spec/types.js';

/** Who holds a host port, in words (`container lab-a-registry`, `another program`), or undefined when free. */
export type PortHolder = (port: number) => string | undefined;

export interface PortAssignment {
  spec: LabSpec;
  /** One line per default port that moved. */
  moves: string[];
  problems: SpecProblem[];
}

/** How far above a taken default port a free one is looked for. */
export const SEARCH_SPAN = 100;

export interface PortContext {
  chosen: Set<keyof LabSpec>;
  nameOf: (field: keyof LabSpec) => string;
  holderOf: PortHolder;
  /** Host ports the lab's own containers publish already, by what they serve. */
  existing: { registry?: number; api?: number; manager: Map<number, number> };
}

export function assignHostPorts(spec: LabSpec, ctx: PortContext): PortAssignment {
  const moves: string[] = [];
  const problems: SpecProblem[] = [];
  const assigned = new Set<number>();

  const place = (field: 'registryPort' | 'apiPort' | 'ports', what: string, wanted: number, existing: number | undefined): number => {
    if (existing !== undefined && !ctx.chosen.has(field)) {
      assigned.add(existing);
      return existing;
    }
    const holder = ctx.holderOf(wanted);
    if (!holder || existing === wanted) {
      assigned.add(wanted);
      return wanted;
    }
    if (ctx.chosen.has(field)) {
      problems.push({
        field: ctx.nameOf(field),
        problem: `host port ${wanted} on ${spec.bindAddress} is in use by ${holder}`,
        fix: `free it, or pick another ${field === 'registryPort' ? 'registryPort (--registry-port)' : field === 'apiPort' ? 'apiPort (--api-port)' : 'host port in ports'}`,
      });
      return wanted;
    }
    for (let port = wanted + 1; port <= Math.min(wanted + SEARCH_SPAN, 65535); port++) {
      if (assigned.has(port) || ctx.holderOf(port)) continue;
      assigned.add(port);
      moves.push(`${what} on ${spec.bindAddress}:${port} (${wanted} is in use by ${holder})`);
      return port;
    }
    problems.push({
      field: ctx.nameOf(field),
      problem: `no free host port from ${wanted} to ${wanted + SEARCH_SPAN}`,
      fix: 'free some ports, or set them in swarmlab.yaml',
    });
    return wanted;
  };

  const registryPort = place('registryPort', 'registry', spec.registryPort, ctx.existing.registry);
  const apiPort = place('apiPort', 'Engine API', spec.apiPort, ctx.existing.api);
  const ports = [];
  for (const p of spec.ports) {
    ports.push({ host: place('ports', `manager port ${p.container}`, p.host, ctx.existing.manager.get(p.container)), container: p.container });
  }
  return { spec: { ...spec, registryPort, apiPort, ports }, moves, problems };
}
