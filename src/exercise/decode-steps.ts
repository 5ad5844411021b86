// Decoding setup, solve and reset steps, and `when:` conditions (see decode.ts).
import { type FieldReader, isMapping } from './fields.js';
import { splitCommandLine } from './template.js';
import type { Condition, Step } from './types.js';

/** manager, manager02, worker01: a node of the lab. */
export const NODE_NAME_PATTERN = /^(manager(0[2-7])?|worker\d{2})$/;
/** A path inside the lab directory: relative, no `..`. */
export const LAB_PATH_PATTERN = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[\w./-]+$/;
/** The swarmlab commands a step may run. */
export const STEP_COMMANDS = ['up', 'push', 'deploy', 'undeploy', 'docker', 'ps', 'status', 'chaos', 'node'];
// The lab a step acts on is the one the exercise runs in; a step does not choose another.
const LAB_OPTIONS = ['--dir', '--name'];

export function readCondition(r: FieldReader): Condition | undefined {
  const when = r.mapping('when', '{ipvs: false}');
  if (!when) return undefined;
  const condition: Condition = { ipvs: when.boolean('ipvs') };
  when.rejectUnknownKeys();
  return condition;
}

export function readNodeName(r: FieldReader): string | undefined {
  return r.string('node', { required: true, pattern: NODE_NAME_PATTERN, fix: 'name a node of the lab: manager, manager02, worker01, ...', example: 'manager' });
}

/**
 * The swarmlab options a command line gives. `swarmlab docker`'s own options (--dir, --name,
 * --node) come before the docker arguments, where a --name is docker's.
 */
function labOptionsOf(words: string[]): string[] {
  const flag = (w: string) => w.split('=')[0]!;
  if (words[1] !== 'docker') return words.slice(2).map(flag);
  const own: string[] = [];
  for (let i = 2; i < words.length && ['--dir', '--name', '--node'].includes(flag(words[i]!)); i++) {
    own.push(flag(words[i]!));
    if (!words[i]!.includes('=')) i++;
  }
  return own;
}

function readCommand(r: FieldReader, key: string | undefined, line: string): string[] | undefined {
  const words = splitCommandLine(line);
  if (!words) {
    r.problem(key, `has an unclosed quote: ${line}`, 'close the quote');
    return undefined;
  }
  if (words[0] !== 'swarmlab' || !STEP_COMMANDS.includes(words[1] ?? '')) {
    r.problem(
      key,
      `${JSON.stringify(line)} is not a swarmlab command a step may run`,
      `start it with swarmlab and one of ${STEP_COMMANDS.join(', ')}; for a shell inside a node write {node: manager, sh: "..."}`,
    );
    return undefined;
  }
  const labOption = labOptionsOf(words).find((w) => LAB_OPTIONS.includes(w));
  if (labOption) {
    r.problem(key, `${JSON.stringify(line)} names a lab (${labOption.split('=')[0]})`, 'leave it out: steps act on the lab the exercise runs in');
    return undefined;
  }
  // A backup file is written (or read) on this machine: in the lab directory only, as a file step's.
  if (words[1] === 'node' && ['backup', 'restore'].includes(words[2] ?? '') && !LAB_PATH_PATTERN.test(words[4] ?? '')) {
    r.problem(key, `${JSON.stringify(line)}: its FILE must be a path inside the lab directory`, 'e.g. swarmlab node backup manager backups/manager-swarm.tar');
    return undefined;
  }
  return words.slice(1);
}

function readStep(r: FieldReader): Step | undefined {
  const when = readCondition(r);
  r.allow(['swarmlab', 'node', 'sh', 'file', 'content']);
  const kinds = ['swarmlab', 'node', 'file'].filter((k) => r.has(k));
  if (kinds.length > 1) {
    r.problem(undefined, `has ${kinds.join(' and ')}: one per step`, 'split it into one step each');
    return undefined;
  }
  if (r.has('swarmlab')) {
    const line = r.string('swarmlab');
    const argv = line === undefined ? undefined : readCommand(r, 'swarmlab', `swarmlab ${line}`);
    return argv && { swarmlab: argv, when };
  }
  if (r.has('file')) {
    const file = r.string('file', { pattern: LAB_PATH_PATTERN, fix: 'a path inside the lab directory, e.g. stack/app.yml' });
    const content = r.string('content', { required: true });
    return file && content !== undefined ? { file, content, when } : undefined;
  }
  const node = readNodeName(r);
  const sh = r.string('sh', { required: true, example: '"docker node ls"' });
  return node && sh !== undefined ? { node, sh, when } : undefined;
}

export function readSteps(top: FieldReader, key: string): Step[] {
  const steps: Step[] = [];
  const items = top.list(key, '["swarmlab docker service ls"]') ?? [];
  items.forEach((item, index) => {
    const where = `${key}[${index}]`;
    if (typeof item === 'string') {
      const argv = readCommand(top, where, item);
      if (argv) steps.push({ swarmlab: argv });
      return;
    }
    if (!isMapping(item)) {
      top.problem(
        where,
        `must be a command line or a mapping (got ${JSON.stringify(item)})`,
        'write "swarmlab ...", {node: manager, sh: "..."} or {file: stack/app.yml, content: "..."}',
      );
      return;
    }
    const r = top.item(key, index, item);
    const step = readStep(r);
    r.rejectUnknownKeys();
    if (step) steps.push(step);
  });
  return steps;
}
