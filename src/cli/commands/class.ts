// `swarmlab class <subcommand>`: one lab per student, and the instructor's view of them all.
import type { CommandModule } from 'yargs';
import { classCardsCommand } from './class/cards.js';
import { classDownCommand } from './class/down.js';
import { classExecCommand } from './class/exec.js';
import { classResetCommand } from './class/reset.js';
import { classStatusCommand } from './class/status.js';
import { classUpCommand } from './class/up.js';
import { classWebCommand } from './class/web.js';

export const classCommand: CommandModule = {
  command: 'class <command>',
  describe: 'A workshop: up (a lab per student), status, web, cards, exec (a command on every lab), reset, down',
  builder: (y) =>
    y
      .command(classUpCommand)
      .command(classStatusCommand)
      .command(classWebCommand)
      .command(classCardsCommand)
      .command(classExecCommand)
      .command(classResetCommand)
      .command(classDownCommand)
      .demandCommand(1, 'name a class command'),
  handler: () => undefined,
};
