// One frame of `swarmlab viz` in a terminal: a column per node (name, state, availability,
// manager status, then its running tasks as service.slot, coloured per service, and the
// tasks that fail there with their error), a header with the leader and the quorum, and the
// feed of recent changes. Pure: a snapshot in, text out.

import { Chalk } from 'chalk';
import { visibleWidth, withoutColour } from '../colour-codes.js';
import { quorumFrom, quorumLine } from '../swarm/answering-manager.js';
import { cliWord } from '../swarm/node-model.js';
import type { ClusterSnapshot, SnapshotService, SnapshotTask } from '../swarm/snapshot.js';

export interface FrameOptions {
  lab: string;
  /** Shown in the header. */
  time: string;
  /** Terminal columns. */
  width: number;
  /** Only this stack's services. */
  stack?: string;
  /** Recent changes, oldest first. */
  feed: string[];
  colour: boolean;
}

const PALETTE = ['cyan', 'magenta', 'yellow', 'blue', 'green', 'cyanBright', 'magentaBright', 'yellowBright', 'blueBright', 'greenBright'] as const;

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}

/** Words into at most `lines` lines of `width`; what does not fit ends in an ellipsis. */
function wrap(text: string, width: number, lines: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current && `${current} ${word}`.length > width) {
      out.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) out.push(current);
  const kept = out.slice(0, lines).map((l) => fit(l, width));
  if (out.length > lines) kept[lines - 1] = fit(`${kept[lines - 1]!} …`, width);
  return kept;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

/** A service's colour: the same name always gets the same one. */
function colourIndex(name: string): number {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return hash % PALETTE.length;
}

/** replicated: echo.3; global: viz_app (one per node). */
function taskLabel(service: SnapshotService, task: SnapshotTask): string {
  return task.slot !== undefined ? `${service.name}.${task.slot}` : service.name;
}

/** The latest task of each slot (or node) that is not running while it should. */
function failing(snapshot: ClusterSnapshot, services: SnapshotService[]): { service: SnapshotService; task: SnapshotTask }[] {
  const latest = new Map<string, { service: SnapshotService; task: SnapshotTask }>();
  for (const service of services) {
    for (const task of snapshot.tasks.filter((t) => t.serviceId === service.id)) {
      const key = `${service.id} ${task.slot ?? task.nodeId}`;
      const seen = latest.get(key);
      if (!seen || Date.parse(task.timestamp) > Date.parse(seen.task.timestamp)) latest.set(key, { service, task });
    }
  }
  return [...latest.values()].filter(({ task }) => task.state !== 'running' && task.desiredState !== 'shutdown' && (task.error || task.state === 'pending'));
}

export function renderFrame(snapshot: ClusterSnapshot, options: FrameOptions): string {
  const chalk = new Chalk({ level: options.colour ? 1 : 0 });
  const services = snapshot.services.filter((s) => !options.stack || s.stack === options.stack).sort((a, b) => a.name.localeCompare(b.name));
  const paint = (service: SnapshotService, text: string) => chalk[PALETTE[colourIndex(service.name)]!](text);
  const nodes = [...snapshot.nodes].sort((a, b) => (a.role === b.role ? a.hostname.localeCompare(b.hostname) : a.role === 'manager' ? -1 : 1));
  const broken = failing(snapshot, services);
  const columns = [...nodes.map((n) => n.id), ...(broken.some((b) => !b.task.nodeId) ? [''] : [])];
  const width = Math.max(16, Math.min(30, Math.floor(options.width / Math.max(1, Math.min(columns.length, 6))) - 2));

  const column = (nodeId: string): string[] => {
    const node = snapshot.nodes.find((n) => n.id === nodeId);
    const title = node ? chalk.bold(fit(node.hostname, width)) : chalk.bold('(no node)');
    const state = node
      ? `${node.state === 'ready' ? chalk.green('Ready') : chalk.red(cliWord(node.state))} ${node.availability === 'active' ? 'Active' : chalk.yellow(cliWord(node.availability))}`
      : 'unassigned';
    const status = node?.managerStatus ? cliWord(node.managerStatus) : node?.role === 'manager' ? 'manager' : '';
    const lines = [title, state, status, '─'.repeat(width)];
    for (const service of services) {
      const running = snapshot.tasks.filter((t) => t.serviceId === service.id && t.nodeId === nodeId && t.state === 'running' && t.desiredState === 'running');
      for (const task of running.sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0))) lines.push(paint(service, fit(taskLabel(service, task), width)));
    }
    for (const { service, task } of broken.filter((b) => b.task.nodeId === nodeId)) {
      // The error on up to two lines under the task: the reason is the point.
      lines.push(chalk.red(fit(`✘ ${taskLabel(service, task)}`, width)));
      for (const line of wrap(task.error || task.state, width - 2, 2)) lines.push(chalk.red(`  ${line}`));
    }
    // A drained node runs nothing new: greyed, as in the web view.
    return node?.availability === 'drain' ? lines.map((l) => chalk.dim(withoutColour(l))) : lines;
  };

  const quorum = quorumFrom(snapshot.nodes);
  const leader = snapshot.nodes.find((n) => n.managerStatus === 'leader')?.hostname;
  const header = [
    `${chalk.bold(`swarmlab viz: lab "${options.lab}"`)}${options.stack ? `, stack ${options.stack}` : ''}  ${options.time}`,
    !snapshot.isManager
      ? chalk.red(snapshot.swarmState === 'inactive' ? 'No swarm yet.' : 'No manager answers for the swarm.')
      : `Swarm: leader ${leader ?? chalk.red('none')}; ${quorum ? quorumLine(quorum) : 'no managers'}; ${services.length} service${services.length === 1 ? '' : 's'}`,
  ];
  const rows: string[] = [];
  const perRow = Math.max(1, Math.floor(options.width / (width + 2)));
  for (let start = 0; start < columns.length; start += perRow) {
    const block = columns.slice(start, start + perRow).map(column);
    const height = Math.max(...block.map((c) => c.length));
    for (let i = 0; i < height; i++)
      rows.push(
        block
          .map((c) => pad(c[i] ?? '', width))
          .join('  ')
          .trimEnd(),
      );
    rows.push('');
  }
  const feed = options.feed.length > 0 ? ['Changes:', ...options.feed.slice(-5).map((e) => `  ${e}`)] : [];
  return [...header, '', ...rows, ...feed].join('\n').trimEnd();
}
