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

export function formatProblem(p: SpecProblem): string {
  return `${p.field}: ${p.problem}; fix: ${p.fix}`;
}

/** Bad input: a spec file, a flag or an argument. Exit code 2, and nothing was created. */
export class SpecError extends Error {
  constructor(readonly problems: SpecProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SpecError';
  }
}

/** Something outside swarmlab went wrong: the engine, a node, compose. Exit code 1. */
export class LabError extends Error {
  /** 1, or 130 when the user interrupted. */
  exitCode = EXIT_FAILURE;

  constructor(
    message: string,
    /** Extra lines worth showing under the message, such as a node's last log lines. */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'LabError';
  }
}
