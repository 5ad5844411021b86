// `swarmlab node add|rm|promote|demote|backup|restore`: change a running lab's nodes.
import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';
import { backupCommand, restoreCommand } from './node-backup.js';

interface AddArgs extends LabArgs {
  workers?: number;
  managers?: number;
  timeout: number;
}

interface RoleArgs extends LabArgs {
  node: string;
}

interface NodeArgs extends RoleArgs {
  timeout: number;
}

/** Raft wants an odd count: an even one is said, not refused (a class may want to see why). */
function evenWarning(managers: number): string | undefined {
  return managers > 1 && managers % 2 === 0
    ? `warning: ${managers} managers: an even count buys nothing, the swarm still loses its quorum with ${managers / 2} down (as with ${managers - 1}); add or demote one`
    : undefined;
}

const addCommand: CommandModule<object, AddArgs> = {
  command: 'add',
  describe: "Add workers or managers to the running lab: new containers on the lab's network with the next fixed addresses, joined, Ready",
  builder: (y) =>
    withLabOptions(y)
      .option('workers', { type: 'number', describe: 'How many workers to add' })
      .option('managers', { type: 'number', describe: 'How many managers to add' })
      .option('timeout', { type: 'number', default: 90, describe: 'Seconds to wait for each daemon, and for every node to be Ready' }),
  async handler(args) {
    const [{ resolveLab }, { DockerEngine }, { currentEndpoint }, { readInventory }, { shapeOf }, { upLab }, { SpecError, LabError }, { MAX_WORKERS }] =
      await Promise.all([
        import('../lab-options.js'),
        import('../../engine/docker-engine.js'),
        import('../../engine/current-endpoint.js'),
        import('../../lab/inventory.js'),
        import('../../plan/existing-shape.js'),
        import('../up-lab.js'),
        import('../../errors.js'),
        import('../../spec/validate.js'),
      ]);
    const counts = { workers: args.workers ?? 0, managers: args.managers ?? 0 };
    const bad = (['workers', 'managers'] as const).filter((k) => !Number.isInteger(counts[k]) || counts[k] < 0);
    if (bad.length > 0 || counts.workers + counts.managers === 0) {
      throw new SpecError([
        {
          field: bad.length > 0 ? `--${bad[0]}` : '--workers',
          problem: bad.length > 0 ? 'must be a whole number of nodes to add' : 'nothing to add',
          fix: 'e.g. swarmlab node add --workers 2',
        },
      ]);
    }
    const resolved = await resolveLab(args);
    const lab = resolved.spec.name;
    // The engine the lab is on, read once and passed to the up that grows it.
    const engine = { client: new DockerEngine(), endpoint: currentEndpoint() };
    const inventory = await readInventory(engine.client, lab);
    if (inventory.nodes.size === 0) throw new LabError(`lab "${lab}" does not exist`, { fix: `swarmlab up --name ${lab}` });
    const shape = shapeOf([...inventory.nodes.keys()]);
    const managers = shape.managers + counts.managers;
    const workers = shape.workers + counts.workers;
    if (managers > 7 || workers > MAX_WORKERS) {
      throw new SpecError([
        {
          field: managers > 7 ? '--managers' : '--workers',
          problem: `the lab would have ${managers > 7 ? `${managers} managers (at most 7)` : `${workers} workers (at most ${MAX_WORKERS})`}`,
          fix: 'add fewer',
        },
      ]);
    }
    const warning = evenWarning(managers);
    if (warning) process.stderr.write(`${warning}\n`);
    // Flags for `up`: the lab grows to these counts (an even manager count passes, said above).
    const flagged = new Set(['managers', 'workers'] as const);
    await upLab(
      {
        ...resolved,
        spec: { ...resolved.spec, managers, workers },
        chosen: new Set([...resolved.chosen, ...flagged]),
        nameOf: (f) => (flagged.has(f as 'managers') ? `--${f}` : resolved.nameOf(f)),
      },
      { timeoutSeconds: args.timeout, keepOnFailure: true, noSwarm: false, engine },
    );
  },
};

const rmCommand: CommandModule<object, NodeArgs> = {
  command: 'rm <node>',
  describe: 'Remove the last worker (or manager) the safe way: drain it, wait for its tasks to move, demote, leave, drop its swarm entry, remove its container',
  builder: (y) =>
    withLabOptions(y)
      .positional('node', { type: 'string', demandOption: true, describe: 'e.g. worker04' })
      .option('timeout', { type: 'number', default: 120, describe: "Seconds to wait for the node's tasks to move" }),
  async handler(args) {
    const [{ openLabRunning }, { removeNode }, { readStatus }, { formatStatus }] = await Promise.all([
      import('../open-lab.js'),
      import('../../lab/node-changes.js'),
      import('../../lab/status.js'),
      import('../print-lab.js'),
    ]);
    const { engine, lab, running } = await openLabRunning(args, { swarm: false });
    await removeNode(engine, running, lab, args.node, (line) => console.log(line), args.timeout * 1000);
    console.log(formatStatus(await readStatus(engine, lab)));
  },
};

function roleCommand(to: 'promote' | 'demote'): CommandModule<object, RoleArgs> {
  return {
    command: `${to} <node>`,
    describe: to === 'promote' ? 'Make a worker a manager' : 'Make a manager a worker',
    builder: (y) => withLabOptions(y).positional('node', { type: 'string', demandOption: true, describe: 'e.g. worker01' }),
    async handler(args) {
      const [{ openLabRunning }, { changeRole }] = await Promise.all([import('../open-lab.js'), import('../../lab/node-changes.js')]);
      const { engine, lab, running } = await openLabRunning(args, { swarm: true });
      const managers = await changeRole(engine, running, lab, args.node, to);
      console.log(
        `${args.node} ${to === 'promote' ? 'promoted to a manager' : 'demoted to a worker'}: the swarm has ${managers} manager${managers === 1 ? '' : 's'}.`,
      );
      const warning = evenWarning(managers);
      if (warning) process.stderr.write(`${warning}\n`);
    },
  };
}

export const nodeCommand: CommandModule = {
  command: 'node <command>',
  describe: "Change the nodes of a running lab: add, rm, promote, demote; back up and restore a node's swarm directory",
  builder: (y) =>
    y
      .command(addCommand)
      .command(rmCommand)
      .command(roleCommand('promote'))
      .command(roleCommand('demote'))
      .command(backupCommand)
      .command(restoreCommand)
      .demandCommand(1, 'name a node command'),
  handler: () => undefined,
};
