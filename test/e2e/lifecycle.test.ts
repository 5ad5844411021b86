// The core lifecycle with the Engine API launcher (the default), and bad input that creates nothing.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { labelledObjects, newLabDir, swarmlab } from './harness.js';
import { lifecycleSuite } from './lifecycle-suite.js';

lifecycleSuite({ lab: 'e2e-life', registryPort: 5510, webPorts: [18000, 19000], launcher: 'api', launcherLabel: /with the Engine API/ });

describe('bad input', () => {
  it.each([
    ['an even manager count', 'managers: 2\n', [], /^error: swarmlab\.yaml: managers: must be 1, 3, 5 or 7 \(got 2\); fix: /],
    ['an unknown key', 'workerz: 3\n', [], /^error: swarmlab\.yaml: workerz: unknown key; fix: /],
    ['a worker count out of range', '', ['--workers', '51'], /^error: --workers: must be a whole number from 0 to 50 \(got 51\); fix: /],
    ['a port used twice', 'registryPort: 18080\nports: ["18080:80"]\n', [], /^error: swarmlab\.yaml: ports: host port 18080 is used twice/],
    ['a name with illegal characters', '', ['--name', 'Bad_Name'], /^error: --name: "Bad_Name" is not a valid lab name; fix: /],
  ])(
    '%s: one line naming the field and the fix, exit 2, nothing created',
    async (_what, file, flags, expected) => {
      const badDir = newLabDir();
      writeFileSync(path.join(badDir, 'swarmlab.yaml'), `name: e2e-bad\n${file}`);
      const result = await swarmlab(['up', '--dir', badDir, ...flags]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(expected);
      expect(await labelledObjects('e2e-bad')).toEqual({ containers: [], networks: [], volumes: [] });
      expect(existsSync(path.join(badDir, '.swarmlab'))).toBe(false);
    },
    30_000,
  );
});
