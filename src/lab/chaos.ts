// Failure drills: what trainers used to do by hand to a swarm, done to the lab's own
// containers only (found by label), each saying what it did and what to watch, and undone by
// heal. Nothing on the host's own network changes: a partition is iptables inside the node.
import type { Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { LABEL_LAB } from '../plan/labels.js';
import { FIRST_MANAGER } from '../plan/topology.js';
import { quorumOf } from '../swarm/answering-manager.js';
import { execInNode } from '../swarm/exec-in-node.js';
import { isReachableManager } from '../swarm/node-model.js';
import { listSwarmNodes } from '../swarm/nodes.js';
import { nodeContainer, nodeInfo, type RunningLab, requireAnsweringManager } from './running-lab.js';
import { quoted } from './shell-env.js';

export interface DrillReport {
  did: string;
  watch: string;
}

/** Chains of our own, so that heal removes exactly what partition added. */
const CHAIN_IN = 'SWARMLAB-CHAOS-IN';
const CHAIN_OUT = 'SWARMLAB-CHAOS-OUT';
const UNDO = `iptables -D INPUT -j ${CHAIN_IN} 2>/dev/null; iptables -D OUTPUT -j ${CHAIN_OUT} 2>/dev/null; for c in ${CHAIN_IN} ${CHAIN_OUT}; do iptables -F $c 2>/dev/null; iptables -X $c 2>/dev/null; done; true`;

/** Drops every packet between the node and the lab network, both ways; the node's own loopback still works. */
export function partitionScript(subnet: string): string {
  return [
    UNDO,
    `iptables -N ${CHAIN_IN}`,
    `iptables -N ${CHAIN_OUT}`,
    `iptables -A ${CHAIN_IN} -s ${subnet} ! -i lo -j DROP`,
    `iptables -A ${CHAIN_OUT} -d ${subnet} ! -o lo -j DROP`,
    `iptables -I INPUT -j ${CHAIN_IN}`,
    `iptables -I OUTPUT -j ${CHAIN_OUT}`,
  ].join(' && ');
}

/** The container of a node a drill acts on, which must be running. */
function runningNode(running: RunningLab, lab: string, node: string): string {
  const { name: container, state } = nodeInfo(running, node, lab);
  if (state !== 'running')
    throw new LabError(`node ${node} is ${state}, not running`, { fix: `swarmlab chaos heal ${node} (or swarmlab start --name ${lab})` });
  return container;
}

async function labSubnet(engine: Engine, lab: string): Promise<string> {
  const network = (await engine.networkSubnets()).find((n) => n.labels[LABEL_LAB] === lab);
  const subnet = network?.subnets.find((s) => s.includes('.'));
  if (!subnet) throw new LabError(`lab "${lab}" has no network`, { fix: `swarmlab up --name ${lab}` });
  return subnet;
}

export async function killLeader(engine: Engine, running: RunningLab, lab: string): Promise<DrillReport> {
  requireAnsweringManager(running, lab);
  const leader = (await listSwarmNodes(engine, running.manager)).find((n) => n.managerStatus === 'leader');
  if (!leader) throw new LabError(`lab "${lab}" has no leader to kill`, { fix: `swarmlab status --name ${lab}` });
  await engine.killContainer(nodeContainer(running, leader.hostname, lab));
  return {
    did: `killed ${leader.hostname}, the leader (its container, as a machine that loses its power)`,
    watch: `swarmlab viz: with 3 or more managers another one leads within seconds and ${leader.hostname} shows Down, Unreachable; with one manager the swarm has no control plane until heal`,
  };
}

export async function stopNode(engine: Engine, running: RunningLab, lab: string, node: string): Promise<DrillReport> {
  await engine.stopContainer(runningNode(running, lab, node), 5);
  return { did: `stopped ${node} (its dockerd shut down cleanly)`, watch: `swarmlab viz: ${node} goes Down and its tasks start again on other nodes` };
}

export async function pauseNode(engine: Engine, running: RunningLab, lab: string, node: string): Promise<DrillReport> {
  await engine.pauseContainer(runningNode(running, lab, node));
  return {
    did: `paused ${node}: every process in it is frozen, as on a hung machine`,
    watch: `swarmlab viz: after the heartbeat timeout ${node} goes Down (it never said goodbye) and its tasks move`,
  };
}

export async function partitionNode(engine: Engine, running: RunningLab, lab: string, node: string): Promise<DrillReport> {
  const container = runningNode(running, lab, node);
  const subnet = await labSubnet(engine, lab);
  await execInNode(engine, container, ['sh', '-c', partitionScript(subnet)], { what: `partitioning ${node}`, node });
  return {
    did: `cut ${node} off from the lab network ${subnet}, both ways (iptables inside ${node}; the host's network is untouched)`,
    watch: `swarmlab viz: ${node} goes Down for the others and its replicas run elsewhere, while ${node} itself still runs its containers`,
  };
}

/** Said by the slow drill's script when the node has no tc: Alpine's busybox (docker:dind) is built without it. */
const NO_TC = 'swarmlab-no-tc';

/** Where a node slowed through another image's tc keeps that image's name, for heal. */
const SLOWED_BY = '/run/swarmlab-slowed-by';

function netemScript(delayMs: number): string {
  return `command -v tc >/dev/null 2>&1 || { echo ${NO_TC}; exit 3; }; tc qdisc replace dev eth0 root netem delay ${delayMs}ms`;
}

/** Why tc refused, in the kernel's words (its last line). */
function refusal(result: { stdout: string; stderr: string }): string {
  return (result.stderr || result.stdout).trim().split('\n').pop() ?? '';
}

function noNetem(node: string, why: string): LabError {
  return new LabError(`this host's kernel offers no netem, which a slow link needs (${why})`, {
    fix: `load the sch_netem module on the host (modprobe sch_netem), or use chaos partition ${node}; swarmlab doctor lists it`,
  });
}

/**
 * A netem delay on the node's link, with the node's own tc or, where its image has none, with tc
 * from `tcImage` run in the node's network namespace (NET_ADMIN only). Refused naming the image
 * when neither has tc, and naming the kernel only when tc ran and the kernel said no.
 */
export async function slowLink(engine: Engine, running: RunningLab, lab: string, node: string, delayMs: number, tcImage?: string): Promise<DrillReport> {
  const container = runningNode(running, lab, node);
  const did = {
    did: `delayed every packet leaving ${node} by ${delayMs} ms`,
    watch: `swarmlab viz, and timings: heartbeats and Raft messages from ${node} arrive late`,
  };
  const own = await engine.exec(container, ['sh', '-c', netemScript(delayMs)]);
  if (own.exitCode === 0) return did;
  if (!own.stdout.includes(NO_TC)) throw noNetem(node, refusal(own));
  const image = running.inventory.nodes.get(node)?.image ?? 'the node image';
  if (!tcImage)
    throw new LabError(`${node}'s image (${image}) has no tc, which a slow link needs: Alpine's busybox is built without it`, {
      fix: `swarmlab chaos slow ${node} --tc-image <an image with tc, e.g. nicolaka/netshoot>: it runs in ${node}'s network namespace only`,
    });
  if (!(await engine.hasImage(tcImage)))
    throw new LabError(`--tc-image ${tcImage} is not on this engine`, { fix: `docker pull ${tcImage}, or name an image that is` });
  const helper = await engine.probe(tcImage, netemScript(delayMs), {
    capAdd: ['NET_ADMIN'],
    labels: { [LABEL_LAB]: lab },
    networkMode: `container:${container}`,
  });
  if (helper.stdout.includes(NO_TC))
    throw new LabError(`--tc-image ${tcImage} has no tc either`, { fix: 'name an image with iproute2, e.g. nicolaka/netshoot' });
  if (helper.exitCode !== 0) throw noNetem(node, refusal(helper));
  await execInNode(engine, container, ['sh', '-c', `echo ${quoted(tcImage)} > ${SLOWED_BY}`], { what: `noting ${node}'s delay`, node });
  return { ...did, did: `${did.did} (tc from ${tcImage}, in ${node}'s network namespace)` };
}

/** Lifts a delay set through another image's tc (the node has none to lift it with). */
async function liftHelperDelay(engine: Engine, lab: string, container: string, tcImage: string): Promise<boolean> {
  const result = await engine
    .probe(tcImage, 'tc qdisc del dev eth0 root netem', { capAdd: ['NET_ADMIN'], labels: { [LABEL_LAB]: lab }, networkMode: `container:${container}` })
    .catch(() => undefined);
  return result?.exitCode === 0;
}

export async function loseQuorum(engine: Engine, running: RunningLab, lab: string): Promise<DrillReport> {
  requireAnsweringManager(running, lab);
  const managers = (await listSwarmNodes(engine, running.manager)).filter(isReachableManager);
  const toStop = managers.length - quorumOf(managers.length) + 1;
  // The first manager stays, when it can: it is where a student types next.
  const chosen = [...managers]
    .sort((a, b) => (a.hostname === FIRST_MANAGER ? 1 : b.hostname === FIRST_MANAGER ? -1 : b.hostname.localeCompare(a.hostname)))
    .slice(0, toStop);
  await Promise.all(chosen.map((m) => engine.stopContainer(nodeContainer(running, m.hostname, lab), 5)));
  const survivor = managers.find((m) => !chosen.includes(m))?.hostname;
  return {
    did: `stopped ${chosen.map((m) => m.hostname).join(', ')}: ${managers.length - toStop} of ${managers.length} managers left, under the quorum of ${quorumOf(managers.length)}`,
    watch: survivor
      ? `swarmlab docker --node ${survivor} service ls fails (the swarm has no leader) while swarmlab docker --node worker01 ps still works: running tasks go on, nothing can change; undo: swarmlab chaos heal, or swarm init --force-new-cluster on ${survivor}`
      : 'the only manager is gone: nothing can change in the swarm until swarmlab chaos heal',
  };
}

/** Undoes every drill on the lab (or one node): starts stopped nodes, thaws paused ones, lifts partitions and slow links. */
export async function heal(engine: Engine, running: RunningLab, lab: string, only?: string): Promise<DrillReport> {
  const nodes = [...running.inventory.nodes.entries()].filter(([name]) => !only || name === only);
  if (only && nodes.length === 0) nodeContainer(running, only, lab);
  const done: string[] = [];
  for (const [name, container] of nodes) {
    if (container.state === 'paused') {
      await engine.unpauseContainer(container.id);
      done.push(`thawed ${name}`);
    } else if (container.state === 'exited' || container.state === 'created') {
      await engine.startContainer(container.id);
      done.push(`started ${name}`);
    }
  }
  // Partitions and delays live inside running nodes: lifted wherever they are (a no-op elsewhere).
  await Promise.all(
    nodes.map(async ([name, container]) => {
      const lifted = await engine
        .exec(container.name, [
          'sh',
          '-c',
          `iptables -L ${CHAIN_IN} >/dev/null 2>&1 && echo partitioned; ${UNDO}; tc qdisc del dev eth0 root netem 2>/dev/null && echo slowed; ` +
            `if [ -s ${SLOWED_BY} ]; then echo "slowed-by=$(cat ${SLOWED_BY})"; rm -f ${SLOWED_BY}; fi; true`,
        ])
        .catch(() => undefined);
      if (lifted?.stdout.includes('partitioned')) done.push(`reconnected ${name}`);
      const tcImage = /^slowed-by=(.+)$/m.exec(lifted?.stdout ?? '')?.[1];
      if (lifted?.stdout.includes('slowed\n') || (tcImage && (await liftHelperDelay(engine, lab, container.name, tcImage))))
        done.push(`removed ${name}'s delay`);
    }),
  );
  return {
    did: done.length > 0 ? done.join(', ') : 'nothing to undo',
    watch: `swarmlab status${only ? '' : ' (or swarmlab viz)'}: every node Ready again within seconds; tasks do not move back by themselves`,
  };
}
