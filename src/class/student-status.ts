// One row of the instructor's view per student: the lab (nodes Ready, leader, tasks) as its
// swarm says, and the exercises (passed, the current one, its failing check) as the student's
// progress record says.
import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import { type Catalog, courseExercises, startedCourses } from '../exercise/catalog.js';
import { type Progress, readProgress } from '../exercise/progress.js';
import { readInventory } from '../lab/inventory.js';
import { labPaths } from '../lab/paths.js';
import { stoppedManagers } from '../swarm/answering-manager.js';
import { type ClusterSnapshot, serviceTasks, takeSnapshot } from '../swarm/snapshot.js';
import type { StudentLab } from './plan.js';

export interface StudentStatus {
  id: string;
  lab: string;
  engine: string;
  /** Every node Ready. */
  up: boolean;
  nodesReady: number;
  nodes: number;
  leader: string | null;
  tasksRunning: number;
  tasksDesired: number;
  /** Exercises passed, of `exercises`: those of the courses this student has started. */
  passed: number;
  exercises: number;
  current: string | null;
  /**
   * The current exercise since its latest start (a drill `class exec -- exercise start` began,
   * say): not checked yet, or its last check passing or failing. Null without a current exercise.
   */
  currentState: 'started' | 'passing' | 'failing' | null;
  /** Whether the current exercise breaks the lab on purpose (a drill: lost-quorum, autolock, ...). */
  drill: boolean;
  /** The first failing check of the current exercise at its last check: "id: message". */
  failing: string | null;
  lastCheck: string | null;
  /** Why the lab cannot be read, when it cannot. */
  problem: string | null;
}

/**
 * Pure: the row from what the lab's swarm and the progress record say. `stoppedManagers`: the
 * manager nodes whose containers do not run (a drill killed the leader, a stopped lab).
 */
export function studentRow(
  student: StudentLab,
  engine: string,
  containers: number,
  snapshot: ClusterSnapshot | undefined,
  progress: Progress,
  catalog: Catalog,
  stoppedManagers: string[] = [],
): StudentStatus {
  const current = progress.current ?? null;
  const entry = current ? progress.exercises[current] : undefined;
  const counted = new Set(courseExercisesStarted(catalog, progress));
  const checkedSinceStart = entry?.lastCheckAt !== undefined && !(entry.startedAt && entry.lastCheckAt < entry.startedAt);
  const state = !entry ? null : !checkedSinceStart ? 'started' : entry.lastPassed ? 'passing' : 'failing';
  const running = snapshot?.tasks.filter((t) => t.state === 'running' && t.desiredState === 'running').length ?? 0;
  const desired = snapshot?.services.reduce((sum, s) => sum + serviceTasks(s, snapshot).desired, 0) ?? 0;
  const ready = snapshot?.nodes.filter((n) => n.state === 'ready').length ?? 0;
  return {
    id: student.id,
    lab: student.lab,
    engine,
    up: containers > 0 && snapshot !== undefined && snapshot.nodes.length > 0 && ready === snapshot.nodes.length,
    nodesReady: ready,
    nodes: snapshot?.nodes.length ?? 0,
    leader: snapshot?.nodes.find((n) => n.managerStatus === 'leader')?.hostname ?? null,
    tasksRunning: running,
    tasksDesired: desired,
    passed: Object.entries(progress.exercises).filter(([id, e]) => e.passedAt && counted.has(id)).length,
    exercises: counted.size,
    current,
    currentState: state,
    drill: catalog.exercises.some((e) => e.exercise.id === current && e.exercise.breaks !== undefined),
    // A failure from before the latest start is not this run's.
    failing: entry?.failing && state === 'failing' ? `${entry.failing.id}: ${entry.failing.message}` : null,
    lastCheck: entry?.lastCheckAt ?? null,
    problem: rowProblem(student, containers, snapshot, stoppedManagers),
  };
}

/** The ids of the exercises of the courses the student has started (the first course when none), the lab's own with them. */
function courseExercisesStarted(catalog: Catalog, progress: Progress): string[] {
  return startedCourses(catalog, Object.keys(progress.exercises)).flatMap((course) => courseExercises(catalog, course).map((e) => e.exercise.id));
}

function rowProblem(student: StudentLab, containers: number, snapshot: ClusterSnapshot | undefined, stoppedManagers: string[]): string | null {
  if (containers === 0) return 'no lab (swarmlab class up repairs it)';
  if (snapshot?.isManager) return null;
  if (stoppedManagers.length > 0) return `${stoppedManagers.join(', ')} down (swarmlab class exec --students ${student.id} -- start)`;
  if (!snapshot) return 'the swarm does not answer';
  return snapshot.swarmState === 'inactive' ? 'no swarm yet' : 'no manager answers';
}

export async function readStudentStatus(engine: Engine, engineName: string, classDir: string, student: StudentLab, catalog: Catalog): Promise<StudentStatus> {
  const dir = path.join(path.resolve(classDir), student.dir);
  const [inventory, { progress }] = await Promise.all([readInventory(engine, student.lab), readProgress(labPaths(dir, student.lab).stateDir, student.lab)]);
  const snapshot = inventory.containers.length > 0 ? await takeSnapshot(engine, inventory.containers).catch(() => undefined) : undefined;
  const stopped = stoppedManagers(inventory.containers).map((m) => m.node);
  return studentRow(student, engineName, inventory.containers.length, snapshot, progress, catalog, stopped);
}
