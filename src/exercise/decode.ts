// Strict decoding of an exercise file, like swarmlab.yaml's: parse, reject unknown keys and
// wrong types at every level, check names, node names, commands and placeholders, and
// report every problem at once, each naming its field and the fix.
import { parseDocument } from 'yaml';
import { SpecError, type SpecProblem } from '../errors.js';
import { IMAGE_NAME_PATTERN } from '../spec/decode.js';
import { API_VERSION } from '../spec/types.js';
import { MANAGER_COUNTS, MAX_WORKERS } from '../spec/validate.js';
import { VALUE_NAMES } from './expect.js';
import { FieldReader, isMapping } from './fields.js';
import { placeholdersOf, splitCommandLine } from './template.js';
import { EXERCISE_KIND, type Check, type Condition, type Exercise, type ExerciseFile, type Expectation, type HttpProbe, type Step } from './types.js';

export const EXERCISE_ID_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
/** manager, manager02, worker01: a node of the lab. */
export const NODE_NAME_PATTERN = /^(manager(0[2-7])?|worker\d{2})$/;
/** The swarmlab commands a step may run. */
export const STEP_COMMANDS = ['up', 'push', 'deploy', 'undeploy', 'docker', 'ps', 'status', 'exercise'];
/** The {{names}} every text may use besides images.NAME and registry.NAME. */
export const LAB_VALUES = ['lab.name', 'lab.dir', 'lab.publishMode', 'lab.endpointMode', 'exercise.dir'];
export const TOP_KEYS = ['apiVersion', 'kind', 'id', 'title', 'lab', 'images', 'task', 'withoutIpvs', 'files', 'setup', 'checks', 'solve', 'reset'];
const EXPECT_KINDS = ['service', 'node', 'nodes', 'network', 'secret', 'config', 'stack'] as const;
const MAX_WAIT_MS = 600_000;

function readCondition(r: FieldReader): Condition | undefined {
  const when = r.mapping('when', '{ipvs: false}');
  if (!when) return undefined;
  const condition: Condition = { ipvs: when.boolean('ipvs') };
  when.rejectUnknownKeys();
  return condition;
}

function readCommand(r: FieldReader, key: string | undefined, line: string): string[] | undefined {
  const words = splitCommandLine(line);
  if (!words) {
    r.problem(key, `has an unclosed quote: ${line}`, 'close the quote');
    return undefined;
  }
  if (words[0] !== 'swarmlab' || !STEP_COMMANDS.includes(words[1] ?? '')) {
    r.problem(key, `${JSON.stringify(line)} is not a swarmlab command`, `start it with swarmlab and one of ${STEP_COMMANDS.join(', ')}; for a shell inside a node write {node: manager, sh: "..."}`);
    return undefined;
  }
  return words.slice(1);
}

function readSteps(top: FieldReader, key: string): Step[] {
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
      top.problem(where, `must be a command line or a mapping (got ${JSON.stringify(item)})`, 'write "swarmlab ..." or {node: manager, sh: "..."}');
      return;
    }
    const r = top.item(key, index, item);
    const when = readCondition(r);
    if (r.has('swarmlab')) {
      const line = r.string('swarmlab');
      const argv = line === undefined ? undefined : readCommand(r, 'swarmlab', `swarmlab ${line}`);
      if (argv) steps.push({ swarmlab: argv, when });
    } else {
      const node = r.string('node', { required: true, pattern: NODE_NAME_PATTERN, fix: 'name a node of the lab: manager, manager02, worker01, ...', example: 'manager' });
      const sh = r.string('sh', { required: true, example: '"docker node ls"' });
      if (node && sh !== undefined) steps.push({ node, sh, when });
    }
    r.rejectUnknownKeys();
  });
  return steps;
}

function readServiceExpectation(r: FieldReader, name: string): Expectation {
  const ports = { min: 1, max: 65535 };
  return {
    on: 'service',
    name,
    absent: r.boolean('absent'),
    replicas: r.integer('replicas', { min: 0, max: 1000 }),
    image: r.string('image'),
    mode: r.oneOf('mode', ['replicated', 'global'] as const),
    minNodes: r.integer('minNodes', { min: 1, max: 100 }),
    notOnRole: r.oneOf('notOnRole', ['manager', 'worker'] as const),
    onRole: r.oneOf('onRole', ['manager', 'worker'] as const),
    networks: r.strings('networks'),
    publishedPort: r.integer('publishedPort', ports),
    publishMode: r.oneOf('publishMode', ['ingress', 'host'] as const),
    endpointMode: r.oneOf('endpointMode', ['vip', 'dnsrr'] as const),
    secrets: r.strings('secrets'),
    configs: r.strings('configs'),
    env: r.stringMap('env', '{BACKEND_HOST: "echo_api:8080"}'),
    constraints: r.strings('constraints'),
    mounts: r.stringMap('mounts', '{/var/run/docker.sock: /var/run/docker.sock}'),
  };
}

function readExpectation(r: FieldReader): Expectation | undefined {
  const kinds = EXPECT_KINDS.filter((k) => r.has(k));
  if (kinds.length !== 1) {
    r.problem(undefined, kinds.length === 0 ? 'names nothing to expect' : `names ${kinds.join(' and ')}: one per check`, `start it with one of ${EXPECT_KINDS.join(', ')}, e.g. {service: echo, replicas: 6}`);
    return undefined;
  }
  const kind = kinds[0]!;
  if (kind === 'nodes') {
    const nodes = r.mapping('nodes', '{ready: 4, workers: 3}');
    if (!nodes) return undefined;
    const count = { min: 0, max: 100 };
    const e: Expectation = { on: 'nodes', ready: nodes.integer('ready', count), managers: nodes.integer('managers', count), workers: nodes.integer('workers', count), down: nodes.integer('down', count) };
    nodes.rejectUnknownKeys();
    return e;
  }
  const name = r.string(kind, { required: true, example: 'echo' });
  if (name === undefined) return undefined;
  switch (kind) {
    case 'service':
      return readServiceExpectation(r, name);
    case 'node':
      return {
        on: 'node',
        name,
        role: r.oneOf('role', ['manager', 'worker'] as const),
        status: r.oneOf('status', ['ready', 'down', 'unknown', 'disconnected'] as const),
        availability: r.oneOf('availability', ['active', 'pause', 'drain'] as const),
        managerStatus: r.oneOf('managerStatus', ['leader', 'reachable', 'unreachable'] as const),
      };
    case 'network':
      return { on: 'network', name, absent: r.boolean('absent'), driver: r.string('driver'), attachable: r.boolean('attachable'), scope: r.oneOf('scope', ['swarm', 'local'] as const) };
    case 'secret':
    case 'config':
      return { on: kind, name, absent: r.boolean('absent') };
    case 'stack': {
      const services = r.has('services') && typeof r.raw.services === 'number' ? r.integer('services', { min: 0, max: 100 }) : r.strings('services');
      return { on: 'stack', name, absent: r.boolean('absent'), services };
    }
  }
}

function readHttp(r: FieldReader): HttpProbe | undefined {
  const probe: HttpProbe = {
    port: r.integer('port', { min: 1, max: 65535 }),
    managerPort: r.integer('managerPort', { min: 1, max: 65535 }),
    path: r.string('path', { pattern: /^\//, fix: 'start the path with /', example: '/' }) ?? '/',
    status: r.integer('status', { min: 100, max: 599 }) ?? 200,
    contains: r.string('contains'),
  };
  if (r.has('port') === r.has('managerPort')) {
    r.problem(undefined, 'needs exactly one of port and managerPort', 'write managerPort: 80 (a port of the first manager, as the lab publishes it) or port: 8000 (a host port)');
  }
  return probe;
}

/** The {{names}} a check's `fail:` may use. */
function failValues(check: Partial<Check>): string[] {
  if (check.kind === 'expect' && check.expect) return VALUE_NAMES[check.expect.on];
  if (check.kind === 'run') return ['node', 'output', 'exitCode'];
  if (check.kind === 'http') return ['url', 'status', 'body'];
  return [];
}

function readCheck(r: FieldReader): Check | undefined {
  const id = r.string('id', { required: true, pattern: EXERCISE_ID_PATTERN, fix: 'use lowercase letters, digits and dashes, e.g. replicas', example: 'replicas' });
  const common = { id: id ?? '', description: r.string('description'), fail: r.string('fail'), hints: r.strings('hint') ?? [], waitMs: r.duration('wait', MAX_WAIT_MS), when: readCondition(r) };
  const kinds = (['expect', 'run', 'http'] as const).filter((k) => r.has(k));
  r.allow(['expect', 'run', 'http']);
  let check: Check | undefined;
  if (kinds.length !== 1) {
    r.problem(undefined, kinds.length === 0 ? 'has no expect, run or http' : `has ${kinds.join(' and ')}: one per check`, 'give each check one of expect: {...}, run: {node, sh} or http: {managerPort, path}');
  } else if (kinds[0] === 'expect') {
    const e = r.mapping('expect', '{service: echo, replicas: 6}');
    const expect = e && readExpectation(e);
    if (expect) e!.rejectUnknownKeys();
    if (expect) check = { ...common, kind: 'expect', expect };
  } else if (kinds[0] === 'run') {
    const run = r.mapping('run', '{node: manager, sh: "..."}');
    const node = run?.string('node', { required: true, pattern: NODE_NAME_PATTERN, fix: 'name a node of the lab: manager, manager02, worker01, ...', example: 'manager' });
    const sh = run?.string('sh', { required: true, example: '"test -f /stack/done || echo FAIL: ..."' });
    run?.rejectUnknownKeys();
    if (node && sh !== undefined) check = { ...common, kind: 'run', run: { node, sh } };
  } else {
    const http = r.mapping('http', '{managerPort: 80, path: /, contains: hello}');
    const probe = http && readHttp(http);
    http?.rejectUnknownKeys();
    if (probe) check = { ...common, kind: 'http', http: probe };
  }
  if (check?.fail) {
    const allowed = failValues(check);
    for (const name of placeholdersOf(check.fail).filter((n) => !allowed.includes(n))) {
      r.problem('fail', `uses {{${name}}}, which this check does not see`, `use one of ${allowed.map((a) => `{{${a}}}`).join(', ')}`);
    }
  }
  r.rejectUnknownKeys();
  return check;
}

function readFiles(top: FieldReader): ExerciseFile[] {
  const files: ExerciseFile[] = [];
  (top.list('files', '[{path: stack/app.yml, content: "..."}]') ?? []).forEach((item, index) => {
    if (!isMapping(item)) {
      top.problem(`files[${index}]`, 'must be a mapping with path and content', 'write {path: stack/app.yml, content: "..."}');
      return;
    }
    const r = top.item('files', index, item);
    const path = r.string('path', { required: true, pattern: /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[\w./-]+$/, fix: 'a path inside the lab directory, e.g. stack/app.yml', example: 'stack/app.yml' });
    const content = r.string('content', { required: true });
    r.rejectUnknownKeys();
    if (path && content !== undefined) files.push({ path, content });
  });
  return files;
}

/** Every {{name}} in the texts that are filled for the lab must be one it knows. */
function checkPlaceholders(exercise: Exercise, problems: SpecProblem[], fileLabel: string): void {
  const known = new Set([...LAB_VALUES, ...exercise.images.flatMap((i) => [`images.${i}`, `registry.${i}`])]);
  const texts: [string, string][] = [
    ['task', exercise.task],
    ['withoutIpvs', exercise.withoutIpvs ?? ''],
    ...exercise.files.map((f, i): [string, string] => [`files[${i}].content`, f.content]),
    ...(['setup', 'solve', 'reset'] as const).flatMap((key) =>
      exercise[key].map((s, i): [string, string] => [`${key}[${i}]`, 'sh' in s ? s.sh : s.swarmlab.join(' ')]),
    ),
    ...exercise.checks.flatMap((c, i): [string, string][] => [
      [`checks[${i}].hint`, c.hints.join('\n')],
      ...(c.kind === 'run' ? [[`checks[${i}].run.sh`, c.run.sh] as [string, string]] : []),
    ]),
  ];
  for (const [field, text] of texts) {
    for (const name of placeholdersOf(text).filter((n) => !known.has(n))) {
      const image = /^(images|registry)\.(.+)$/.exec(name);
      problems.push({
        field: `${fileLabel}: ${field}`,
        problem: `uses {{${name}}}, which is not defined`,
        fix: image ? `add ${image[2]} to the exercise's images: list` : `use one of ${[...known].map((k) => `{{${k}}}`).join(', ')}`,
      });
    }
  }
}

export interface DecodedExercise {
  exercise?: Exercise;
  problems: SpecProblem[];
}

export function decodeExercise(text: string, fileLabel: string): DecodedExercise {
  const problems: SpecProblem[] = [];
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    return { problems: [{ field: fileLabel, problem: `not valid YAML${line ? ` (line ${line})` : ''}: ${first.message.split('\n')[0]}`, fix: 'correct the YAML syntax (see "Writing an exercise" in the README)' }] };
  }
  const raw: unknown = doc.toJS();
  if (!isMapping(raw)) {
    return { problems: [{ field: fileLabel, problem: 'must be a mapping of keys to values', fix: 'start with apiVersion: swarmlab/v1alpha1, kind: Exercise, id: ...' }] };
  }
  const r = new FieldReader(raw, '', fileLabel, problems);
  const apiVersion = r.string('apiVersion', { required: true, example: API_VERSION });
  if (apiVersion !== undefined && apiVersion !== API_VERSION) r.problem('apiVersion', `unsupported version ${JSON.stringify(apiVersion)}`, `set apiVersion: ${API_VERSION}`);
  const kind = r.string('kind', { required: true, example: EXERCISE_KIND });
  if (kind !== undefined && kind !== EXERCISE_KIND) r.problem('kind', `must be ${EXERCISE_KIND} (got ${JSON.stringify(kind)})`, `set kind: ${EXERCISE_KIND}`);
  const id = r.string('id', { required: true, pattern: EXERCISE_ID_PATTERN, fix: 'use 1-40 lowercase letters, digits or dashes, starting with a letter', example: 'scale-echo' });
  const title = r.string('title', { required: true, example: 'Scale echo across the workers' });
  const labReader = r.mapping('lab', '{managers: 1, workers: 3}');
  const lab = { managers: labReader?.integer('managers', { min: 1, max: 7 }), workers: labReader?.integer('workers', { min: 0, max: MAX_WORKERS }), swarm: labReader?.boolean('swarm') ?? true };
  if (lab.managers !== undefined && !MANAGER_COUNTS.includes(lab.managers)) labReader!.problem('managers', `must be 1, 3, 5 or 7 (got ${lab.managers})`, 'use an odd count');
  labReader?.rejectUnknownKeys();
  const images = r.strings('images') ?? [];
  for (const name of images.filter((n) => !IMAGE_NAME_PATTERN.test(n))) r.problem('images', `${JSON.stringify(name)} is not an image name`, 'use lowercase letters, digits and dashes, e.g. echo');
  const task = r.string('task', { required: true, example: '|\n  What to do, in Markdown' }) ?? '';
  const withoutIpvs = r.string('withoutIpvs');
  const files = readFiles(r);
  const setup = readSteps(r, 'setup');
  const checks: Check[] = [];
  const rawChecks = r.list('checks', '[{id: replicas, expect: {service: echo, replicas: 6}}]');
  if (rawChecks?.length === 0 || (!rawChecks && !r.has('checks'))) r.problem('checks', 'is missing or empty', 'add at least one check: {id: ..., expect|run|http: ...}');
  (rawChecks ?? []).forEach((item, index) => {
    if (!isMapping(item)) return r.problem(`checks[${index}]`, 'must be a mapping', 'write {id: ..., expect: {...}}');
    const check = readCheck(r.item('checks', index, item));
    if (check) checks.push(check);
  });
  const seen = new Set<string>();
  checks.forEach((c, index) => {
    if (seen.has(c.id)) r.problem(`checks[${index}].id`, `${c.id} is used twice`, 'give every check its own id');
    seen.add(c.id);
  });
  const solve = readSteps(r, 'solve');
  const reset = readSteps(r, 'reset');
  r.rejectUnknownKeys();
  if (!id || !title || problems.length > 0) return { problems };
  const exercise: Exercise = { id, title, lab, images, task, withoutIpvs, files, setup, checks, solve, reset };
  checkPlaceholders(exercise, problems, fileLabel);
  return problems.length > 0 ? { problems } : { exercise, problems };
}

/** Decodes or throws a SpecError listing every problem (exit 2). */
export function requireExercise(text: string, fileLabel: string): Exercise {
  const decoded = decodeExercise(text, fileLabel);
  if (!decoded.exercise) throw new SpecError(decoded.problems);
  return decoded.exercise;
}
