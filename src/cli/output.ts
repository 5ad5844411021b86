// Terminal output helpers: plain aligned tables; colour only where chalk detects a terminal.
import chalk from 'chalk';

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [chalk.bold(line(headers)), ...rows.map(line)].join('\n');
}

export function colourState(state: string): string {
  return state === 'Ready' || state === 'running' ? chalk.green(state) : chalk.red(state);
}
