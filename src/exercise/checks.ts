// Running an exercise's checks: every check runs and is reported, even after one fails;
// `expect` checks share one snapshot per round; a check with `wait` is asked again, on a fresh
// snapshot, until it passes or its time is up. The outside (engine, HTTP) comes in through
// CheckEnvironment, so unit tests hand in a fake and a clock.
import type { ExecResult } from '../engine/engine.js';
import { redactTokens } from '../swarm/secrets.js';
import type { ClusterSnapshot } from '../swarm/snapshot.js';
import { type Clock, realClock } from '../wait/poll.js';
import { evaluateExpectation } from './expect.js';
import { fillStrings, fillTemplate, type TemplateValues } from './template.js';
import type { Check, Condition, Exercise } from './types.js';

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface CheckEnvironment {
  snapshot(): Promise<ClusterSnapshot>;
  /** `sh -c script` inside a node of the lab. */
  runInNode(node: string, script: string): Promise<ExecResult>;
  /** A GET to 127.0.0.1:port; rejects when nothing answers. */
  httpGet(port: number, path: string): Promise<HttpAnswer>;
  /** The host port a port of the first manager is published on. */
  managerHostPort(port: number): number | undefined;
  /** The lab's facts that `when:` conditions read. */
  facts: Required<Condition>;
  clock?: Clock;
  /** Told once per run, when failing checks with a `wait:` are to be asked again: which, and for how long at most. */
  onWait?: (checks: string[], seconds: number) => void;
}

export interface CheckOutcome {
  id: string;
  passed: boolean;
  /** Empty when it passed. */
  message: string;
  /** The first hint, when it failed and has one. */
  hint?: string;
  /** Why it did not run (its `when:` does not hold here, or a check it needs has not passed). */
  skipped?: string;
  /** The checks it needs that have not passed: it counts as not passing yet, where a `when:` skip does not count. */
  waitsFor?: string[];
}

/** Whether a `when:` holds for these facts. */
export function conditionHolds(when: Condition | undefined, facts: Required<Condition>): boolean {
  return when?.ipvs === undefined || when.ipvs === facts.ipvs;
}

function describeCondition(when: Condition): string {
  return when.ipvs ? 'needs IPVS, which this host lacks' : 'only for hosts without IPVS';
}

function failMessage(check: Check, values: TemplateValues, fallback: string): string {
  return check.fail ? fillTemplate(check.fail, values) : fallback;
}

function firstLine(text: string, max = 160): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}...` : line;
}

/** " (want 6 running, on at least 3 nodes)": the targets not met, for a `fail:` template that does not use {{want}} or {{wantNodes}}. */
export function wantedBeside(template: string, values: TemplateValues): string {
  const wanted = [
    values.want !== undefined && values.running !== values.want && !template.includes('{{want}}') ? `${values.want} running` : '',
    values.wantNodes !== undefined && Number(values.nodes) < Number(values.wantNodes) && !template.includes('{{wantNodes}}')
      ? `on at least ${values.wantNodes} nodes`
      : '',
  ].filter(Boolean);
  return wanted.length > 0 ? ` (want ${wanted.join(', ')})` : '';
}

async function runOne(
  check: Check,
  snapshot: () => Promise<ClusterSnapshot>,
  env: CheckEnvironment,
  values: TemplateValues,
): Promise<{ passed: boolean; message: string; converging?: boolean }> {
  if (check.kind === 'expect') {
    const seen = evaluateExpectation(fillStrings(check.expect, values), await snapshot());
    if (seen.passed) return { passed: true, message: '' };
    // The author's message speaks of an object that exists; of one that does not, ours says so.
    // An author's message that does not say the target is given it, so that "5/5" never reads as a pass.
    let message =
      seen.values.exists === false || !check.fail ? seen.problems.join('; ') : failMessage(check, seen.values, '') + wantedBeside(check.fail, seen.values);
    // Task errors say why, whatever the author's message says, unless it shows them itself.
    if (seen.taskErrors.length > 0 && !check.fail?.includes('{{errors}}')) message += `; ${seen.taskErrors.join('; ')}`;
    return { passed: false, message, converging: seen.converging };
  }
  if (check.kind === 'run') {
    const result = await env.runInNode(check.run.node, fillTemplate(check.run.sh, values));
    const output = redactTokens(`${result.stdout}\n${result.stderr}`);
    const failLines = output
      .split('\n')
      .filter((l) => l.startsWith('FAIL:'))
      .map((l) => l.slice('FAIL:'.length).trim());
    if (result.exitCode === 0 && failLines.length === 0) return { passed: true, message: '' };
    const said = failLines.join('; ') || `${check.run.node}: exited ${result.exitCode}${firstLine(output) ? `: ${firstLine(output)}` : ''}`;
    return { passed: false, message: failMessage(check, { node: check.run.node, output: said, exitCode: result.exitCode }, said) };
  }
  const probe = fillStrings(check.http, values);
  const port = probe.port ?? env.managerHostPort(probe.managerPort!);
  if (port === undefined) {
    return {
      passed: false,
      message: `the lab publishes no port for the manager's port ${probe.managerPort}; fix: add "HOST:${probe.managerPort}" to ports in swarmlab.yaml, then swarmlab down and up`,
    };
  }
  const url = `http://127.0.0.1:${port}${probe.path}`;
  const via = probe.managerPort !== undefined ? ` (the manager's port ${probe.managerPort})` : '';
  let answer: HttpAnswer;
  try {
    answer = await env.httpGet(port, probe.path);
  } catch (err) {
    const why = `GET ${url}${via} got no answer: ${(err as Error).message}`;
    return { passed: false, message: failMessage(check, { url, status: 0, body: '' }, why) };
  }
  const seen = { url, status: answer.status, body: firstLine(answer.body) };
  if (answer.status !== probe.status) {
    return { passed: false, message: failMessage(check, seen, `GET ${url}${via} answered ${answer.status}, want ${probe.status}: ${seen.body}`) };
  }
  if (probe.contains !== undefined && !answer.body.includes(probe.contains)) {
    return { passed: false, message: failMessage(check, seen, `GET ${url}${via} answered without ${JSON.stringify(probe.contains)}: ${seen.body}`) };
  }
  return { passed: true, message: '' };
}

/**
 * Runs every check of the exercise. `values` fills {{...}} in scripts and hints.
 * Returns one outcome per check, in the file's order.
 */
export async function runChecks(exercise: Exercise, values: TemplateValues, env: CheckEnvironment): Promise<CheckOutcome[]> {
  const clock = env.clock ?? realClock;
  const start = clock.now();
  const active = exercise.checks.filter((c) => conditionHolds(c.when, env.facts));
  const outcomes = new Map<string, CheckOutcome>();
  for (const check of exercise.checks.filter((c) => !active.includes(c))) {
    outcomes.set(check.id, { id: check.id, passed: true, message: '', skipped: describeCondition(check.when!) });
  }
  let toldOfWait = false;
  const runRounds = async (checks: Check[]) => {
    let pending = checks;
    while (pending.length > 0) {
      // One snapshot per round, taken only if an expect check asks for it.
      let taken: Promise<ClusterSnapshot> | undefined;
      const snapshot = () => (taken ??= env.snapshot());
      const results = await Promise.all(
        pending.map(async (check) => {
          const outcome = await runOne(check, snapshot, env, values).catch((err: Error) => ({
            passed: false,
            message: `could not check: ${err.message}`,
            converging: undefined as boolean | undefined,
          }));
          return { check, outcome };
        }),
      );
      for (const { check, outcome } of results) {
        outcomes.set(check.id, {
          id: check.id,
          passed: outcome.passed,
          message: redactTokens(outcome.message),
          ...(!outcome.passed && check.hints[0] ? { hint: fillTemplate(check.hints[0], values) } : {}),
        });
      }
      const elapsed = clock.now() - start;
      // Asked again only while what it looks at exists and still changes: a missing service fails at once.
      pending = results
        .filter(({ check, outcome }) => !outcome.passed && outcome.converging !== false && (check.waitMs ?? 0) > elapsed)
        .map(({ check }) => check);
      if (pending.length > 0 && !toldOfWait) {
        toldOfWait = true;
        env.onWait?.(
          pending.map((c) => c.id),
          Math.ceil(Math.max(...pending.map((c) => (c.waitMs ?? 0) - elapsed)) / 1000),
        );
      }
      if (pending.length > 0) await clock.sleep(1000);
    }
  };
  // Checks that need others run once those have their outcome; one whose needs failed is
  // skipped like one whose `when:` does not hold (not counted): it neither passes on its own
  // nor waits for nothing, and the exercise fails anyway on the check it needs.
  // Needs name earlier checks only, so each pass decides at least the first dependent left: a
  // check that needs a dependent one (raft-backup's keep-restored needs same-swarm, which needs
  // one-manager) runs in the pass after it.
  await runRounds(active.filter((c) => !c.needs?.length));
  let dependent = active.filter((c) => c.needs?.length);
  // A need skipped by its `when:` (passed, as not applying here) is met.
  const unmet = (c: Check) => c.needs!.filter((id) => !outcomes.get(id)?.passed);
  while (dependent.length > 0) {
    const decided = dependent.filter((c) => c.needs!.every((id) => outcomes.has(id)));
    if (decided.length === 0) break;
    for (const check of decided.filter((c) => unmet(c).length > 0)) {
      outcomes.set(check.id, { id: check.id, passed: true, message: '', skipped: `needs ${unmet(check).join(', ')} to pass first`, waitsFor: unmet(check) });
    }
    await runRounds(decided.filter((c) => unmet(c).length === 0));
    dependent = dependent.filter((c) => !decided.includes(c));
  }
  return exercise.checks.map((c) => outcomes.get(c.id)!);
}
