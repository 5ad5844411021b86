// The preamble of a command that acts on a lab: the lab named by --dir and --name, the engine,
// and for most, the lab running with the node that answers for the swarm. Said once here
// instead of in every handler.
import { DockerEngine } from '../engine/docker-engine.js';
import type { Engine } from '../engine/engine.js';
import type { RunningLab } from '../lab/running-lab.js';
import { type ResolvedLab, resolveLab, type SpecArgs } from './lab-options.js';
import { openRunningLab } from './running.js';

export interface OpenLab extends ResolvedLab {
  /** The lab's name (spec.name). */
  lab: string;
  engine: Engine;
}

/** The lab a command acts on and the engine, which answers (else the engine's error, with its fix). */
export async function openLab(args: SpecArgs): Promise<OpenLab> {
  const resolved = await resolveLab(args);
  const engine = new DockerEngine();
  await engine.info();
  return { ...resolved, lab: resolved.spec.name, engine };
}

/** The same, the lab running: its containers and the node swarm commands run on (`swarm`: one that answers for the swarm). */
export async function openLabRunning(args: SpecArgs, options: { swarm: boolean }): Promise<OpenLab & { running: RunningLab }> {
  const resolved = await resolveLab(args);
  const engine = new DockerEngine();
  const running = await openRunningLab(engine, resolved.spec.name, options);
  return { ...resolved, lab: resolved.spec.name, engine, running };
}
