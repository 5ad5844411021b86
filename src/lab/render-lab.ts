// Renders a lab's compose file from its spec, reading the templates shipped with swarmlab.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type NodeSecurity, renderCompose } from '../plan/compose.js';
import type { Topology } from '../plan/topology.js';
import { type LabPaths, TEMPLATES_DIR } from './paths.js';

export async function renderLab(topology: Topology, paths: LabPaths, security: NodeSecurity): Promise<string> {
  const [templateText, entryScript] = await Promise.all([
    readFile(path.join(TEMPLATES_DIR, 'compose.yaml'), 'utf8'),
    readFile(path.join(TEMPLATES_DIR, 'node-entry.sh'), 'utf8'),
  ]);
  return renderCompose({
    topology,
    security,
    templateText,
    entryScript,
    registryDataDir: paths.registryDataDir,
    stackDir: paths.stackDir,
  });
}
