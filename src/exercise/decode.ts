// Strict decoding of an exercise file, like swarmlab.yaml's: parse, reject unknown keys and
// wrong types at every level, check names, node names, commands and placeholders, and
// report every problem at once, each naming its field and the fix. Steps are read in
// decode-steps.ts, checks in decode-checks.ts.
import { parseDocument } from 'yaml';
import type { SpecProblem } from '../errors.js';
import { IMAGE_NAME_PATTERN } from '../spec/decode.js';
import { API_VERSION } from '../spec/types.js';
import { MANAGER_COUNTS, MAX_WORKERS } from '../spec/validate.js';
import { CHECK_ID_PATTERN, readCheck } from './decode-checks.js';
import { LAB_PATH_PATTERN, readSteps } from './decode-steps.js';
import { FieldReader, isMapping } from './fields.js';
import { placeholdersOf } from './template.js';
import { type Check, EXERCISE_KIND, type Exercise, type ExerciseFile, type LabShape } from './types.js';

export { NODE_NAME_PATTERN, STEP_COMMANDS } from './decode-steps.js';
export const EXERCISE_ID_PATTERN = CHECK_ID_PATTERN;
/** The {{names}} every text may use besides images.NAME, registry.NAME and lab.port.N. */
export const LAB_VALUES = ['lab.name', 'lab.dir', 'lab.registry', 'lab.publishMode', 'lab.endpointMode', 'lab.resolveImage', 'exercise.dir'];
/** {{lab.port.80}}: the host port the lab publishes the first manager's port 80 on. */
const LAB_PORT = /^lab\.port\.\d{1,5}$/;

function readLab(r: FieldReader): LabShape {
  const lab = r.mapping('lab', '{managers: 1, workers: 3}');
  const shape = {
    managers: lab?.integer('managers', { min: 1, max: 7 }),
    workers: lab?.integer('workers', { min: 0, max: MAX_WORKERS }),
    swarm: lab?.boolean('swarm') ?? true,
  };
  if (shape.managers !== undefined && !MANAGER_COUNTS.includes(shape.managers))
    lab!.problem('managers', `must be 1, 3, 5 or 7 (got ${shape.managers})`, 'use an odd count');
  lab?.rejectUnknownKeys();
  return shape;
}

function readFiles(top: FieldReader): ExerciseFile[] {
  const files: ExerciseFile[] = [];
  for (const [index, item] of (top.list('files', '[{path: stack/app.yml, content: "..."}]') ?? []).entries()) {
    if (!isMapping(item)) {
      top.problem(`files[${index}]`, 'must be a mapping with path and content', 'write {path: stack/app.yml, content: "..."}');
      continue;
    }
    const r = top.item('files', index, item);
    const path = r.string('path', {
      required: true,
      pattern: LAB_PATH_PATTERN,
      fix: 'a path inside the lab directory, e.g. stack/app.yml',
      example: 'stack/app.yml',
    });
    const content = r.string('content', { required: true });
    r.rejectUnknownKeys();
    if (path && content !== undefined) files.push({ path, content });
  }
  return files;
}

function readChecks(r: FieldReader): Check[] {
  const checks: Check[] = [];
  const raw = r.list('checks', '[{id: replicas, expect: {service: echo, replicas: 6}}]');
  if (!raw || raw.length === 0) r.problem('checks', 'is missing or empty', 'add at least one check: {id: ..., expect|run|http: ...}');
  for (const [index, item] of (raw ?? []).entries()) {
    if (!isMapping(item)) {
      r.problem(`checks[${index}]`, 'must be a mapping', 'write {id: ..., expect: {...}}');
      continue;
    }
    const check = readCheck(r.item('checks', index, item));
    if (check) checks.push(check);
  }
  const seen = new Set<string>();
  checks.forEach((c, index) => {
    if (seen.has(c.id)) r.problem(`checks[${index}].id`, `${c.id} is used twice`, 'give every check its own id');
    for (const needed of c.needs ?? []) {
      if (!seen.has(needed)) r.problem(`checks[${index}].needs`, `names ${needed}, which is no check before this one`, `name the id of an earlier check`);
    }
    seen.add(c.id);
  });
  return checks;
}

/** Every {{name}} in the texts filled for the lab must be one it knows. */
function checkPlaceholders(exercise: Exercise, fileLabel: string): SpecProblem[] {
  const known = new Set([...LAB_VALUES, ...exercise.images.flatMap((i) => [`images.${i}`, `registry.${i}`])]);
  const texts: [string, string][] = [
    ['task', exercise.task],
    ['withoutIpvs', exercise.withoutIpvs ?? ''],
    ...exercise.files.map((f, i): [string, string] => [`files[${i}].content`, f.content]),
    ...(['setup', 'solve', 'reset'] as const).flatMap((key) => exercise[key].map((s, i): [string, string] => [`${key}[${i}]`, JSON.stringify(s)])),
    ...exercise.checks.flatMap((c, i): [string, string][] => [
      [`checks[${i}].hint`, c.hints.join('\n')],
      [`checks[${i}].${c.kind}`, JSON.stringify(c.kind === 'expect' ? c.expect : c.kind === 'run' ? c.run : c.http)],
    ]),
  ];
  const problems: SpecProblem[] = [];
  for (const [field, text] of texts) {
    for (const name of placeholdersOf(text).filter((n) => !known.has(n) && !LAB_PORT.test(n))) {
      const image = /^(images|registry)\.(.+)$/.exec(name);
      problems.push({
        field: `${fileLabel}: ${field}`,
        problem: `uses {{${name}}}, which is not defined`,
        fix: image ? `add ${image[2]} to the exercise's images: list` : `use one of ${[...known, 'lab.port.PORT'].map((k) => `{{${k}}}`).join(', ')}`,
      });
    }
  }
  return problems;
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
    return {
      problems: [
        {
          field: fileLabel,
          problem: `not valid YAML${line ? ` (line ${line})` : ''}: ${first.message.split('\n')[0]}`,
          fix: 'correct the YAML syntax (see docs/writing-exercises.md)',
        },
      ],
    };
  }
  const raw: unknown = doc.toJS();
  if (!isMapping(raw)) {
    return {
      problems: [
        { field: fileLabel, problem: 'must be a mapping of keys to values', fix: 'start with apiVersion: swarmlab/v1alpha1, kind: Exercise, id: ...' },
      ],
    };
  }
  const r = new FieldReader(raw, '', fileLabel, problems);
  const apiVersion = r.string('apiVersion', { required: true, example: API_VERSION });
  if (apiVersion !== undefined && apiVersion !== API_VERSION)
    r.problem('apiVersion', `unsupported version ${JSON.stringify(apiVersion)}`, `set apiVersion: ${API_VERSION}`);
  const kind = r.string('kind', { required: true, example: EXERCISE_KIND });
  if (kind !== undefined && kind !== EXERCISE_KIND) r.problem('kind', `must be ${EXERCISE_KIND} (got ${JSON.stringify(kind)})`, `set kind: ${EXERCISE_KIND}`);
  const id = r.string('id', {
    required: true,
    pattern: EXERCISE_ID_PATTERN,
    fix: 'use 1-40 lowercase letters, digits or dashes, starting with a letter',
    example: 'scale-echo',
  });
  const title = r.string('title', { required: true, example: 'Scale echo across the workers' });
  const lab = readLab(r);
  const images = r.strings('images') ?? [];
  for (const name of images.filter((n) => !IMAGE_NAME_PATTERN.test(n)))
    r.problem('images', `${JSON.stringify(name)} is not an image name`, 'use lowercase letters, digits and dashes, e.g. echo');
  const task = r.string('task', { required: true, example: '|\n  What to do, in Markdown' }) ?? '';
  const withoutIpvs = r.string('withoutIpvs');
  const breaks = r.string('breaks');
  const files = readFiles(r);
  const setup = readSteps(r, 'setup');
  const checks = readChecks(r);
  const solve = readSteps(r, 'solve');
  const reset = readSteps(r, 'reset');
  r.rejectUnknownKeys();
  if (!id || !title || problems.length > 0) return { problems };
  const exercise: Exercise = { id, title, lab, images, task, withoutIpvs, ...(breaks ? { breaks } : {}), files, setup, checks, solve, reset };
  problems.push(...checkPlaceholders(exercise, fileLabel));
  return problems.length > 0 ? { problems } : { exercise, problems };
}
