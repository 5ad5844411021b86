// What `swarmlab docker` can tell of its arguments before docker sees them: a docker command
// taken as the value of one of swarmlab's options (`--node ps`), and one of swarmlab's options
// typed after the docker command, where docker gets it (`service ls --name echo`). docker's own
// answer to the second, "unknown flag: --name", says nothing of where the option belongs. Pure.
import type { SpecProblem } from '../errors.js';

/** The options swarmlab docker takes itself, before the docker arguments. */
export const OWN_OPTIONS = ['--dir', '--name', '--node'] as const;
export type OwnOption = (typeof OWN_OPTIONS)[number];

const WHAT_IT_NAMES: Record<OwnOption, string> = { '--dir': 'lab folder', '--name': "lab's name", '--node': 'node to run in' };

/** docker's top-level commands: none of them is a node's name (manager, worker01, ...). */
const DOCKER_COMMANDS = new Set(
  (
    'attach build builder buildx commit config container context cp create diff events exec export history image images import info inspect ' +
    'kill load login logout logs network node pause plugin port ps pull push rename restart rm rmi run save search secret service stack start ' +
    'stats stop swarm system tag top unpause update version volume wait'
  ).split(' '),
);

/**
 * docker commands with no --dir, --name or --node of their own that read flags anywhere on the
 * line (no container command follows them, as one does `run` or `exec`): there, one of
 * swarmlab's options is certainly misplaced. The value: whether `--filter name=...` lists by name.
 */
const LISTINGS: Record<string, boolean> = {
  ps: true,
  'container ls': true,
  'container ps': true,
  images: false,
  'image ls': false,
  info: false,
  version: false,
  'node ls': true,
  'node ps': true,
  'node inspect': false,
  'service ls': true,
  'service ps': true,
  'service inspect': false,
  'service logs': false,
  'stack ls': false,
  'stack ps': true,
  'stack services': true,
  'network ls': true,
  'secret ls': true,
  'config ls': true,
  'volume ls': true,
};

/** The docker command the arguments start with, as LISTINGS names it ("service ls"), or the first word. */
function commandOf(args: string[]): string {
  const words = args.slice(0, 2);
  return words.length === 2 && LISTINGS[words.join(' ')] !== undefined ? words.join(' ') : (words[0] ?? '');
}

/** `--node ps`: a docker command where the value of swarmlab's option was wanted. */
export function commandAsValue(flag: OwnOption, value: string, rest: string[]): SpecProblem | undefined {
  // A lab or folder may be named like a docker command; a node never is.
  if (!DOCKER_COMMANDS.has(value) || (flag !== '--node' && rest.length > 0)) return undefined;
  const placeholder = flag === '--node' ? 'NODE' : flag === '--name' ? 'LAB' : 'DIR';
  const example = flag === '--node' ? ' (NODE: manager, worker01, ...: swarmlab status lists them)' : '';
  return {
    field: flag,
    problem: `took "${value}", a docker command, as the ${WHAT_IT_NAMES[flag]}${rest.length === 0 ? ', which left no docker command to run' : ''}`,
    fix: `swarmlab docker ${flag} ${placeholder} ${[value, ...rest].join(' ')}${example}`,
  };
}

/** `--name=lab` -> ['--name', 'lab']; `--name` -> ['--name', undefined]. */
export function splitOption(arg: string): [string, string | undefined] {
  const at = arg.indexOf('=');
  return at < 0 ? [arg, undefined] : [arg.slice(0, at), arg.slice(at + 1)];
}

/** `service ls --name echo`: swarmlab's option after a docker command that has no such flag. */
export function ownOptionAfterCommand(args: string[]): SpecProblem | undefined {
  const command = commandOf(args);
  if (LISTINGS[command] === undefined) return undefined;
  const at = args.findIndex((a) => (OWN_OPTIONS as readonly string[]).includes(splitOption(a)[0]));
  if (at < 0) return undefined;
  const [flag, inline] = splitOption(args[at]!);
  const next = args[at + 1];
  const takesNext = inline === undefined && next !== undefined && !next.startsWith('-');
  const value = inline ?? (takesNext ? next : 'VALUE');
  const rest = [...args.slice(0, at), ...args.slice(at + (takesNext ? 2 : 1))].join(' ');
  const byName = flag === '--name' && LISTINGS[command] ? `, or swarmlab docker ${rest} --filter name=${value} to list by name` : '';
  return {
    field: flag,
    problem: `came after "docker ${command}", so docker got it, and docker ${command} has no ${flag}: swarmlab's options go before the docker command`,
    fix: `swarmlab docker ${flag} ${value} ${rest}${byName}`,
  };
}
