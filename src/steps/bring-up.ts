// `up` as a whole: check the engine, plan the lab once, see whether it is there and healthy,
// then make what is missing; when a first bring-up fails, show why and remove what it made.
import { LabError, type LogTail, SpecError } from '../errors.js';
import { releaseClaims } from '../lab/allocations.js';
import { removeApiTls } from '../lab/api-tls.js';
import { contextName, contextsApply } from '../lab/docker-context.js';
import { readInventory } from '../lab/inventory.js';
import { lockLab } from '../lab/lock.js';
import { removeLab } from '../lab/remove.js';
import type { UpPlan } from '../lab/up-plan.js';
import { FIRST_MANAGER } from '../plan/topology.js';
import { redactTokens } from '../swarm/secrets.js';
import { type RunOptions, runActions, runStep } from './action.js';
import { makeApiCertificates, writeLabContext } from './lab-context.js';
import { checkEngine, checkExisting, planLab } from './preflight.js';
import { buildActions, chooseSecurity, ensureImages, findMirror, joinMirror, writeComposeFile } from './up.js';
import type { UpRequest, UpResult } from './up-context.js';

const LOG_LINES = 12;

/** The last log lines of node containers that died, or of the first manager if none did. */
async function failureLogs(request: UpRequest): Promise<LogTail[]> {
  const { engine, spec } = request;
  const inventory = await readInventory(engine, spec.name).catch(() => undefined);
  if (!inventory) return [];
  const died = [...inventory.nodes.values()].filter((c) => ['exited', 'dead', 'restarting'].includes(c.state));
  const manager = inventory.nodes.get(FIRST_MANAGER);
  const suspects = died.length > 0 ? died.slice(0, 2) : manager?.state === 'running' ? [manager] : [];
  const tails: LogTail[] = [];
  for (const c of suspects) {
    const tail = redactTokens(await engine.logTail(c.id, LOG_LINES)).trimEnd();
    tails.push({ container: c.name, state: c.state, lines: tail.split('\n') });
  }
  return tails;
}

/** Ctrl-C or SIGTERM during up: the reason the bring-up was aborted. */
export class Interrupted extends Error {
  constructor(readonly signal: string) {
    super(`interrupted by ${signal}`);
  }
}

/** The steps, in order; `planned` hears of the plan as soon as there is one (a failure after it may roll back). */
async function runUp(request: UpRequest, planned: (plan: UpPlan) => void, output: RunOptions): Promise<UpResult> {
  const { engine, endpoint, spec, choices } = request;
  const info = await runStep('Check the Docker engine', (report) => checkEngine(engine, report), output);
  const plan = await runStep("Plan the lab's names, host ports and subnet", (report) => planLab(engine, endpoint, info, spec, choices, report), output);
  planned(plan);
  const existing = await runStep('Look for an existing lab', (report) => checkExisting(engine, plan, request.noSwarm, report), output);
  const mirror = plan.spec.mirror ? await runStep("Find the engine's pull-through mirror", (report) => findMirror(engine, report), output) : undefined;
  const context = async (): Promise<string[]> => {
    if (!contextsApply(endpoint)) return [];
    const title = `Write the docker context ${contextName(spec.name)}`;
    const note = await runStep(title, (report) => writeLabContext(engine, endpoint, spec.name, request.paths, request.useContext, report), output);
    return note ? [note] : [];
  };
  if (existing.healthy) {
    // A mirror re-made since the lab came up is joined to its network again.
    if (mirror) await runStep("Join the mirror to the lab's network", (report) => joinMirror(engine, mirror, plan.topology, report), output);
    return { plan, nodes: existing.nodes, repairs: [], notes: await context() };
  }
  await runStep('Make sure the node and registry images are present', (report) => ensureImages(engine, plan.topology, report), output);
  const security = await runStep(
    'Choose how nodes run (privileged or capabilities)',
    (report) => chooseSecurity(engine, info, plan, choices.mode, choices.nameOf, report),
    output,
  );
  await runStep('Make the Engine API certificates', (report) => makeApiCertificates(request.paths, spec.name, report), output);
  const rendered = await runStep('Render the compose file', (report) => writeComposeFile(plan.topology, request.paths, security, report), output);
  const ctx = { request, plan, engineInfo: info, rendered, mirror, nodes: [], repairs: [...plan.containerChanges] };
  await runActions(buildActions(mirror !== undefined), ctx, output);
  return { plan, nodes: ctx.nodes, repairs: ctx.repairs, notes: await context() };
}

export async function bringUp(request: UpRequest, options: { keepOnFailure: boolean; output?: (line: string) => void }): Promise<UpResult> {
  const lab = request.spec.name;
  const release = lockLab(lab, request.endpoint);
  const { abort } = request;
  const onSignal = (signal: NodeJS.Signals) => abort.abort(new Interrupted(signal));
  // `on`, not `once`: execa's exit hook re-raises a signal that finds no other listener left.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let plan: UpPlan | undefined;
  try {
    return await runUp(request, (p) => (plan = p), { output: options.output });
  } catch (caught) {
    const err = abort.signal.reason instanceof Interrupted ? abort.signal.reason : caught;
    // Waits still running beside the failed step (other nodes' daemons) stop here.
    abort.abort(err);
    // Bad input (a taken port the user chose) is found before anything is made: say it as is.
    if (err instanceof SpecError) throw err;
    const logTail = await failureLogs(request);
    const details: string[] = [];
    // Only what this up made is removed: a lab that had containers before keeps them.
    const firstUp = plan !== undefined && plan.before.containers.length === 0;
    if (firstUp && !options.keepOnFailure) {
      await removeApiTls(request.paths);
      const removed = await removeLab(request.engine, lab, { purge: false });
      if (removed.containers + removed.networks + removed.volumes > 0) {
        details.push('removed what this up created (keep it next time with --keep-on-failure)');
      }
    }
    const context = `up of lab "${lab}" failed`;
    const failure =
      err instanceof LabError
        ? err.within(context, { logTail, details })
        : new LabError(`${context}: ${redactTokens(err instanceof Error ? err.message : String(err))}`, { logTail, details });
    if (err instanceof Interrupted) failure.exitCode = 130;
    throw failure;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // The network and containers exist now, or never will: others may see them on the engine.
    await releaseClaims(lab);
    release();
  }
}
