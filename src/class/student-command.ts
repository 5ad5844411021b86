// The command `class exec` runs for each student, read from what the instructor typed after `--`.
import type { SpecProblem } from '../errors.js';

/**
 * The command `class exec` runs for each student, as the instructor typed it after `--`, or the
 * one-line refusal. A leading `swarmlab` (or `npx swarmlab`) is the instructor's habit, not an
 * error; --dir and --name are each student's own and set per student. Pure.
 */
export function studentCommand(typed: string[], known: string[]): { argv: string[] } | { problem: SpecProblem } {
  const argv = typed[0] === 'npx' && typed[1] === 'swarmlab' ? typed.slice(2) : typed[0] === 'swarmlab' ? typed.slice(1) : typed;
  const example = 'e.g. swarmlab class exec -- chaos kill-leader';
  if (argv.length === 0) return { problem: { field: 'COMMAND', problem: 'no swarmlab command given', fix: example } };
  if (argv[0] === 'class') return { problem: { field: 'COMMAND', problem: 'a class command cannot run per student', fix: example } };
  if (!known.includes(argv[0]!))
    return {
      problem: { field: 'COMMAND', problem: `"${argv[0]}" is not a swarmlab command`, fix: `use one of ${known.filter((k) => k !== 'class').join(', ')}` },
    };
  const own = argv.find((w) => /^--(dir|name)(=|$)/.test(w));
  if (own)
    return {
      problem: {
        field: 'COMMAND',
        problem: `${own.split('=')[0]} is set for each student by class exec`,
        fix: 'leave it out (--students s01,s03 chooses the labs)',
      },
    };
  return { argv };
}
