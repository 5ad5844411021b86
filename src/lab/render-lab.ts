// Renders a lab from its topology, reading the templates shipped with swarmlab: the compose
// file's text (what `render` prints and compose reads) and, from the same model, what the
// Engine API launcher creates.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RenderedLab } from '../engine/launch.js';
import { buildComposeModel, forComposeV1, type NodeSecurity, renderCompose } from '../plan/compose.js';
import { enginePlan } from '../plan/engine-plan.js';
import type { Topology } from '../plan/topology.js';
import { serverTlsDir } from './api-tls.js';
import { type LabPaths, TEMPLATES_DIR } from './paths.js';

export async function renderLab(topology: Topology, paths: LabPaths, security: NodeSecurity): Promise<RenderedLab> {
  const [templateText, entryScript] = await Promise.all([
    readFile(path.join(TEMPLATES_DIR, 'compose.yaml'), 'utf8'),
    readFile(path.join(TEMPLATES_DIR, 'node-entry.sh'), 'utf8'),
  ]);
  const input = {
    topology,
    security,
    templateText,
    entryScript,
    registryDataDir: paths.registryDataDir,
    stackDir: paths.stackDir,
    apiTlsServerDir: serverTlsDir(paths),
  };
  const model = buildComposeModel(input);
  return {
    composeText: renderCompose(input, model),
    composeTextV1: renderCompose(input, forComposeV1(model)),
    enginePlan: enginePlan(model, topology.project),
  };
}
