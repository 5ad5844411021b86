// What every class command but `class up` starts from: the class recorded here, its students,
// and the engine each student's lab is on.
import { type ClassEngine, classEngines, engineOf, studentEnvironment } from './class-engines.js';
import { type ClassSpec, planClass, type StudentLab } from './plan.js';
import { requireClass } from './roster.js';

export interface OpenClass {
  /** The class directory, as given. */
  dir: string;
  spec: ClassSpec;
  students: StudentLab[];
  /** The class's engines by name. */
  engines(): Map<string, ClassEngine>;
  /** The engine the student's lab is on. */
  engineOf(student: StudentLab): ClassEngine;
  /** The environment that sends a child swarmlab to the student's engine. */
  envOf(student: StudentLab): Record<string, string>;
}

/**
 * The class in `classDir` (refused when there is none). Its engines are resolved when first
 * asked for: a command that needs none (class web --rotate) works with an engine that is gone.
 * A command that runs something per student asks for them before: an engine that is gone is
 * then refused once, not as each student's failure.
 */
export async function openClass(classDir: string): Promise<OpenClass> {
  const spec = await requireClass(classDir);
  let resolved: Map<string, ClassEngine> | undefined;
  const engines = () => {
    resolved ??= classEngines(spec.engines);
    return resolved;
  };
  return {
    dir: classDir,
    spec,
    students: planClass(spec),
    engines,
    engineOf: (student) => engineOf(engines(), student),
    envOf: (student) => studentEnvironment(engineOf(engines(), student)),
  };
}
