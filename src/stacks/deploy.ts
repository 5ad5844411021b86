// Deploying a stack inside the lab's first manager, and waiting until it has converged.
import type { Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { hasIngressNetwork, hasIpvs } from '../lab/kernel.js';
import { execInManager, type RunningLab } from '../lab/running-lab.js';
import { readRefusal } from '../swarm/answering-manager.js';
import { NodeCommandError } from '../swarm/exec-in-node.js';
import { HOST_MODE_FIX, NO_INGRESS_WHY } from '../swarm/ingress.js';
import { listTasks, type SwarmTask, servicesOfStack } from '../swarm/tasks.js';
import { type Clock, pollUntil, realClock, WaitTimeout } from '../wait/poll.js';
import { type ResolveImage, resolveImageFor, stackImages } from './resolve-image.js';
import { externalNetworks, ingressPorts, ipvsDependents, type Rewrite, renderStackFile, rewriteImages, type StackFile } from './stack-file.js';

/** Where stack files are copied inside the manager (beside, not inside, the /stack bind mount). */
export const STACKS_DIR_IN_MANAGER = '/var/lib/swarmlab/stacks';

export interface Prepared {
  rewrites: Rewrite[];
  createdNetworks: string[];
  /** Set when the nodes' kernel has no IPVS and the stack relies on it. */
  ipvsWarning?: string;
  /** How `docker stack deploy` treats the images: unresolved when one has no build for the nodes' CPU. */
  resolveImage: ResolveImage;
}

/**
 * The CPU the swarm places tasks by: the manager's dockerd's, not the host engine's (a node
 * image of another architecture would run emulated and report its own).
 */
async function nodeArchitecture(engine: Engine, lab: RunningLab): Promise<string> {
  return (await execInManager(engine, lab, ['docker', 'info', '--format', '{{.Architecture}}'], 'docker info')).trim();
}

/** Rewrites image names, creates missing external networks, copies the file into the manager. */
export async function prepareStack(engine: Engine, lab: RunningLab, stackName: string, file: StackFile): Promise<Prepared> {
  const ingress = ingressPorts(file);
  const [first] = ingress;
  if (first && !(await hasIngressNetwork(engine, lab))) {
    const ports = ingress.map((p) => `${p.service}: ${p.port}`).join(', ');
    throw new LabError(`stack ${stackName} publishes ports in ingress mode (${ports}), and ${NO_INGRESS_WHY}`, {
      fix: `${HOST_MODE_FIX}; or keep an ingress network, routing nothing here, in a lab brought up with nodeCuts: [gc]`,
    });
  }
  const { stack, rewrites } = rewriteImages(file, lab.registryHostPort);
  const createdNetworks: string[] = [];
  for (const network of externalNetworks(stack)) {
    const exists = await engine.exec(lab.manager, ['docker', 'network', 'inspect', network]);
    if (exists.exitCode === 0) continue;
    // As the seeds do by hand for ch03: overlay, attachable so plain containers can join too.
    await execInManager(engine, lab, ['docker', 'network', 'create', '--driver', 'overlay', '--attachable', network], `creating network ${network}`);
    createdNetworks.push(network);
  }
  let ipvsWarning: string | undefined;
  const dependents = ipvsDependents(stack);
  if (dependents.length > 0 && !(await hasIpvs(engine, lab))) {
    ipvsWarning = `this host's kernel has no IPVS, so the routing mesh and VIP endpoints do not work in the lab: ${dependents.join('; ')}`;
  }
  const resolveImage = resolveImageFor(stackImages(stack), await nodeArchitecture(engine, lab));
  await execInManager(engine, lab, ['mkdir', '-p', STACKS_DIR_IN_MANAGER], 'preparing the stack folder');
  await engine.putFile(lab.manager, STACKS_DIR_IN_MANAGER, `${stackName}.yml`, renderStackFile(stack));
  return { rewrites, createdNetworks, ipvsWarning, resolveImage };
}

export async function runStackDeploy(engine: Engine, lab: RunningLab, stackName: string, resolveImage: ResolveImage = { flags: [] }): Promise<void> {
  const file = `${STACKS_DIR_IN_MANAGER}/${stackName}.yml`;
  await execInManager(engine, lab, ['docker', 'stack', 'deploy', '--prune', ...resolveImage.flags, '-c', file, stackName], 'docker stack deploy');
}

export interface ServiceProgress {
  name: string;
  running: number;
  desired: number;
}

export function parseServiceReplicas(text: string): ServiceProgress[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', replicas = '', mode = ''] = line.split('\t');
      const match = /^(\d+)\/(\d+)/.exec(replicas);
      const desired = match ? Number(match[2]) : 1;
      // A global service reads 0/0 until the orchestrator has placed its tasks: not done yet.
      return { name, running: match ? Number(match[1]) : 0, desired: mode === 'global' && desired === 0 ? 1 : desired };
    });
}

/** Failed attempts of a service, all with the same error and none running, that end the wait before its timeout. */
export const HOPELESS_ATTEMPTS = 4;
/** How often, once a stack is pending, its tasks are read for hopeless services (an exec each time). */
const HOPELESS_EVERY_MS = 5000;

/**
 * The services among `pending` whose tasks the nodes have refused HOPELESS_ATTEMPTS times or more
 * with one and the same error, none running: a mount of a path that does not exist, an image
 * that is not there. The swarm tries them again for ever; waiting out the timeout (two minutes)
 * only hides the error a student needs to see. Tasks that started and then failed are not
 * counted: a service may exit until what it needs is up, then run. Pure.
 */
export function hopelessServices(pending: string[], tasks: SwarmTask[]): { service: string; error: string; attempts: number }[] {
  return pending.flatMap((service) => {
    const own = tasks.filter((t) => serviceOfTask(t.name) === service);
    if (own.some((t) => t.currentState.startsWith('Running'))) return [];
    const errors = own.filter((t) => t.currentState.startsWith('Rejected')).map((t) => t.error);
    const error = errors[0];
    return error && errors.length >= HOPELESS_ATTEMPTS && errors.every((e) => e === error) ? [{ service, error, attempts: errors.length }] : [];
  });
}

/** How a wait for a stack ended early or on time: converged, or a service that cannot start. */
type Convergence = { converged: ServiceProgress[] } | { hopeless: ReturnType<typeof hopelessServices> };

/**
 * Waits until every service of the stack runs all its replicas; on timeout, or as soon as a
 * service fails the same way again and again (hopelessServices), names what failed and why. A
 * swarm that loses its leader meanwhile is said as such, not as a stack that did not converge.
 */
export async function waitForConvergence(
  engine: Engine,
  lab: RunningLab,
  stackName: string,
  timeoutMs: number,
  report: (s: string) => void,
  clock: Clock = realClock,
): Promise<ServiceProgress[]> {
  let said = '';
  let tasksReadAt = clock.now();
  const serviceLs = ['docker', 'service', 'ls', '--filter', `label=com.docker.stack.namespace=${stackName}`, '--format', '{{.Name}}\t{{.Replicas}}\t{{.Mode}}'];
  let ended: Convergence;
  try {
    ended = await pollUntil<Convergence>(
      async () => {
        const services = parseServiceReplicas(await execInManager(engine, lab, serviceLs, 'docker service ls'));
        // Said when it changes: off a terminal each report is a line of its own.
        const progress = services.map((s) => `${s.name} ${s.running}/${s.desired}`).join(', ') || 'no services yet';
        if (progress !== said) {
          said = progress;
          report(progress);
        }
        const pending = services.filter((s) => s.running < s.desired);
        if (services.length > 0 && pending.length === 0) return { done: { converged: services } };
        if (pending.length > 0 && clock.now() - tasksReadAt >= HOPELESS_EVERY_MS) {
          tasksReadAt = clock.now();
          const names = pending.map((s) => s.name);
          const hopeless = hopelessServices(names, await listTasks(engine, lab.manager, names));
          if (hopeless.length > 0) return { done: { hopeless } };
        }
        return { notYet: pending.map((s) => s.name).join(', ') };
      },
      { what: `stack ${stackName} to converge`, timeoutMs, intervalMs: 500, clock },
    );
  } catch (err) {
    if (err instanceof NodeCommandError && readRefusal(err.said).reason === 'no-leader') {
      throw new LabError(`the swarm lost its leader while stack ${stackName} was converging (${err.problem})`, {
        fix: `swarmlab status --name ${lab.inventory.lab} says which managers are down; start them again (swarmlab chaos heal after a drill)`,
      });
    }
    if (!(err instanceof WaitTimeout)) throw err;
    throw new LabError(`stack ${stackName} did not converge within ${Math.round(timeoutMs / 1000)} s`, {
      details: await convergenceProblems(engine, lab, stackName),
    });
  }
  if ('converged' in ended) return ended.converged;
  const [first, ...more] = ended.hopeless;
  throw new LabError(
    `stack ${stackName}: service ${first?.service} cannot start: ${first?.error} (${first?.attempts} attempts, each the same)${more.length > 0 ? `; and ${more.map((h) => h.service).join(', ')}` : ''}`,
    { fix: `correct the stack file, then swarmlab deploy again`, details: more.map((h) => `service ${h.service}: ${h.error}`) },
  );
}

/** `web_api.2` (replicated) or `viz_app.<node id>` (global) -> the service's name. */
export function serviceOfTask(task: string): string {
  const dot = task.lastIndexOf('.');
  return dot > 0 ? task.slice(0, dot) : task;
}

async function convergenceProblems(engine: Engine, lab: RunningLab, stackName: string): Promise<string[]> {
  const services = await servicesOfStack(engine, lab.manager, stackName);
  const tasks = await listTasks(engine, lab.manager, services);
  const lines = new Set<string>();
  for (const task of tasks) {
    if (task.error) lines.add(`service ${serviceOfTask(task.name)}: task ${task.name} on ${task.node || '(no node)'}: ${task.error}`);
    else if (task.desiredState === 'Running' && !task.currentState.startsWith('Running')) {
      lines.add(`service ${serviceOfTask(task.name)}: task ${task.name} on ${task.node || '(no node)'}: ${task.currentState}`);
    }
  }
  return [...lines].slice(0, 20);
}

export async function removeStack(engine: Engine, lab: RunningLab, stackName: string, timeoutMs: number): Promise<boolean> {
  const before = await servicesOfStack(engine, lab.manager, stackName);
  if (before.length === 0) return false;
  const removal = await engine.exec(lab.manager, ['docker', 'stack', 'rm', stackName]);
  await pollUntil(async () => ((await servicesOfStack(engine, lab.manager, stackName)).length === 0 ? { done: true } : { notYet: 'services still listed' }), {
    what: `stack ${stackName} to be removed`,
    timeoutMs,
    intervalMs: 300,
  });
  if (removal.exitCode !== 0) {
    // `docker stack rm` removes the services, then the networks; one a task still holds while
    // it shuts down is refused, and the command fails. Asked again once the services are gone.
    await pollUntil(
      async () => {
        const again = await engine.exec(lab.manager, ['docker', 'stack', 'rm', stackName]);
        const left = await execInManager(
          engine,
          lab,
          ['docker', 'network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stackName}`],
          'docker network ls',
        );
        return left.trim() === '' ? { done: true } : { notYet: (again.stderr || removal.stderr).trim() || 'its networks are still listed' };
      },
      { what: `the networks of stack ${stackName} to be removed`, timeoutMs, intervalMs: 1000 },
    );
  }
  return true;
}
