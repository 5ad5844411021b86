// The steps of `up` that open the lab to the host's own tools: the certificates of the
// managers' Engine API, and the docker context `swarmlab-<lab>` that reaches it.
import { access } from 'node:fs/promises';
import type { EngineEndpoint } from '../engine/endpoint.js';
import type { Engine } from '../engine/engine.js';
import { clientTls, ensureApiTls } from '../lab/api-tls.js';
import { contextName, useContext, writeContext } from '../lab/docker-context.js';
import { readInventory } from '../lab/inventory.js';
import { managerApis } from '../lab/lab-api.js';
import type { LabPaths } from '../lab/paths.js';
import { FIRST_MANAGER } from '../plan/topology.js';

type Report = (status: string) => void;

/** 'Make the Engine API certificates': the lab's CA, server and client certificates, kept for its life. */
export async function makeApiCertificates(paths: LabPaths, lab: string, report: Report): Promise<void> {
  const { made } = await ensureApiTls(paths, lab);
  report(made ? 'made (kept in the lab folder, readable by you only)' : 'kept');
}

/**
 * 'Write the docker context swarmlab-<lab>': pointing at the first manager's API, made current
 * when asked, and naming `endpoint` as the engine the lab lives on. Returns a note when the lab
 * has no API to point at (made before labs had one).
 */
export async function writeLabContext(
  engine: Engine,
  endpoint: EngineEndpoint,
  lab: string,
  paths: LabPaths,
  use: boolean,
  report: Report,
): Promise<string | undefined> {
  const port = managerApis(await readInventory(engine, lab)).find((a) => a.node === FIRST_MANAGER)?.hostPort;
  const tls = clientTls(paths);
  const haveTls = await access(tls.key).then(
    () => true,
    () => false,
  );
  if (port === undefined || !haveTls) {
    report('none: the lab has no Engine API');
    return `lab "${lab}" was made before labs had an Engine API: swarmlab down --name ${lab} and up again to get its docker context`;
  }
  await writeContext(lab, `tcp://127.0.0.1:${port}`, endpoint.host, tls);
  if (use) await useContext(contextName(lab));
  report(`${contextName(lab)}: tcp://127.0.0.1:${port}${use ? ' (now the current context)' : ''}`);
  return undefined;
}
