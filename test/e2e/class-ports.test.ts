// Two things an instructor meets in a room: a class up whose port block another class's labs
// hold (said once, with --base-port as the fix, nothing made), and class reset of a student in
// the middle of an exercise (its setup made again in the fresh lab, or said that there was none).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { docker, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

const A = newLabDir();
const B = newLabDir();
const CLASS = ['--students', '2', '--workers', '0', '--base-port', '33000'];

/** An exercise of the student's own (students/s01/exercises/): its setup leaves a mark in the manager's own file system. */
const MARKER_EXERCISE = `apiVersion: swarmlab/v1alpha1
kind: Exercise
id: reset-marker
title: A setup that leaves a mark
lab: {managers: 1, workers: 0}
task: Nothing to do; the setup made /root/reset-marker in the manager.
setup:
  - node: manager
    sh: "echo made-by-setup > /root/reset-marker"
checks:
  - id: marked
    description: the manager has the mark
    run:
      node: manager
      sh: "test -f /root/reset-marker || echo 'FAIL: no mark'"
`;

async function containerId(name: string): Promise<string> {
  return (await docker(['inspect', '-f', '{{.Id}}', name])).stdout;
}

async function hasMarker(container: string): Promise<boolean> {
  return (await docker(['exec', container, 'test', '-f', '/root/reset-marker'])).exitCode === 0;
}

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE]);
  const up = await swarmlab(['class', 'up', '--dir', A, '--prefix', 'e2e-hga', ...CLASS]);
  expect([up.exitCode, up.stdout, up.stderr]).toEqual([0, expect.stringContaining('2 of 2 labs up.'), expect.anything()]);
}, 400_000);

afterAll(async () => {
  for (const dir of [A, B]) if (existsSync(path.join(dir, 'class.yaml'))) await swarmlab(['class', 'down', '--dir', dir]);
}, 300_000);

describe('a class up on a port block another class holds', () => {
  it("says so once, naming that class's labs and --base-port with a free block, and makes nothing", async () => {
    const result = await swarmlab(['class', 'up', '--dir', B, '--prefix', 'e2e-hgb', ...CLASS]);
    expect(result.exitCode).toBe(2);
    const errors = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^error: --base-port: 8 ports \(33010\.\.33023\) of this class's block .* taken by the labs e2e-hga-s01, e2e-hga-s02 of class e2e-hga/,
    );
    expect(errors[0]).toMatch(/fix: pick a free block, e\.g\. --base-port 33100, or take those labs down first/);
    expect(`${result.stdout}${result.stderr}`).not.toContain('registryPort');
    // Nothing made, nothing written: no lab of the second class, no class record.
    expect((await docker(['ps', '-a', '-q', '--filter', 'label=dev.swarmlab.lab=e2e-hgb-s01'])).stdout).toBe('');
    expect((await docker(['ps', '-a', '-q', '--filter', 'label=dev.swarmlab.lab=e2e-hgb-s02'])).stdout).toBe('');
    expect(existsSync(path.join(B, 'class.yaml'))).toBe(false);
  }, 60_000);

  it('a repeat class up of the class that holds the block is not refused (its own labs are its own)', async () => {
    const again = await swarmlab(['class', 'up', '--dir', A]);
    expect([again.exitCode, again.stdout]).toEqual([0, expect.stringContaining('2 of 2 labs up.')]);
  }, 300_000);
});

describe('class reset of a student', () => {
  it("sets the student's current exercise up again in the fresh lab", async () => {
    const exercises = path.join(A, 'students', 's01', 'exercises');
    mkdirSync(exercises, { recursive: true });
    writeFileSync(path.join(exercises, 'reset-marker.yaml'), MARKER_EXERCISE);
    const start = await swarmlab(['class', 'exec', '--dir', A, '--students', 's01', '--', 'exercise', 'start', 'reset-marker']);
    expect([start.exitCode, start.stdout]).toEqual([0, expect.stringContaining('Exercise reset-marker started')]);
    expect(await hasMarker('e2e-hga-s01-manager')).toBe(true);
    const before = await containerId('e2e-hga-s01-manager');

    const reset = await swarmlab(['class', 'reset', 's01', '--dir', A]);
    expect([reset.exitCode, reset.stdout]).toEqual([0, expect.stringContaining('s01 has a fresh lab; exercise reset-marker is set up again')]);
    // A new manager container (the old mark went with the old one), marked by the setup run again.
    const after = await containerId('e2e-hga-s01-manager');
    expect(after).not.toBe('');
    expect(after).not.toBe(before);
    expect(await hasMarker('e2e-hga-s01-manager')).toBe(true);
  }, 400_000);

  it('says plainly when the student had started no exercise', async () => {
    const reset = await swarmlab(['class', 'reset', 's02', '--dir', A]);
    expect([reset.exitCode, reset.stdout]).toEqual([0, expect.stringContaining('s02 has a fresh lab; no exercise was started, so none is set up.')]);
  }, 400_000);
});
