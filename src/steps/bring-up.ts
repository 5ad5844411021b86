// `up` as a whole: run the actions; when a first bring-up fails, show why and remove what it made.
import { LabError, type LogTail, SpecError } from '../errors.js';
import { releaseClaims } from '../lab/allocations.js';
import { readInventory } from '../lab/inventory.js';
import { lockLab } from '../lab/lock.js';
import { removeLab } from '../lab/remove.js';
import { redactTokens } from '../swarm/secrets.js';
import { runActions } from './action.js';
import { UP_ACTIONS, type UpContext } from './up.js';

const LOG_LINES = 12;

/** The last log lines of node containers that died, or of the first manager if none did. */
async function failureLogs(ctx: UpContext): Promise<LogTail[]> {
  const inventory = await readInventory(ctx.engine, ctx.topology.lab).catch(() => undefined);
  if (!inventory) return [];
  const died = [...inventory.nodes.values()].filter((c) => ['exited', 'dead', 'restarting'].includes(c.state));
  const manager = inventory.nodes.get(ctx.topology.nodes[0]!.name);
  const suspects = died.length > 0 ? died.slice(0, 2) : manager?.state === 'running' ? [manager] : [];
  const tails: LogTail[] = [];
  for (const c of suspects) {
    const tail = redactTokens(await ctx.engine.logTail(c.id, LOG_LINES)).trimEnd();
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

export async function bringUp(ctx: UpContext, options: { keepOnFailure: boolean; output?: (line: string) => void }): Promise<void> {
  const release = lockLab(ctx.topology.lab);
  const onSignal = (signal: NodeJS.Signals) => ctx.abort.abort(new Interrupted(signal));
  // `on`, not `once`: execa's exit hook re-raises a signal that finds no other listener left.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await runActions(UP_ACTIONS, ctx, { output: options.output });
  } catch (caught) {
    const err = ctx.abort.signal.reason instanceof Interrupted ? ctx.abort.signal.reason : caught;
    // Waits still running beside the failed step (other nodes' daemons) stop here.
    ctx.abort.abort(err);
    // Bad input (a taken port the user chose) is found before anything is made: say it as is.
    if (err instanceof SpecError) throw err;
    const logTail = await failureLogs(ctx);
    const details: string[] = [];
    const firstUp = (ctx.before?.containers.length ?? 0) === 0;
    if (firstUp && !options.keepOnFailure && ctx.before !== undefined) {
      const removed = await removeLab(ctx.engine, ctx.topology.lab, { purge: false });
      if (removed.containers + removed.networks + removed.volumes > 0) {
        details.push('removed what this up created (keep it next time with --keep-on-failure)');
      }
    }
    const context = `up of lab "${ctx.topology.lab}" failed`;
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
    await releaseClaims(ctx.topology.lab);
    release();
  }
}
