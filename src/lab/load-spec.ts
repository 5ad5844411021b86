// Reads a lab directory's swarmlab.yaml (when there is one) and resolves the spec with flags and env.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SpecError } from '../errors.js';
import { type ResolvedSpec, resolveSpecDetailed, type SpecFlags } from '../spec/resolve.js';
import { SPEC_FILE_NAME } from './paths.js';

export async function loadSpec(dir: string, flags: SpecFlags, env: Record<string, string | undefined> = process.env): Promise<ResolvedSpec> {
  const file = path.join(path.resolve(dir), SPEC_FILE_NAME);
  let fileText: string | undefined;
  try {
    fileText = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || (code === 'ENOENT' && !(await isDirectory(dir)))) {
      throw new SpecError([{ field: '--dir', problem: `${dir} is not a directory`, fix: 'point --dir at an existing lab directory (or create it)' }]);
    }
    // Any other reason the file cannot be read is said in one line, naming it.
    if (code === 'EISDIR')
      throw new SpecError([
        {
          field: SPEC_FILE_NAME,
          problem: `${file} is a directory, not a file`,
          fix: 'remove or rename it, and write swarmlab.yaml as a file (or none: every key has a default)',
        },
      ]);
    if (code !== 'ENOENT')
      throw new SpecError([
        { field: SPEC_FILE_NAME, problem: `${file} cannot be read (${code})`, fix: 'check its permissions, or remove it (every key has a default)' },
      ]);
  }
  return resolveSpecDetailed({ fileText, fileLabel: SPEC_FILE_NAME, flags, env });
}

function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
