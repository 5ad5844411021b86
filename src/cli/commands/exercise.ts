// `swarmlab exercise <subcommand>`: exercises checked against the live swarm.
import type { CommandModule } from 'yargs';
import { checkCommand } from './exercise/check.js';
import { hintCommand } from './exercise/hint.js';
import { listCommand } from './exercise/list.js';
import { progressCommand } from './exercise/progress.js';
import { showCommand } from './exercise/show.js';
import { startCommand } from './exercise/start.js';
import { resetCommand, solveCommand } from './exercise/steps-commands.js';

export const exerciseCommand: CommandModule = {
  command: 'exercise <command>',
  describe: 'Exercises checked against the live swarm: list, show, start, check, hint, solve, reset, progress',
  builder: (y) =>
    y
      .command(listCommand)
      .command(showCommand)
      .command(startCommand)
      .command(checkCommand)
      .command(hintCommand)
      .command(solveCommand)
      .command(resetCommand)
      .command(progressCommand)
      .demandCommand(1, 'name an exercise command'),
  handler: () => undefined,
};
