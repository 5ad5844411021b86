// `swarmlab chaos <drill>`: failure drills on the lab's own containers (src/lab/chaos.ts).
import type { Argv, CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface ChaosArgs extends LabArgs {
  node?: string;
  delay?: number;
  'tc-image'?: string;
}

type Drill = 'kill-leader' | 'stop' | 'pause' | 'partition' | 'slow' | 'lose-quorum' | 'heal';

async function runDrill(drill: Drill, args: ChaosArgs): Promise<void> {
  const [{ openLabRunning }, chaos] = await Promise.all([import('../open-lab.js'), import('../../lab/chaos.js')]);
  // Drills work without a quorum too (heal above all): the swarm is asked only where a drill needs it.
  const { engine, lab, running } = await openLabRunning(args, { swarm: false });
  const node = args.node!;
  const report =
    drill === 'kill-leader'
      ? await chaos.killLeader(engine, running, lab)
      : drill === 'stop'
        ? await chaos.stopNode(engine, running, lab, node)
        : drill === 'pause'
          ? await chaos.pauseNode(engine, running, lab, node)
          : drill === 'partition'
            ? await chaos.partitionNode(engine, running, lab, node)
            : drill === 'slow'
              ? await chaos.slowLink(engine, running, lab, node, args.delay ?? 200, args['tc-image'])
              : drill === 'lose-quorum'
                ? await chaos.loseQuorum(engine, running, lab)
                : await chaos.heal(engine, running, lab, args.node);
  console.log(`chaos ${drill}: ${report.did}.`);
  console.log(`Watch: ${report.watch}.`);
  if (drill !== 'heal') console.log(`Undo: swarmlab chaos heal${args.node ? ` ${args.node}` : ''}`);
}

function drillCommand(
  drill: Drill,
  describe: string,
  node: 'required' | 'optional' | 'none',
  extra?: (y: Argv<ChaosArgs>) => Argv<ChaosArgs>,
): CommandModule<object, ChaosArgs> {
  const shape = node === 'required' ? `${drill} <node>` : node === 'optional' ? `${drill} [node]` : drill;
  return {
    command: shape,
    describe,
    builder: (y) => {
      const withNode = withLabOptions(y).positional('node', { type: 'string', describe: 'A node of the lab: manager, worker01, ...' }) as Argv<ChaosArgs>;
      return extra ? extra(withNode) : withNode;
    },
    handler: (args) => runDrill(drill, args),
  };
}

export const chaosCommand: CommandModule = {
  command: 'chaos <drill>',
  describe: "Failure drills on the lab's own containers: kill-leader, stop, pause, partition, slow, lose-quorum, heal",
  builder: (y) =>
    y
      .command(drillCommand('kill-leader', 'Kill the container of the current leader', 'none'))
      .command(drillCommand('stop', 'Stop a node (its dockerd shuts down cleanly)', 'required'))
      .command(drillCommand('pause', 'Freeze a node, as a hung machine', 'required'))
      .command(drillCommand('partition', 'Cut a node off from the lab network, both ways (iptables inside the node)', 'required'))
      .command(
        drillCommand('slow', "Delay a node's packets (needs the kernel's netem)", 'required', (y) =>
          y.option('delay', { type: 'number', default: 200, describe: 'Milliseconds' }).option('tc-image', {
            type: 'string',
            describe: "An image with tc, run in the node's network namespace when the node image has none (docker:dind's busybox)",
          }),
        ),
      )
      .command(drillCommand('lose-quorum', 'Stop a majority of the managers', 'none'))
      .command(drillCommand('heal', 'Undo every drill (or those on one node): start, thaw, reconnect', 'optional'))
      .demandCommand(1, 'name a drill'),
  handler: () => undefined,
};
