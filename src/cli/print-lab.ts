// The human view of a lab, shown after `up` and by `status`.

import { count } from '../count.js';
import type { Engine } from '../engine/engine.js';
import { type LabStatus, readStatus } from '../lab/status.js';
import { quorumLine } from '../swarm/answering-manager.js';
import type { SwarmNode } from '../swarm/node-model.js';
import { colourState, table } from './output.js';

/** What a degraded lab lacks, in a few words, and the way back. */
export function degradedBy(status: LabStatus): string {
  if (status.election)
    return `no leader yet, an election is under way among ${status.election.electing} of ${status.election.managers} managers (ask again in a few seconds)`;
  const missing = status.nodes
    .filter((n) => n.containerState !== 'running' || (n.state !== 'Ready' && status.answeredBy))
    .map((n) => (n.containerState !== 'running' ? `${n.name} down (container ${n.containerState})` : `${n.name} ${n.state}`));
  if (status.registry.state !== 'running') missing.push(`registry ${status.registry.state}`);
  return `${missing.join(', ') || status.problems[0]}; undo: swarmlab chaos heal --name ${status.lab} (or swarmlab up --name ${status.lab} repairs)`;
}

export function formatStatus(status: LabStatus): string {
  const managers = status.nodes.filter((n) => n.role === 'manager').length;
  const workers = status.nodes.length - managers;
  const counts = `${count(managers, 'manager')}, ${count(workers, 'worker')}`;
  const allRunning = status.nodes.every((n) => n.containerState === 'running');
  const headline = status.up
    ? `Lab "${status.lab}" is up: ${counts}.`
    : status.noSwarm && allRunning
      ? `Lab "${status.lab}" runs without a swarm: ${counts}.`
      : status.health === 'degraded'
        ? `Lab "${status.lab}" is up, degraded: ${degradedBy(status)}.`
        : `Lab "${status.lab}" is not up.`;
  const rows = status.nodes.map((n) => [n.name, n.role, colourState(n.containerState), colourState(n.state), n.availability, n.managerStatus]);
  const lines = [headline];
  if (rows.length > 0) lines.push(table(['NODE', 'ROLE', 'CONTAINER', 'STATE', 'AVAILABILITY', 'MANAGER STATUS'], rows));
  if (status.quorum) {
    // Said only when it tells something: several managers, or the first one not answering.
    const seenBy = status.answeredBy && status.answeredBy !== 'manager' ? ` (as ${status.answeredBy} sees it: manager does not answer)` : '';
    if (status.quorum.managers > 1 || seenBy) lines.push(`Swarm: leader ${status.leader ?? 'none'}; ${quorumLine(status.quorum)}${seenBy}.`);
  }
  if (status.registry.host) lines.push(`Registry: ${status.registry.host} from this host, ${status.registry.inCluster} inside the nodes.`);
  if (status.api) lines.push(`Engine API: ${status.api}, for your own docker CLI: docker --context swarmlab-${status.lab} node ls (swarmlab context).`);
  lines.push(...status.problems.map((p) => `problem: ${p}`));
  return lines.join('\n');
}

/** `say`: where the view goes instead of stdout (a lab a class brings up in its own process). */
export async function printLab(engine: Engine, lab: string, knownSwarm?: SwarmNode[], say: (text: string) => void = console.log): Promise<LabStatus> {
  const status = await readStatus(engine, lab, knownSwarm);
  say(formatStatus(status));
  return status;
}
