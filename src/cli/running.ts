// The running lab for a command, with a note on stderr when the first manager cannot answer
// for the swarm and another one does.
import type { Engine } from '../engine/engine.js';
import { managerNote, type RunningLab, requireAnsweringManager, requireRunningLab } from '../lab/running-lab.js';

/** `swarm`: the command needs a manager that answers for the swarm (else one line with both ways out). */
export async function openRunningLab(engine: Engine, lab: string, options: { swarm: boolean }): Promise<RunningLab> {
  const running = await requireRunningLab(engine, lab);
  if (options.swarm) requireAnsweringManager(running, lab);
  const note = managerNote(running);
  if (note) process.stderr.write(`note: ${note}\n`);
  return running;
}
