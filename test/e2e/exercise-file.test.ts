// An instructor's own exercise file, outside the package, with expect, run and http checks,
// checked with --file against a running lab as a student works through it; the lab's
// exercises/ folder; bad exercise files; hints; progress across down and up.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { CLI, docker, ECHO_IMAGE, freshLab, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

const LAB = 'e2e-exfile';
const WEB_PORT = 18310;
const dir = newLabDir();
const lab = ['--dir', dir];
const elsewhere = mkdtempSync(path.join(tmpdir(), 'swarmlab-e2e-exercise-'));
const exerciseFile = path.join(elsewhere, 'web-tier.yaml');
const image = 'registry:5000/swarmlab/echo:offline';

const EXERCISE = `apiVersion: swarmlab/v1alpha1
kind: Exercise
id: web-tier
title: Two web replicas and a front page
lab: {managers: 1, workers: 2}
task: Run web (2 replicas, on 2 nodes), front (the manager's port 80), and leave /tmp/marker on the manager.
checks:
  - id: web
    expect: {service: web, replicas: 2, minNodes: 2, image: "*swarmlab/echo*"}
    fail: "web: {{running}}/{{desired}} running on {{nodes}} nodes"
    hint: ["swarmlab docker service create --name web --replicas 2 ${image}", "check the image name: swarmlab ps web"]
  - id: marker
    run: {node: manager, sh: "test -f /tmp/marker || echo 'FAIL: /tmp/marker is missing on the manager'"}
    hint: "swarmlab docker --node manager ... or docker exec"
  - id: front
    http: {managerPort: 80, path: /cgi-bin/hostname, contains: "echo from"}
    hint: "publish front on the manager's port 80 in host mode"
`;

const check = (...extra: string[]) => swarmlab(['exercise', 'check', '--file', exerciseFile, ...extra, ...lab]);

interface CheckJson {
  exercise: string;
  passed: boolean;
  checks: { id: string; passed: boolean; message: string; hint: string | null }[];
}

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE, ECHO_IMAGE]);
  writeFileSync(exerciseFile, EXERCISE);
  await freshLab(dir, `name: ${LAB}\nworkers: 2\nregistryPort: 5531\nports: ["${WEB_PORT}:80"]\n`);
  expect((await swarmlab(['push', ECHO_IMAGE, ...lab])).exitCode).toBe(0);
}, 180_000);

afterAll(async () => {
  await swarmlab(['down', ...lab]);
}, 60_000);

describe('exercise check --file', () => {
  it('fails every check at first, with the values seen and the first hint of each', async () => {
    const result = await check();
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      '✘ web: service web does not exist (services: none)',
      `    hint 1 of 2: swarmlab docker service create --name web --replicas 2 ${image} (next: swarmlab exercise hint)`,
      '✘ marker: /tmp/marker is missing on the manager',
      '    hint: swarmlab docker --node manager ... or docker exec',
      `✘ front: GET http://127.0.0.1:${WEB_PORT}/cgi-bin/hostname (the manager's port 80) got no answer: connection reset`,
      "    hint: publish front on the manager's port 80 in host mode",
      'web-tier: 0 of 3 checks pass.',
    ]);
  }, 60_000);

  it('--watch checks again until stopped: Ctrl-C exits 130, and an unchanged report is printed once', async () => {
    const child = execa('node', [CLI, 'exercise', 'check', '--file', exerciseFile, '--watch', ...lab], { reject: false, env: { NO_COLOR: '1' } });
    await new Promise((r) => setTimeout(r, 5000));
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stdout.match(/web-tier: 0 of 3 checks pass\./g)).toHaveLength(1);
  }, 30_000);

  it("names a failed task's error in the check of its service, and gives the next hint", async () => {
    const wrong = await swarmlab(['docker', ...lab, 'service', 'create', '-d', '--name', 'web', '--replicas', '2', 'registry:5000/swarmlab/no-such:1']);
    expect(wrong.exitCode).toBe(0);
    let json: CheckJson | undefined;
    for (let i = 0; i < 40; i++) {
      json = JSON.parse((await check('--json')).stdout) as CheckJson;
      if (json.checks[0]!.message.includes('No such image')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    // Both replicas fail the same way: said once, naming the tasks and their nodes.
    expect(json!.checks[0]!.message).toMatch(
      /^web: 0\/2 running on 0 nodes \(want 2 running, on at least 2 nodes\); tasks? web\.\d on (manager|worker0\d)(, web\.\d on (manager|worker0\d))?: rejected: No such image: registry:5000\/swarmlab\/no-such:1$/,
    );
    // `check` showed each failing check's first hint; `hint` goes on with the next one.
    const hint = await swarmlab(['exercise', 'hint', '--file', exerciseFile, ...lab]);
    expect(hint.stdout).toMatch(
      /^web: web: 0\/2 running on 0 nodes \(want 2 running, on at least 2 nodes\); tasks? web\.\d .*No such image.*\n\(already shown: hint 1\)\nhint 2 of 2: check the image name: swarmlab ps web\nThat was the last hint/,
    );
  }, 60_000);

  it("passes once the student's commands are done, and --json says so", async () => {
    expect((await swarmlab(['docker', ...lab, 'service', 'update', '-d', '--image', image, 'web'])).exitCode).toBe(0);
    expect((await docker(['exec', `${LAB}-manager`, 'touch', '/tmp/marker'])).exitCode).toBe(0);
    const front = ['service', 'create', '--name', 'front', '--publish', 'mode=host,published=80,target=8080', '--constraint', 'node.role==manager', image];
    expect((await swarmlab(['docker', ...lab, ...front])).exitCode).toBe(0);
    let result = await check('--json');
    for (let i = 0; i < 40 && result.exitCode !== 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      result = await check('--json');
    }
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      exercise: 'web-tier',
      passed: true,
      checks: ['web', 'marker', 'front'].map((id) => ({ id, passed: true, message: '', hint: null })),
    });
    expect((await check()).stdout).toBe('✔ web\n✔ marker\n✔ front\nweb-tier: all 3 checks pass.');
  }, 90_000);
});

describe("the lab's own exercises", () => {
  it('lists exercises/*.yaml after the course; hint stays at the last one', async () => {
    mkdirSync(path.join(dir, 'exercises'), { recursive: true });
    writeFileSync(path.join(dir, 'exercises', 'web-tier.yaml'), EXERCISE.replace('minNodes: 2', 'minNodes: 3'));
    const list = JSON.parse((await swarmlab(['exercise', 'list', '--json', ...lab])).stdout) as {
      exercises: { id: string; origin: string; order: number | null }[];
    };
    expect(list.exercises[0]).toMatchObject({ id: 'swarm-init', origin: 'course', order: 1 });
    expect(list.exercises.at(-1)).toMatchObject({ id: 'web-tier', origin: 'lab', order: null });
    const first = await swarmlab(['exercise', 'hint', 'web-tier', ...lab]);
    expect(first.stdout).toBe(
      `web: web: 2/2 running on 2 nodes (want on at least 3 nodes)\n(already shown: hint 1)\nhint 2 of 2: check the image name: swarmlab ps web\nThat was the last hint. The reference solution: swarmlab exercise solve web-tier`,
    );
  }, 60_000);
});

describe('bad exercise files', () => {
  it('get one line per problem naming the field, exit 2, and nothing runs', async () => {
    const bad = path.join(elsewhere, 'bad.yaml');
    writeFileSync(
      bad,
      EXERCISE.replace('replicas: 2,', 'replicas: two,')
        .replace('node: manager, sh', 'node: boss, sh')
        .replace('managerPort: 80', 'managerPort: 80, verb: POST'),
    );
    const result = await swarmlab(['exercise', 'check', '--file', bad, ...lab]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/^error: bad\.yaml: checks\[0\]\.expect\.replicas: must be a whole number from 0 to 1000 \(got "two"\); fix: /),
      expect.stringMatching(/^error: bad\.yaml: checks\[1\]\.run\.node: "boss" is not valid; fix: name a node of the lab/),
      expect.stringMatching(/^error: bad\.yaml: checks\[2\]\.http\.verb: unknown key; fix: remove it/),
    ]);
    const missing = await swarmlab(['exercise', 'check', '--file', path.join(elsewhere, 'nope.yaml'), ...lab]);
    expect(missing).toMatchObject({ exitCode: 2, stderr: expect.stringMatching(/^error: .*nope\.yaml: no such file; fix: /) });
    const unknown = await swarmlab(['exercise', 'show', 'no-such-exercise', ...lab]);
    expect(unknown).toMatchObject({ exitCode: 2, stderr: expect.stringMatching(/^error: ID: no exercise "no-such-exercise"; fix: use one of swarm-init, /) });
  }, 30_000);
});

describe('progress', () => {
  it('survives down and up', async () => {
    const read = async () =>
      JSON.parse((await swarmlab(['exercise', 'progress', '--json', ...lab])).stdout) as { exercises: Record<string, { passedAt?: string; attempts: number }> };
    const before = await read();
    expect(before.exercises['web-tier']).toMatchObject({ passedAt: expect.any(String) });
    expect(before.exercises['web-tier']!.attempts).toBeGreaterThanOrEqual(3);
    expect((await swarmlab(['down', ...lab])).exitCode).toBe(0);
    expect((await swarmlab(['up', ...lab])).exitCode).toBe(0);
    expect(await read()).toEqual(before);
  }, 120_000);
});
