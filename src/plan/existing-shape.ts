// An `up` of a lab that exists keeps the lab as it is: its node counts are the lab's, whatever
// swarmlab.yaml says (the file describes the lab to create; node add and rm change it since).
// Only a flag changes them: a count above the lab's adds nodes, one below it is refused, since
// compose would remove the nodes beyond it (measured: `up` without swarmlab.yaml on a 3-manager
// lab removed manager02 and manager03, and the swarm lost its quorum). Pure.
import type { SpecProblem } from '../errors.js';
import type { LabSpec } from '../spec/types.js';
import { FIRST_MANAGER } from './topology.js';

/** The lab's shape from its node names (manager, managerNN, workerNN), by the highest number. */
export function shapeOf(nodeNames: string[]): { managers: number; workers: number } {
  let managers = 0;
  let workers = 0;
  for (const name of nodeNames) {
    if (name === FIRST_MANAGER) managers = Math.max(managers, 1);
    const numbered = /^(manager|worker)(\d{2})$/.exec(name);
    if (numbered?.[1] === 'manager') managers = Math.max(managers, Number(numbered[2]));
    if (numbered?.[1] === 'worker') workers = Math.max(workers, Number(numbered[2]));
  }
  return { managers, workers };
}

export function fitSpecToLab(
  spec: LabSpec,
  chosen: Set<keyof LabSpec>,
  nameOf: (field: keyof LabSpec) => string,
  nodeNames: string[],
): { spec: LabSpec; problems: SpecProblem[]; notes: string[] } {
  if (nodeNames.length === 0) return { spec, problems: [], notes: [] };
  const shape = shapeOf(nodeNames);
  const problems: SpecProblem[] = [];
  const notes: string[] = [];
  const fitted = { ...spec };
  for (const field of ['managers', 'workers'] as const) {
    const byFlag = chosen.has(field) && nameOf(field).startsWith('--');
    if (!byFlag) {
      if (chosen.has(field) && spec[field] !== shape[field])
        notes.push(`${nameOf(field)} is ${spec[field]}; lab "${spec.name}" has ${shape[field]} ${field}: kept as it is (--${field} changes it)`);
      fitted[field] = shape[field];
      continue;
    }
    if (spec[field] >= shape[field]) continue;
    const role = field === 'managers' ? 'manager' : 'worker';
    const beyond = nodeNames.filter((n) => {
      const m = /^(manager|worker)(\d{2})$/.exec(n);
      return m?.[1] === role && Number(m[2]) > spec[field];
    });
    problems.push({
      field: nameOf(field),
      problem: `lab "${spec.name}" has ${shape[field]} ${field}; ${spec[field]} would remove ${beyond.sort().join(', ')}`,
      fix: `ask for ${shape[field]} (or leave it out: up keeps the lab as it is), or swarmlab down --name ${spec.name} and up again with ${spec[field]}`,
    });
  }
  return { spec: fitted, problems, notes };
}
