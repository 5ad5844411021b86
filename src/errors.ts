// Errors that reach the user. Each one becomes one line (or one line per problem) and an exit
// code in src/cli/main.ts; nothing here prints.

/** One problem in the user's input: where it is, what is wrong, how to fix it. */
export interface SpecProblem {
  /** Where the value came from, named as the user wrote it: `swarmlab.yaml: workers`, `--workers`. */
  field: string;
  problem: string;
  fix: string;
}

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A text as one line: a value read from a file (a YAML block scalar, say) may hold line breaks. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** One problem, one line: the CLI prints each line of a SpecError as its own `error:`. */
export function formatProblem(p: SpecProblem): string {
  return `${oneLine(p.field)}: ${oneLine(p.problem)}; fix: ${oneLine(p.fix)}`;
}

/** Bad input: a spec file, a flag or an argument. Exit code 2, and nothing was created. */
export class SpecError extends Error {
  constructor(readonly problems: SpecProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SpecError';
  }
}

/** The last log lines of a container that a failure is about. */
export interface LogTail {
  container: string;
  state: string;
  lines: string[];
}

/** What a LabError knows besides its problem: read as fields, never split out of the message. */
export interface LabErrorFields {
  /** How to get past it: a command or a step. */
  fix?: string;
  /** The node it is about, when one. */
  node?: string;
  /** Last log lines of the containers it is about. */
  logTail?: LogTail[];
  /** Other lines worth showing under it. */
  details?: string[];
}

/** Something outside swarmlab went wrong: the engine, a node, compose. Exit code 1. */
export class LabError extends Error {
  /** 1, or 130 when the user interrupted. */
  exitCode = EXIT_FAILURE;
  /** What went wrong, without the fix. */
  readonly problem: string;
  readonly fix?: string;
  readonly node?: string;
  readonly logTail: LogTail[];
  readonly details: string[];

  constructor(problem: string, fields: LabErrorFields = {}) {
    // The message is the one line a user reads; the parts stay fields for doctor and the CLI.
    // A fix is one line wherever it is said (the CLI, doctor), even one read from a file.
    const fix = fields.fix === undefined ? undefined : oneLine(fields.fix);
    super(fix ? `${problem}; fix: ${fix}` : problem);
    this.name = 'LabError';
    this.problem = problem;
    this.fix = fix;
    this.node = fields.node;
    this.logTail = fields.logTail ?? [];
    this.details = fields.details ?? [];
  }

  /** The same error said in a wider context ("up of lab x failed: ..."), its fields kept and added to. */
  within(context: string, more: LabErrorFields = {}): LabError {
    const wider = new LabError(`${context}: ${this.problem}`, {
      fix: more.fix ?? this.fix,
      node: more.node ?? this.node,
      logTail: [...this.logTail, ...(more.logTail ?? [])],
      details: [...this.details, ...(more.details ?? [])],
    });
    wider.exitCode = this.exitCode;
    return wider;
  }

  /** The lines shown under the message: details, then each log tail under its own heading. */
  get detailLines(): string[] {
    return [...this.details, ...this.logTail.flatMap((t) => [`--- last log lines of ${t.container} (${t.state}) ---`, ...t.lines])];
  }
}
