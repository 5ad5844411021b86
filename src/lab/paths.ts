// Where a lab's files live. A lab is a directory: swarmlab.yaml, stack/, registry-data/, and a
// state folder .swarmlab/<name>/ holding the rendered compose file (a cache: labels are the truth).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LabPaths {
  dir: string;
  specFile: string;
  stackDir: string;
  registryDataDir: string;
  stateDir: string;
  composeFile: string;
  /** The lab's certificate authority and the certificates of its Engine API (lab/api-tls.ts). */
  apiTlsDir: string;
}

export const SPEC_FILE_NAME = 'swarmlab.yaml';

export function labPaths(dir: string, name: string): LabPaths {
  const abs = path.resolve(dir);
  const stateDir = path.join(abs, '.swarmlab', name);
  return {
    dir: abs,
    specFile: path.join(abs, SPEC_FILE_NAME),
    stackDir: path.join(abs, 'stack'),
    registryDataDir: path.join(abs, 'registry-data'),
    stateDir,
    composeFile: path.join(stateDir, 'compose.yaml'),
    apiTlsDir: path.join(stateDir, 'api-tls'),
  };
}

/** The package's own templates/ folder (next to dist/ once built, next to src/ in tests). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** The browser scripts and styles `npm run build` bundles for the class server's pages (dist/web). */
export const WEB_ASSETS_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));
