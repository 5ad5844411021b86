// The STACKFILE argument of deploy: read, parsed, named. Problems are input errors (exit 2).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SpecError } from '../errors.js';
import { parseStackFile, STACK_NAME_PATTERN, type StackFile } from '../stacks/stack-file.js';

export async function readStackArgument(file: string, stackOption?: string): Promise<{ stackName: string; stack: StackFile }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SpecError([
      { field: 'STACKFILE', problem: `cannot read ${file} (${(err as NodeJS.ErrnoException).code})`, fix: 'give the path of an existing stack file' },
    ]);
  }
  const stackName = stackOption ?? path.basename(file).replace(/\.(ya?ml)$/i, '');
  if (!STACK_NAME_PATTERN.test(stackName)) {
    throw new SpecError([
      {
        field: stackOption ? '--stack' : 'STACKFILE',
        problem: `"${stackName}" is not a valid stack name`,
        fix: 'use letters, digits, dashes and underscores (pass --stack NAME)',
      },
    ]);
  }
  return { stackName, stack: parseStackFile(text, file) };
}
