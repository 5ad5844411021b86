// How exercises, check results and progress read in a terminal. Pure: strings in, strings out.
import chalk from 'chalk';
import { COURSES, type CourseName } from '../exercise/catalog.js';
import type { CheckOutcome } from '../exercise/checks.js';
import type { ExerciseProgress, Progress } from '../exercise/progress.js';
import { fillTemplate, type TemplateValues } from '../exercise/template.js';
import type { ExerciseSource } from '../exercise/types.js';
import { table } from './output.js';

export function statusOf(entry: ExerciseProgress | undefined): string {
  if (!entry) return 'not started';
  if (entry.lastPassed) return 'passed';
  if (entry.passedAt) return 'passed before';
  if (entry.attempts > 0) return 'failing';
  return 'started';
}

export function formatList(exercises: ExerciseSource[], progress: Progress, course: CourseName | 'all' = 'basics'): string {
  const rows = exercises.map((s) => [
    s.order !== undefined ? String(s.order) : '-',
    `${s.exercise.id}${progress.current === s.exercise.id ? ' *' : ''}${s.exercise.breaks ? ' !' : ''}`,
    s.exercise.title,
    statusOf(progress.exercises[s.exercise.id]),
    s.origin === 'lab' ? 'lab' : (s.course ?? 'course'),
  ]);
  const legend = [
    progress.current ? '* current exercise.' : '',
    exercises.some((s) => s.exercise.breaks) ? '! breaks the lab on purpose, to recover from.' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const others = COURSES.filter((c) => course !== 'all' && c.name !== course).map((c) => `swarmlab exercise list --course ${c.name} (${c.title})`);
  return [
    table(['#', 'ID', 'TITLE', 'STATUS', 'COURSE'], rows),
    ...(legend ? [legend] : []),
    'Start one: swarmlab exercise start ID',
    ...others.map((o) => `Also: ${o}`),
  ].join('\n');
}

/** The exercise as a student reads it: title, lab, task, what will be checked. */
export function formatExercise(source: ExerciseSource, values: TemplateValues, options: { started?: boolean } = {}): string {
  const { exercise } = source;
  const shape = [
    exercise.lab.managers !== undefined ? `${exercise.lab.managers} manager${exercise.lab.managers === 1 ? '' : 's'}` : undefined,
    exercise.lab.workers !== undefined ? `${exercise.lab.workers} workers` : undefined,
    exercise.lab.swarm ? undefined : 'no swarm yet (swarmlab up --no-swarm)',
  ].filter(Boolean);
  const lines = [chalk.bold(`${exercise.id}: ${exercise.title}`)];
  if (shape.length > 0) lines.push(`Lab: ${shape.join(', ')}`);
  if (exercise.images.length > 0) {
    lines.push(
      `Images: ${exercise.images.map((i) => `${i} = ${values[`images.${i}`] ?? '(not mapped)'}, in the lab ${values[`registry.${i}`] ?? '?'}`).join('; ')}`,
    );
  }
  if (exercise.breaks) lines.push(chalk.bold(`Breaks the lab on purpose: ${exercise.breaks}`));
  lines.push('', fillTemplate(exercise.task, values).trimEnd());
  if (exercise.withoutIpvs)
    lines.push('', chalk.bold('On a host without IPVS (no routing mesh, no VIPs):'), fillTemplate(exercise.withoutIpvs, values).trimEnd());
  lines.push('', 'Checks:');
  for (const check of exercise.checks) lines.push(`  - ${check.id}${check.description ? `: ${fillTemplate(check.description, values)}` : ''}`);
  if (!options.started) lines.push('', `Start: swarmlab exercise start ${exercise.id}    Check: swarmlab exercise check ${exercise.id}`);
  return lines.join('\n');
}

/**
 * `hintCounts`: how many hints each check has. A check shows its first hint numbered ("hint 1 of
 * 2") when there are more, so that `exercise hint`'s "hint 2 of 2" follows what was seen.
 */
export function formatOutcomes(id: string, outcomes: CheckOutcome[], hintCounts: Record<string, number> = {}): string {
  const hintLine = (o: CheckOutcome) => {
    const total = hintCounts[o.id] ?? 1;
    return total > 1 ? `\n    hint 1 of ${total}: ${o.hint} (next: swarmlab exercise hint)` : `\n    hint: ${o.hint}`;
  };
  const lines = outcomes.map((o) => {
    if (o.skipped) return `${chalk.dim('-')} ${o.id}: skipped (${o.skipped})`;
    if (o.passed) return `${chalk.green('✔')} ${o.id}`;
    return `${chalk.red('✘')} ${o.id}: ${o.message}${o.hint ? hintLine(o) : ''}`;
  });
  // A check waiting for another counts (it is to pass too); one whose `when:` does not hold here does not.
  const counted = outcomes.filter((o) => !o.skipped || o.waitsFor);
  const passed = counted.filter((o) => o.passed && !o.waitsFor).length;
  lines.push(passed === counted.length ? `${id}: all ${counted.length} checks pass.` : `${id}: ${passed} of ${counted.length} checks pass.`);
  return lines.join('\n');
}

/**
 * What `exercise hint` prints: the hint numbered among the check's hints, and, when earlier ones
 * were shown (the first comes with `exercise check`), which, so that "hint 2" never seems to skip one.
 */
export function formatHint(index: number, hints: string[], exerciseId: string): string {
  const lines: string[] = [];
  if (index > 0) lines.push(`(already shown: ${index === 1 ? 'hint 1' : `hints 1-${index}`})`);
  lines.push(`hint ${index + 1} of ${hints.length}: ${hints[index]}`);
  if (index + 1 === hints.length) lines.push(`That was the last hint. The reference solution: swarmlab exercise solve ${exerciseId}`);
  return lines.join('\n');
}

/** The --json form of a check run; `indent` 0 gives one line (--watch prints one per change). */
export function outcomesJson(id: string, outcomes: CheckOutcome[], indent: number): string {
  const checks = outcomes.map((o) => ({
    id: o.id,
    passed: o.passed,
    message: o.message,
    hint: o.hint ?? null,
    ...(o.skipped ? { skipped: o.skipped } : {}),
    ...(o.waitsFor ? { waitsFor: o.waitsFor } : {}),
  }));
  return JSON.stringify({ exercise: id, passed: outcomes.every((o) => o.passed), checks }, null, indent);
}

function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** `ids`: the exercises to list, in order. */
export function formatProgress(ids: string[], progress: Progress): string {
  const rows = ids.map((id) => {
    const e = progress.exercises[id];
    const hints = e ? Object.values(e.hintsShown).reduce((a, b) => a + b, 0) : 0;
    return [
      id,
      statusOf(e),
      String(e?.attempts ?? 0),
      String(hints),
      duration(e?.secondsToPass),
      e?.solvedAt ? 'yes' : '',
      e?.failing && !e.lastPassed ? `${e.failing.id}: ${e.failing.message}`.slice(0, 70) : '',
    ];
  });
  const passed = ids.filter((id) => progress.exercises[id]?.passedAt).length;
  return `${table(['ID', 'STATUS', 'CHECKS', 'HINTS SEEN', 'TIME TO PASS', 'SOLVED', 'FAILING'], rows)}\n${passed} of ${ids.length} exercises passed.`;
}
