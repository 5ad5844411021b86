import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface ContextArgs extends LabArgs {
  use: boolean;
  repoint: boolean;
}

export const contextCommand: CommandModule<object, ContextArgs> = {
  command: 'context',
  describe: "The lab's docker context (swarmlab-<name>), for your own docker CLI and tools: print it, --use it, --repoint it after a fail-over",
  builder: (y) =>
    withLabOptions(y)
      .option('use', { type: 'boolean', default: false, describe: "Make it the docker CLI's current context (docker context use)" })
      .option('repoint', { type: 'boolean', default: false, describe: 'Point it at a manager that answers for the swarm, when the one it points at cannot' }),
  async handler(args) {
    const [{ resolveLab }, { DockerEngine }, { requireLabApis }, access, { requireRunningLab }, { currentEndpoint }, { clientTls }, { apiHost, portOfHost }] =
      await Promise.all([
        import('../lab-options.js'),
        import('../../engine/docker-engine.js'),
        import('../lab-api-access.js'),
        import('../../lab/docker-context.js'),
        import('../../lab/running-lab.js'),
        import('../../engine/current-endpoint.js'),
        import('../../lab/api-tls.js'),
        import('../../lab/lab-api.js'),
      ]);
    const { spec, paths } = await resolveLab(args);
    const lab = spec.name;
    const name = access.contextName(lab);
    const engine = new DockerEngine();
    const { apis } = await requireLabApis(engine, lab);
    const stored = await access.readContext(lab);
    if (stored.kind === 'foreign') throw access.foreignContextError(lab);
    const running = await requireRunningLab(engine, lab);
    const answering = running.answers ? apis.find((a) => a.node === running.managerNode) : undefined;
    const pointed = stored.kind === 'ours' ? apis.find((a) => a.hostPort === portOfHost(stored.host)) : undefined;
    // A context whose manager is down stays as it is until --repoint: moving it is the user's call.
    if (stored.kind === 'ours' && !pointed && !args.repoint) {
      console.log(`Docker context ${name}: ${stored.host}, a manager that is not running now.`);
      console.log(
        answering
          ? `${answering.node} answers for the swarm: swarmlab context --name ${lab} --repoint points the context at it.`
          : `No manager answers for the swarm now: swarmlab status --name ${lab} says why.`,
      );
      return;
    }
    let target = pointed ?? apis[0];
    if (args.repoint) {
      if (!answering) {
        const { LabError } = await import('../../errors.js');
        throw new LabError(`no manager of lab "${lab}" answers for the swarm, so there is none to point ${name} at`, {
          fix: `swarmlab status --name ${lab} says why (a lost quorum is mended with swarm init --force-new-cluster on a manager)`,
        });
      }
      target = answering;
    }
    if (!target) return;
    if (stored.kind === 'none' || target !== pointed) await access.writeContext(lab, apiHost(target), currentEndpoint().host, clientTls(paths));
    if (args.use) await access.useContext(name);
    const current = (await access.currentContext()) === name;
    console.log(`Docker context ${name}: ${apiHost(target)}, ${target.node}'s Engine API${current ? ' (the current context)' : ''}.`);
    if (answering && answering.node !== target.node) {
      console.log(`${target.node} does not answer for the swarm now; swarmlab context --name ${lab} --repoint points it at ${answering.node}.`);
    } else if (!answering) {
      console.log(`No manager answers for the swarm now: swarmlab status --name ${lab} says why.`);
    }
    console.log(
      current
        ? 'Use it: docker node ls (docker context use default goes back)'
        : `Use it: docker --context ${name} node ls, or swarmlab context --name ${lab} --use`,
    );
  },
};
