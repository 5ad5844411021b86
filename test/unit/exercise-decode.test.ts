// Exercise files: strict decoding with every problem at once, the JSON schema checked against
// what the decoder accepts, and every exercise of the built-in course.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { formatProblem } from '../../src/errors.js';
import { decodeExercise, EXERCISE_ID_PATTERN, NODE_NAME_PATTERN, STEP_COMMANDS } from '../../src/exercise/decode.js';
import { LAB_PATH_PATTERN } from '../../src/exercise/decode-steps.js';
import { IMAGE_NAME_PATTERN } from '../../src/spec/decode.js';
import { DEFAULT_IMAGES } from '../../src/spec/defaults.js';
import { REPO_ROOT } from '../repo-root.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'exercise');
const COURSE = path.join(REPO_ROOT, 'course');
const fixtures = readdirSync(FIXTURES);

function problemsOf(text: string, label: string): string[] {
  return decodeExercise(text, label).problems.map(formatProblem);
}

describe('exercise files', () => {
  it.each(fixtures.filter((f) => f.startsWith('valid-')))('%s decodes', (file) => {
    expect(problemsOf(readFileSync(path.join(FIXTURES, file), 'utf8'), file)).toEqual([]);
  });

  it.each(fixtures.filter((f) => f.startsWith('invalid-')))('%s is refused in one line naming the field, with a fix', (file) => {
    const text = readFileSync(path.join(FIXTURES, file), 'utf8');
    const expected = /^# expect: (.*)$/m.exec(text)![1]!;
    const problems = problemsOf(text, file);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
    expect(problems[0]).toMatch(/; fix: \S/);
  });

  it('reads every part of a full file', () => {
    const { exercise } = decodeExercise(readFileSync(path.join(FIXTURES, 'valid-full.yaml'), 'utf8'), 'valid-full.yaml');
    expect(exercise!.lab).toEqual({ managers: 1, workers: 3, swarm: true });
    expect(exercise!.checks.map((c) => c.kind)).toEqual([
      'expect',
      'run',
      'http',
      'http',
      'expect',
      'expect',
      'expect',
      'expect',
      'expect',
      'expect',
      'expect',
    ]);
    expect(exercise!.checks[0]).toMatchObject({
      waitMs: 30_000,
      hints: ['docker service scale echo=6'],
      expect: { on: 'service', name: 'echo', replicas: 6, env: { A: 'b*' } },
    });
    expect(exercise!.checks[1]!.hints).toEqual(['first', 'second']);
    expect(exercise!.checks[3]).toMatchObject({ http: { managerPort: 80, path: '/', status: 200 } });
    expect(exercise!.solve).toEqual([
      { swarmlab: ['docker', 'service', 'create', '--name', 'echo', '--replicas', '6', '{{registry.echo}}'] },
      { swarmlab: ['docker', 'service', 'update', '--publish-add', 'mode=host,published=80,target=8080', 'echo'], when: { ipvs: false } },
      { node: 'worker01', sh: 'touch /tmp/x', when: undefined },
    ]);
  });

  it('lets a step back a node up into the lab directory only', () => {
    const withSolve = (solve: string[]) =>
      problemsOf(
        stringify({
          apiVersion: 'swarmlab/v1alpha1',
          kind: 'Exercise',
          id: 'b',
          title: 't',
          task: 't',
          checks: [{ id: 'a', expect: { nodes: { managers: 1 } } }],
          solve,
        }),
        'b.yaml',
      );
    expect(withSolve(['swarmlab node backup manager backups/swarm.tar', 'swarmlab node restore manager backups/swarm.tar'])).toEqual([]);
    expect(withSolve(['swarmlab node backup manager /etc/swarm.tar', 'swarmlab node restore manager ../swarm.tar'])).toEqual([
      'b.yaml: solve[0]: "swarmlab node backup manager /etc/swarm.tar": its FILE must be a path inside the lab directory; fix: e.g. swarmlab node backup manager backups/manager-swarm.tar',
      'b.yaml: solve[1]: "swarmlab node restore manager ../swarm.tar": its FILE must be a path inside the lab directory; fix: e.g. swarmlab node backup manager backups/manager-swarm.tar',
    ]);
  });

  it('reports every problem of a file at once', () => {
    const text = stringify({
      apiVersion: 'v2',
      kind: 'Exercise',
      id: 'X',
      task: 't',
      checks: [{ id: 'a', expect: { service: 'echo', replicas: 'six' } }, { id: 'b' }],
    });
    const fields = problemsOf(text, 'bad.yaml').map((p) => p.split(': ').slice(0, 2).join(': '));
    expect(fields).toEqual(['bad.yaml: apiVersion', 'bad.yaml: id', 'bad.yaml: title', 'bad.yaml: checks[0].expect.replicas', 'bad.yaml: checks[1]']);
  });
});

// The schema must name exactly the keys the decoder accepts at every level. The decoder says
// which keys it knows when it meets an unknown one; each level of a valid file gets one.
describe('schema/exercise.schema.json', () => {
  const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema', 'exercise.schema.json'), 'utf8'));
  const defs = schema.$defs;
  const base = () => ({
    apiVersion: 'swarmlab/v1alpha1',
    kind: 'Exercise',
    id: 'probe',
    title: 't',
    task: 't',
    lab: { managers: 1 },
    files: [{ path: 'stack/a.yml', content: 'x' }],
    setup: [{ swarmlab: 'docker node ls' }, { node: 'manager', sh: 'true' }],
    checks: [
      { id: 'service', expect: { service: 'echo' }, when: { ipvs: true } },
      { id: 'node', expect: { node: 'manager' } },
      { id: 'nodes', expect: { nodes: { ready: 1 } } },
      { id: 'network', expect: { network: 'n' } },
      { id: 'secret', expect: { secret: 's' } },
      { id: 'config', expect: { config: 'c' } },
      { id: 'stack', expect: { stack: 'w' } },
      { id: 'run', run: { node: 'manager', sh: 'true' } },
      { id: 'http', http: { port: 80 } },
      { id: 'swarm', expect: { swarm: { autolock: true } } },
    ],
  });
  type Probe = [string, (doc: ReturnType<typeof base>) => Record<string, unknown>, { properties: Record<string, unknown> }];
  const probes: Probe[] = [
    ['', (d) => d, schema],
    ['lab', (d) => d.lab, schema.properties.lab],
    ['files[0]', (d) => d.files[0]!, schema.properties.files.items],
    // A step's keys are the union of its three forms (command, node script, file).
    [
      'setup[0]',
      (d) => d.setup[0]!,
      { properties: Object.assign({}, ...defs.steps.items.oneOf.slice(1).map((f: { properties: object }) => f.properties)), additionalProperties: false } as {
        properties: Record<string, unknown>;
      },
    ],
    ['checks[7]', (d) => d.checks[7]!, defs.check],
    ['checks[0].when', (d) => d.checks[0]!.when!, defs.when],
    ['checks[0].expect', (d) => d.checks[0]!.expect!, defs.expect.oneOf[0]],
    ['checks[1].expect', (d) => d.checks[1]!.expect!, defs.expect.oneOf[1]],
    ['checks[2].expect', (d) => d.checks[2]!.expect!, defs.expect.oneOf[2]],
    ['checks[2].expect.nodes', (d) => d.checks[2]!.expect!.nodes as Record<string, unknown>, defs.expect.oneOf[2].properties.nodes],
    ['checks[3].expect', (d) => d.checks[3]!.expect!, defs.expect.oneOf[3]],
    ['checks[4].expect', (d) => d.checks[4]!.expect!, defs.expect.oneOf[4]],
    ['checks[5].expect', (d) => d.checks[5]!.expect!, defs.expect.oneOf[5]],
    ['checks[6].expect', (d) => d.checks[6]!.expect!, defs.expect.oneOf[6]],
    ['checks[7].run', (d) => d.checks[7]!.run!, defs.check.properties.run],
    ['checks[8].http', (d) => d.checks[8]!.http!, defs.check.properties.http],
    ['checks[9].expect', (d) => d.checks[9]!.expect!, defs.expect.oneOf[7]],
    ['checks[9].expect.swarm', (d) => d.checks[9]!.expect!.swarm as Record<string, unknown>, defs.expect.oneOf[7].properties.swarm],
  ];

  it('the probe file itself is valid', () => {
    expect(problemsOf(stringify(base()), 'probe.yaml')).toEqual([]);
  });

  it.each(probes)('at %s, names exactly the keys the decoder knows', (where, at, node) => {
    const doc = base();
    at(doc).zzUnknown = 1;
    const problem = problemsOf(stringify(doc), 'probe.yaml').find((p) => p.startsWith(`probe.yaml: ${where ? `${where}.` : ''}zzUnknown: unknown key`));
    expect(problem).toBeDefined();
    const known = /known keys here are (.*)$/.exec(problem!)![1]!.split(', ').sort();
    expect(known).toEqual(Object.keys(node.properties).sort());
    expect((node as { additionalProperties?: boolean }).additionalProperties).toBe(false);
  });

  it('has the same patterns and commands', () => {
    expect(schema.properties.id.pattern).toBe(EXERCISE_ID_PATTERN.source);
    expect(defs.check.properties.id.pattern).toBe(EXERCISE_ID_PATTERN.source);
    expect(defs.nodeName.pattern).toBe(NODE_NAME_PATTERN.source);
    expect(schema.properties.images.items.pattern).toBe(IMAGE_NAME_PATTERN.source);
    expect(defs.command.pattern).toContain(`(${STEP_COMMANDS.join('|')})`);
    expect(new RegExp(defs.labPath.pattern).source).toBe(LAB_PATH_PATTERN.source);
  });
});

describe('the built-in course', () => {
  const files = readdirSync(COURSE)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const decoded = files.map((file) => ({ file, ...decodeExercise(readFileSync(path.join(COURSE, file), 'utf8'), file) }));

  it('has 10 to 12 exercises, numbered in course order', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(files.length).toBeLessThanOrEqual(12);
    for (const [i, file] of files.entries()) expect(file.slice(0, 3)).toBe(`${String(i + 1).padStart(2, '0')}-`);
  });

  it.each(files)('%s decodes, is named after its id, and every check has a hint', (file) => {
    const { exercise, problems } = decoded.find((d) => d.file === file)!;
    expect(problems.map(formatProblem)).toEqual([]);
    expect(file).toBe(`${file.slice(0, 3)}${exercise!.id}.yaml`);
    for (const check of exercise!.checks) expect([check.id, check.hints.length > 0]).toEqual([check.id, true]);
    expect(exercise!.solve.length).toBeGreaterThan(0);
    for (const image of exercise!.images) expect(Object.keys(DEFAULT_IMAGES)).toContain(image);
  });

  it('starts from a lab without a swarm, then needs one', () => {
    const swarm = decoded.map((d) => d.exercise!.lab.swarm);
    expect(swarm[0]).toBe(false);
    expect(swarm.slice(1).every(Boolean)).toBe(true);
  });

  it("holds the course notes' real mistakes among its hints", () => {
    const text = decoded.map((d) => JSON.stringify(d.exercise)).join('\n');
    for (const mistake of ['/var/run/docker/sock', '-manager compares the role', 'not the stack', 'SERVICE_PORT (', 'localhost:5000']) {
      expect([mistake, text.includes(mistake)]).toEqual([mistake, true]);
    }
  });
});

describe('the operations course (course/ops/)', () => {
  const dir = path.join(COURSE, 'ops');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const decoded = files.map((file) => ({ file, ...decodeExercise(readFileSync(path.join(dir, file), 'utf8'), file) }));

  it('has at least 10 exercises in course order, 5 or more breaking the lab on purpose, on one lab shape', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const [i, file] of files.entries()) expect(file.slice(0, 3)).toBe(`${String(i + 1).padStart(2, '0')}-`);
    expect(decoded.filter((d) => d.exercise?.breaks).length).toBeGreaterThanOrEqual(5);
    // One shape: moving between exercises never grows or shrinks the lab.
    for (const d of decoded) expect([d.file, d.exercise?.lab]).toEqual([d.file, { managers: 3, workers: 2, swarm: true }]);
  });

  it.each(files)('%s decodes, is named after its id, has a hint per check, a solve and a reset', (file) => {
    const { exercise, problems } = decoded.find((d) => d.file === file)!;
    expect(problems.map(formatProblem)).toEqual([]);
    expect(file).toBe(`${file.slice(0, 3)}${exercise!.id}.yaml`);
    for (const check of exercise!.checks) expect([check.id, check.hints.length > 0]).toEqual([check.id, true]);
    expect(exercise!.solve.length).toBeGreaterThan(0);
    expect(exercise!.reset.length).toBeGreaterThan(0);
  });

  it("shares no id with the seeds' course", () => {
    const basics = readdirSync(COURSE)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/^\d+-/, '').replace(/\.yaml$/, ''));
    for (const d of decoded) expect(basics).not.toContain(d.exercise!.id);
  });
});
