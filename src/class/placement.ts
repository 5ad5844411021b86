// Which engine each student's lab goes to: a student keeps the engine they were given; a new
// one goes where the most memory is left, counting a lab at what an idle lab of its shape takes
// (measured: a 1+3 lab about 180 MiB). Pure.
import type { SpecProblem } from '../errors.js';

export interface EngineRoom {
  name: string;
  /** Memory the engine's machine can give to labs, in bytes. */
  freeBytes: number;
}

const MIB = 1024 * 1024;

/** An idle lab's memory: about 45 MiB a node, and the registry (measured on a 1+3 lab: 180 MiB). */
export function labEstimateBytes(managers: number, workers: number): number {
  return (10 + 45 * (managers + workers)) * MIB;
}

export function placeStudents(
  ids: string[],
  engines: EngineRoom[],
  perLab: number,
  previous: Record<string, string>,
): { placement: Record<string, string>; problems: SpecProblem[] } {
  const placement: Record<string, string> = {};
  const left = new Map(engines.map((e) => [e.name, e.freeBytes]));
  for (const id of ids) {
    const kept = previous[id];
    if (kept && left.has(kept)) {
      placement[id] = kept;
      left.set(kept, left.get(kept)! - perLab);
    }
  }
  const problems: SpecProblem[] = [];
  for (const id of ids.filter((i) => !placement[i])) {
    const [name, free] = [...left].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!;
    if (free < perLab) {
      const room = Math.floor(engines.reduce((sum, e) => sum + e.freeBytes, 0) / perLab);
      problems.push({
        field: '--students',
        problem: `the engines have room for about ${room} labs of this shape (${Math.round(perLab / MIB)} MiB each), not ${ids.length}`,
        fix: 'add an engine (--engine), or fewer students or workers',
      });
      break;
    }
    placement[id] = name;
    left.set(name, free - perLab);
  }
  return { placement, problems };
}
