// `swarmlab up` loads for a quarter of a second before it knows which lab it brings up, and
// Compose v1 then loads Python for a third of a second before it reads its file. So bin/
// loads this module first, on its own: it guesses the lab from the command line and
// swarmlab.yaml, and starts compose at once, waiting for its file (see ComposeUp). `up` takes
// that compose when the guess names the lab it resolves, and starts its own otherwise: a wrong
// guess costs only the head start.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ComposeUp } from '../compose/compose-client.js';
import { labPaths, SPEC_FILE_NAME } from '../lab/paths.js';
import { composeProjectOf } from '../plan/topology.js';
import { defaultSpec } from '../spec/defaults.js';

interface EarlyCompose {
  project: string;
  projectDir: string;
  up: Promise<ComposeUp>;
}

let early: EarlyCompose | undefined;

/** `--name value` or `--name=value`, as yargs reads them. */
function flagValue(argv: string[], name: string): string | undefined {
  for (const [i, arg] of argv.entries()) {
    if (arg === `--${name}`) return argv[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

function nameInSpecFile(dir: string): string | undefined {
  try {
    return /^name:\s*["']?([\w.-]+)/m.exec(readFileSync(path.join(dir, SPEC_FILE_NAME), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

function discard(compose: EarlyCompose | undefined): void {
  compose?.up.then(
    (up) => up.cancel(),
    () => undefined,
  );
}

export async function startEarlyCompose(argv: string[]): Promise<void> {
  if (argv[0] !== 'up' || argv.some((arg) => ['--help', '-h', '--version'].includes(arg))) return;
  const dir = flagValue(argv, 'dir') ?? '.';
  const name = flagValue(argv, 'name') ?? nameInSpecFile(dir) ?? defaultSpec().name;
  const [{ startComposeUp }, { applyEngineEnvironment }] = await Promise.all([import('../compose/compose-client.js'), import('../engine/current-endpoint.js')]);
  // Compose must talk to the engine swarmlab will use; a context that cannot be used is said by main.
  try {
    applyEngineEnvironment();
  } catch {
    return;
  }
  const project = composeProjectOf(name);
  const projectDir = labPaths(dir, name).stateDir;
  const up = startComposeUp(project, projectDir);
  up.catch(() => undefined); // reported by whoever takes it
  early = { project, projectDir, up };
}

/** The compose started early when it was started for this lab; otherwise it is ended, and none is given. */
export function takeEarlyCompose(project: string, projectDir: string): Promise<ComposeUp> | undefined {
  const found = early;
  early = undefined;
  if (found && found.project === project && found.projectDir === projectDir) return found.up;
  discard(found);
  return undefined;
}

/** Ends a compose started early that no `up` took (the command failed before it could). */
export function discardEarlyCompose(): void {
  discard(early);
  early = undefined;
}
