// The exercise panel of a student's page: the course list, the current task, Check, Hint and
// Start, each answered by the student's own `swarmlab exercise ...` run for them in their lab
// directory (the same checks, progress record and output as at a terminal), one at a time per
// student: a second click while one runs is told to wait, not queued.

/** Runs `swarmlab ARGV` for a student (in their lab directory, on their engine). */
export type StudentRunner = (student: string, argv: string[]) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

export interface ExerciseListing {
  current: string | null;
  exercises: { id: string; title: string; order: number | null; status: string }[];
  task: { id: string; text: string } | null;
}

export type CheckReport =
  | { exercise: string; passed: boolean; checks: { id: string; passed: boolean; message: string; hint?: string; skipped?: string; waitsFor?: string[] }[] }
  | { error: string };

const EXERCISE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The last line a failed command said: its error, without the colour codes NO_COLOR already removed. */
function lastWords(result: { stdout: string; stderr: string }): string {
  const lines = `${result.stderr}\n${result.stdout}`.split('\n').filter((l) => l.trim() !== '');
  return lines.at(-1) ?? 'no answer';
}

export class StudentExercises {
  private readonly busy = new Set<string>();

  constructor(private readonly run: StudentRunner) {}

  private async once<T>(student: string, work: () => Promise<T>): Promise<T | { error: string }> {
    if (this.busy.has(student)) return { error: 'still busy with your last Check, Hint or Start: wait for it to finish' };
    this.busy.add(student);
    try {
      return await work();
    } finally {
      this.busy.delete(student);
    }
  }

  async listing(student: string): Promise<ExerciseListing | { error: string }> {
    const list = await this.run(student, ['exercise', 'list', '--json']);
    let parsed: { current: string | null; exercises: { id: string; title: string; order: number | null; status: string }[] };
    try {
      parsed = JSON.parse(list.stdout);
    } catch {
      return { error: lastWords(list) };
    }
    const exercises = parsed.exercises.map(({ id, title, order, status }) => ({ id, title, order, status }));
    if (!parsed.current) return { current: null, exercises, task: null };
    const shown = await this.run(student, ['exercise', 'show', parsed.current]);
    return { current: parsed.current, exercises, task: { id: parsed.current, text: shown.exitCode === 0 ? shown.stdout : lastWords(shown) } };
  }

  check(student: string): Promise<CheckReport> {
    return this.once(student, async () => {
      const result = await this.run(student, ['exercise', 'check', '--json']);
      try {
        return JSON.parse(result.stdout) as CheckReport;
      } catch {
        return { error: lastWords(result) };
      }
    });
  }

  hint(student: string): Promise<{ text: string } | { error: string }> {
    return this.once(student, async () => {
      const result = await this.run(student, ['exercise', 'hint']);
      return result.exitCode === 0 ? { text: result.stdout.trim() } : { error: lastWords(result) };
    });
  }

  start(student: string, id: unknown): Promise<{ ok: boolean; text: string } | { error: string }> {
    if (typeof id !== 'string' || !EXERCISE_ID.test(id)) return Promise.resolve({ error: 'no such exercise: pick one from the list' });
    return this.once(student, async () => {
      const result = await this.run(student, ['exercise', 'start', id]);
      return { ok: result.exitCode === 0, text: `${result.stdout}${result.stderr}`.trim() };
    });
  }
}
