// A swarmlab command run as a child process of this very CLI: exercise steps run the
// commands a student would type, and a class runs its students' commands. Bounded, so a step
// that waits forever cannot hang a class.
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { SwarmlabRunner } from './run-steps.js';

// Two folders down from the package root both here (src/exercise, tests) and in the bundle (dist/cli).
export const CLI = fileURLToPath(new URL('../../bin/swarmlab.js', import.meta.url));
const STEP_TIMEOUT_MS = 10 * 60_000;

export const runSwarmlab: SwarmlabRunner = async (argv, cwd, say, env = {}) => {
  const child = execa(process.execPath, [CLI, ...argv], {
    cwd,
    reject: false,
    all: true,
    stdin: 'ignore',
    env: { NO_COLOR: '1', ...env },
    timeout: STEP_TIMEOUT_MS,
  });
  for await (const line of child.iterable({ from: 'all' })) say(String(line));
  const result = await child;
  if (result.timedOut) say(`swarmlab ${argv[0]} did not finish within ${STEP_TIMEOUT_MS / 60_000} minutes; stopped`);
  return result.exitCode ?? 1;
};
