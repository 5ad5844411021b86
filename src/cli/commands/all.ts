// Every top-level command, in the order `swarmlab --help` lists them. Their names, which `class
// exec` checks a student's command against, are in names.ts (a unit test keeps both the same).
import type { CommandModule } from 'yargs';
import { chaosCommand } from './chaos.js';
import { classCommand } from './class.js';
import { contextCommand } from './context.js';
import { deployCommand } from './deploy.js';
import { dockerCommand } from './docker.js';
import { doctorCommand } from './doctor.js';
import { downCommand } from './down.js';
import { envCommand } from './env.js';
import { exerciseCommand } from './exercise.js';
import { imagesCommand } from './images.js';
import { logsCommand } from './logs.js';
import { lsCommand } from './ls.js';
import { mirrorCommand } from './mirror.js';
import { nodeCommand } from './node.js';
import { psCommand } from './ps.js';
import { pushCommand } from './push.js';
import { renderCommand } from './render.js';
import { statusCommand } from './status.js';
import { startCommand, stopCommand } from './stop-start.js';
import { undeployCommand } from './undeploy.js';
import { upCommand } from './up.js';
import { vizCommand } from './viz.js';

// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type
export const TOP_COMMANDS: CommandModule<object, any>[] = [
  upCommand,
  statusCommand,
  renderCommand,
  downCommand,
  lsCommand,
  doctorCommand,
  logsCommand,
  stopCommand,
  startCommand,
  pushCommand,
  deployCommand,
  undeployCommand,
  dockerCommand,
  psCommand,
  exerciseCommand,
  vizCommand,
  chaosCommand,
  nodeCommand,
  classCommand,
  imagesCommand,
  mirrorCommand,
  contextCommand,
  envCommand,
];

/** The names a user types: `logs [node]` is `logs`. */
export function topCommandNames(): string[] {
  return TOP_COMMANDS.map((c) => String(c.command).split(' ')[0]!);
}
