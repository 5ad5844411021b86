// `exercise start`: bring the lab to the shape the exercise needs, and write its starter
// files. A lab made in another shape is refused (with the fix), never reshaped behind the user's
// back; workers promoted since are demoted, each demotion said as it runs.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { count } from '../count.js';
import type { Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { firstManager, readInventory } from '../lab/inventory.js';
import { LABEL_ROLE } from '../plan/labels.js';
import { listSwarmNodes, localSwarmState } from '../swarm/nodes.js';
import { fillTemplate, type TemplateValues } from './template.js';
import type { Exercise, LabShape, Step } from './types.js';

/**
 * Why a lab cannot take the shape, in words; undefined when it can. Managers must be as many as
 * the shape says (an exercise about managers counts on them); workers at least as many (more
 * do no harm, fewer are added).
 */
export function shapeMismatch(shape: LabShape, managers: number, workers: number): string | undefined {
  const wrong = shape.managers !== undefined && shape.managers !== managers;
  if (!wrong) return undefined;
  return `it needs ${count(shape.managers!, 'manager')}; the lab has ${count(managers, 'manager')} (and ${count(workers, 'worker')})`;
}

/** The `swarmlab up` that brings an existing lab to the shape: more workers if it has fewer, else a repair. */
export function growStep(shape: LabShape, workers: number): Step {
  return { swarmlab: ['up', ...(shape.workers !== undefined && shape.workers > workers ? ['--workers', String(shape.workers)] : [])] };
}

/** The demotions that bring a swarm with `promoted` workers (made as workers, managers now) back to the shape's managers. */
export function demotionSteps(shape: LabShape, managersMade: number, promoted: string[]): Step[] {
  const excess = shape.managers === undefined ? 0 : managersMade + promoted.length - shape.managers;
  return promoted.slice(0, Math.max(0, excess)).map((node) => ({ swarmlab: ['node', 'demote', node] }));
}

/** The `swarmlab up` that makes (or repairs) a lab of this shape. */
export function upStep(shape: LabShape): Step {
  return {
    swarmlab: [
      'up',
      ...(shape.managers !== undefined ? ['--managers', String(shape.managers)] : []),
      ...(shape.workers !== undefined ? ['--workers', String(shape.workers)] : []),
      ...(shape.swarm ? [] : ['--no-swarm']),
    ],
  };
}

/**
 * What must happen before the exercise's setup: an `up` to run (it changes nothing on a lab that
 * is whole), and the demotion of workers promoted since. Throws when the lab exists in another
 * shape, or has a swarm where the exercise starts without one.
 */
export async function stepsToShape(engine: Engine, lab: string, exercise: Exercise, resetHint: string): Promise<Step[]> {
  const inventory = await readInventory(engine, lab);
  if (inventory.containers.length === 0) return [upStep(exercise.lab)];
  const nodes = [...inventory.nodes.values()];
  const managers = nodes.filter((c) => c.labels[LABEL_ROLE] === 'manager').length;
  const mismatch = shapeMismatch(exercise.lab, managers, nodes.length - managers);
  if (mismatch) {
    throw new LabError(`exercise ${exercise.id} cannot start in lab "${lab}": ${mismatch}`, {
      fix: `swarmlab down --name ${lab}, then swarmlab exercise start ${exercise.id} (it brings the lab up in that shape)`,
    });
  }
  // Workers promoted since (an exercise about managers) are demoted again, each said as it runs:
  // the exercise counts on its managers, and a drained manager with promoted workers beside it
  // could never see its tasks leave the managers.
  const demotions = demotionSteps(
    exercise.lab,
    managers,
    exercise.lab.swarm && exercise.lab.managers !== undefined ? await promotedWorkers(engine, inventory) : [],
  );
  if (!exercise.lab.swarm) {
    const manager = firstManager(inventory);
    // A daemon that does not answer (yet) says nothing of a swarm: `up` below waits for it.
    const state = manager?.state === 'running' ? await localSwarmState(engine, manager.name) : undefined;
    if (state !== undefined && state !== 'inactive') {
      throw new LabError(`exercise ${exercise.id} starts from a lab without a swarm, and lab "${lab}" has one`, {
        fix: `${resetHint}, or swarmlab down --name ${lab} first`,
      });
    }
  }
  // `up` on a lab that is whole changes nothing; on one that is not, it repairs it; asked for
  // more workers, it adds them.
  return exercise.lab.swarm
    ? [growStep(exercise.lab, nodes.length - managers), ...demotions]
    : [upStep({ ...exercise.lab, managers: undefined, workers: undefined })];
}

/**
 * The nodes made as workers that the swarm counts as managers now (`node promote`, an exercise
 * about managers): the containers' labels say how a lab was made, the swarm what it is. Empty
 * when the swarm cannot be read (no swarm yet, no manager answering): `up` repairs that first.
 */
async function promotedWorkers(engine: Engine, inventory: Awaited<ReturnType<typeof readInventory>>): Promise<string[]> {
  const manager = firstManager(inventory);
  if (manager?.state !== 'running') return [];
  const swarm = await listSwarmNodes(engine, manager.name).catch(() => []);
  const madeAsWorker = new Set([...inventory.nodes.entries()].filter(([, c]) => c.labels[LABEL_ROLE] === 'worker').map(([name]) => name));
  return [...new Set(swarm.filter((n) => n.role === 'manager' && madeAsWorker.has(n.hostname)).map((n) => n.hostname))].sort();
}

/** Writes the starter files the lab does not have; a file the student has is kept. Returns one line per file. */
export async function writeStarterFiles(labDir: string, exercise: Exercise, values: TemplateValues): Promise<string[]> {
  const lines: string[] = [];
  for (const file of exercise.files) {
    const target = path.join(labDir, file.path);
    const content = fillTemplate(file.content, values);
    const existing = await readFile(target, 'utf8').catch(() => undefined);
    if (existing === content) {
      lines.push(`${file.path}: present`);
    } else if (existing !== undefined) {
      lines.push(`${file.path}: kept yours (remove it to get the starter file again)`);
    } else {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
      lines.push(`${file.path}: written`);
    }
  }
  return lines;
}
