// Terminal tables line up with colour on; a swarmlab.yaml that cannot be read is one line.

import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import chalk from 'chalk';
import { table } from '../../src/cli/output.js';
import { visibleWidth, withoutColour } from '../../src/colour-codes.js';
import { SpecError } from '../../src/errors.js';
import { loadSpec } from '../../src/lab/load-spec.js';

describe('tables', () => {
  it('line up when cells are coloured: colour codes take no columns', () => {
    const level = chalk.level;
    chalk.level = 1;
    try {
      const text = table(
        ['NODE', 'STATE', 'X'],
        [
          [chalk.bold('manager'), chalk.green('Ready'), 'a'],
          ['worker01', chalk.red('Down'), 'b'],
        ],
      );
      const columnOfX = text.split('\n').map((line) => withoutColour(line).search(/\b[Xab]$/));
      expect(new Set(columnOfX).size).toBe(1);
      expect(visibleWidth(chalk.green('Ready'))).toBe(5);
    } finally {
      chalk.level = level;
    }
  });
});

describe('a swarmlab.yaml that cannot be read', () => {
  it('is one line naming it and the fix, not a raw system error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'swarmlab-unit-spec-'));
    mkdirSync(path.join(dir, 'swarmlab.yaml'));
    const err = await loadSpec(dir, {}, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).message).toBe(
      `swarmlab.yaml: ${path.join(dir, 'swarmlab.yaml')} is a directory, not a file; fix: remove or rename it, and write swarmlab.yaml as a file (or none: every key has a default)`,
    );
  });
});
