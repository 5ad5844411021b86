// How a child swarmlab tells its parent what went wrong: as JSON in a file the parent names,
// not as text the parent would have to scrape. cli/main.ts writes it; a class reads it.

/**
 * Where a child swarmlab writes its error as JSON ({exitCode, headline, lines}) besides stderr,
 * when its parent (a class bringing up its students' labs) asks: the parent reads what went wrong
 * from there, not from the child's text.
 */
export const ERROR_FILE_ENV = 'SWARMLAB_ERROR_FILE';

export interface ErrorReport {
  lines: string[];
  exitCode: number;
  /** The last `error:` line: the one line a list of many runs shows for this one. */
  headline: string;
}
