import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, for tests that read fixtures, templates or the built CLI. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
