// `swarmlab docker [--node NODE] ARGS...`: docker inside a node, with stdin, stdout, stderr, a
// TTY when there is one, and the exit code passed through. Its own options come before the
// docker arguments, so `swarmlab docker service create --name echo ...` keeps --name for docker.
import type { CommandModule } from 'yargs';
import { SpecError } from '../../errors.js';
import { commandAsValue, OWN_OPTIONS, type OwnOption, ownOptionAfterCommand, splitOption } from '../docker-arguments.js';

export interface DockerInvocation {
  dir: string;
  name?: string;
  node?: string;
  args: string[];
}

export function parseDockerInvocation(argv: string[]): DockerInvocation {
  const out: DockerInvocation = { dir: '.', args: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    const [flag, inline] = splitOption(arg);
    if (!(OWN_OPTIONS as readonly string[]).includes(flag)) break;
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') {
      throw new SpecError([{ field: flag, problem: 'needs a value', fix: `write ${flag} VALUE before the docker arguments` }]);
    }
    const misread = commandAsValue(flag as OwnOption, value, argv.slice(i + 1));
    if (misread) throw new SpecError([misread]);
    if (flag === '--dir') out.dir = value;
    else if (flag === '--name') out.name = value;
    else out.node = value;
  }
  out.args = argv.slice(i);
  if (out.args.length === 0) {
    throw new SpecError([{ field: 'ARGS', problem: 'no docker command given', fix: 'e.g. swarmlab docker node ls' }]);
  }
  const misplaced = ownOptionAfterCommand(out.args);
  if (misplaced) throw new SpecError([misplaced]);
  return out;
}

/** Runs the command; resolves to the inner command's exit code. */
export async function runDocker(argv: string[]): Promise<number> {
  const invocation = parseDockerInvocation(argv);
  const [{ openLabRunning }, { nodeContainer }, { execInteractive }] = await Promise.all([
    import('../open-lab.js'),
    import('../../lab/running-lab.js'),
    import('../../engine/interactive-exec.js'),
  ]);
  // docker speaks for itself: `swarm init` on a lab without a swarm, `node ls` without a quorum.
  const { lab, running, engine } = await openLabRunning({ dir: invocation.dir, name: invocation.name }, { swarm: false });
  const container = invocation.node ? nodeContainer(running, invocation.node, lab) : running.manager;
  const [{ resolvesAnImage, serviceArgumentsFor }, { ingressPublishes, noIngressNote }, { hasIngressNetwork }] = await Promise.all([
    import('../../stacks/resolve-image.js'),
    import('../../swarm/ingress.js'),
    import('../../lab/kernel.js'),
  ]);
  // docker's own refusal ("service needs ingress network") says nothing of why, nor of the fix.
  const publishes = ingressPublishes(invocation.args);
  if (publishes.length > 0 && !(await hasIngressNetwork(engine, running))) process.stderr.write(`${noIngressNote(publishes)}\n`);
  // The engine is asked its CPU only for a command whose image the swarm would resolve.
  if (!resolvesAnImage(invocation.args)) return execInteractive(container, ['docker', ...invocation.args]);
  const service = serviceArgumentsFor(invocation.args, (await engine.info()).architecture);
  if (service.note) process.stderr.write(`${service.note}\n`);
  return execInteractive(container, ['docker', ...service.args]);
}

/** Listed for --help only: main.ts hands `docker` invocations to runDocker before yargs parses. */
export const dockerCommand: CommandModule = {
  command: 'docker [--node NODE] <args..>',
  describe: 'Run docker ARGS inside the manager (or --node NODE), as `docker exec -it manager docker ...`',
  handler: () => undefined,
};
