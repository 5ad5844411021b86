import type { CommandModule } from 'yargs';
import type { ResolveImage } from '../../stacks/resolve-image.js';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface DeployArgs extends LabArgs {
  stackfile: string;
  stack?: string;
  timeout: number;
}

export const deployCommand: CommandModule<object, DeployArgs> = {
  command: 'deploy <stackfile>',
  describe: 'Deploy a stack file inside the lab and wait until every service has all its replicas',
  builder: (y) =>
    withLabOptions(y)
      .positional('stackfile', { type: 'string', demandOption: true, describe: 'A compose (v3) stack file, anywhere on disk' })
      .option('stack', { type: 'string', describe: "Stack name (default: the file's base name)" })
      .option('timeout', { type: 'number', default: 120, describe: 'Seconds to wait for the services to converge' }),
  async handler(args) {
    const [{ openLabRunning }, { readStackArgument }, deploy, { runActions }] = await Promise.all([
      import('../open-lab.js'),
      import('../stack-argument.js'),
      import('../../stacks/deploy.js'),
      import('../../steps/action.js'),
    ]);
    const { stackName, stack } = await readStackArgument(args.stackfile, args.stack);
    const { spec, engine, running: lab } = await openLabRunning(args, { swarm: true });
    const notes: string[] = [];
    let ipvsWarning: string | undefined;
    let resolveImage: ResolveImage | undefined;
    try {
      await runActions(
        [
          {
            title: `Prepare ${stackName}: image names, networks, copy into the manager`,
            async run(_c: object, report: (s: string) => void) {
              const prepared = await deploy.prepareStack(engine, lab, stackName, stack);
              for (const r of prepared.rewrites) notes.push(`rewrote ${r.service}'s image ${r.from} -> ${r.to}`);
              for (const n of prepared.createdNetworks) notes.push(`created overlay network ${n} (attachable)`);
              if (prepared.resolveImage.note) notes.push(prepared.resolveImage.note);
              ipvsWarning = prepared.ipvsWarning;
              resolveImage = prepared.resolveImage;
              report(notes.join('; ') || 'nothing to change');
            },
          },
          { title: `docker stack deploy ${stackName}`, run: () => deploy.runStackDeploy(engine, lab, stackName, resolveImage) },
          {
            title: 'Wait until every service has all its replicas',
            async run(_c: object, report: (s: string) => void) {
              const services = await deploy.waitForConvergence(engine, lab, stackName, args.timeout * 1000, report);
              notes.push(...services.map((s) => `${s.name}: ${s.running}/${s.desired} running`));
            },
          },
        ],
        {},
      );
    } finally {
      // Once, whether or not the stack converged: it is often the reason it did not.
      if (ipvsWarning) process.stderr.write(`warning: ${ipvsWarning}\n`);
    }
    for (const note of notes) console.log(note);
    console.log(`Stack "${stackName}" is deployed in lab "${spec.name}". Tasks by node: swarmlab ps ${stackName}`);
  },
};
