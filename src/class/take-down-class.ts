// `class down`: every student's lab removed, on its own engine, all at once.
import path from 'node:path';
import { labPaths } from '../lab/paths.js';
import { removeLab } from '../lab/remove.js';
import { removeLogins } from '../web/logins.js';
import { openClass } from './open-class.js';

export interface ClassDown {
  labs: number;
  containers: number;
  /** `purge` removed the class's logins (there were some). */
  loginsRemoved: boolean;
}

/** Removes every lab of the class; `purge` empties their registries and progress and removes the logins too. */
export async function takeDownClass(classDir: string, purge: boolean): Promise<ClassDown> {
  const opened = await openClass(classDir);
  // In this one process, every lab at once: the engines remove containers in parallel, and 24
  // child processes starting Node would cost more than the removal itself.
  const removed = await Promise.all(
    opened.students.map((s) =>
      removeLab(opened.engineOf(s).client, s.lab, { purge, paths: labPaths(path.join(path.resolve(classDir), s.dir), s.lab) }).then((r) => r.containers),
    ),
  );
  return {
    labs: opened.students.length,
    containers: removed.reduce((a, b) => a + b, 0),
    loginsRemoved: purge && (await removeLogins(classDir)),
  };
}
