// `up` as a whole: run the actions; when a first bring-up fails, show why and remove what it made.
import { LabError } from '../errors.js';
import { readInventory } from '../lab/inventory.js';
import { removeLab } from '../lab/remove.js';
import { redactTokens } from '../swarm/secrets.js';
import { runActions } from './action.js';
import { UP_ACTIONS, type UpContext } from './up.js';

const LOG_LINES = 12;

/** The last log lines of node containers that stopped, or of the first manager if none did. */
async function failureDetails(ctx: UpContext): Promise<string[]> {
  const inventory = await readInventory(ctx.engine, ctx.topology.lab).catch(() => undefined);
  if (!inventory) return [];
  const stopped = [...inventory.nodes.values()].filter((c) => c.state !== 'running');
  const suspects = stopped.length > 0 ? stopped.slice(0, 2) : [inventory.nodes.get(ctx.topology.nodes[0]!.name)].filter((c) => c !== undefined);
  const details: string[] = [];
  for (const c of suspects) {
    const tail = redactTokens(await ctx.engine.logTail(c.id, LOG_LINES)).trimEnd();
    details.push(`--- last log lines of ${c.name} (${c.state}) ---`, ...tail.split('\n'));
  }
  return details;
}

export async function bringUp(ctx: UpContext, options: { keepOnFailure: boolean }): Promise<void> {
  try {
    await runActions(UP_ACTIONS, ctx);
  } catch (err) {
    // Waits still running beside the failed step (other nodes' daemons) stop here.
    ctx.abort.abort(err);
    const details = await failureDetails(ctx);
    const firstUp = (ctx.before?.containers.length ?? 0) === 0;
    if (firstUp && !options.keepOnFailure && ctx.before !== undefined) {
      const removed = await removeLab(ctx.engine, ctx.topology.lab, { purge: false });
      if (removed.containers + removed.networks + removed.volumes > 0) {
        details.push('removed what this up created (keep it next time with --keep-on-failure)');
      }
    }
    const message = redactTokens(err instanceof Error ? err.message : String(err));
    throw new LabError(`up of lab "${ctx.topology.lab}" failed: ${message}`, [...(err instanceof LabError ? err.details : []), ...details]);
  }
}
