import type { CommandModule } from 'yargs';
import { type ClassArgs, withClassOptions } from '../../class-options.js';
import { repeatRounds } from '../../repeat.js';

interface StatusArgs extends ClassArgs {
  json: boolean;
  watch: boolean;
}

const WATCH_INTERVAL_MS = 2000;

export const classStatusCommand: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: 'One row per student: nodes Ready, leader, tasks, exercises passed (of the courses started), the current exercise or drill and its last check',
  builder: (y) =>
    withClassOptions(y)
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' })
      .option('watch', { type: 'boolean', default: false, describe: 'Again every 2 s, printed when it changes (Ctrl-C stops)' }),
  async handler(args) {
    const [{ openClass }, { classStatusReader }, { formatClassStatus }] = await Promise.all([
      import('../../../class/open-class.js'),
      import('../../../class/class-status.js'),
      import('../../print-class.js'),
    ]);
    const opened = await openClass(args.dir);
    const reader = await classStatusReader(opened);
    let shown = '';
    await repeatRounds({ watch: args.watch, intervalMs: WATCH_INTERVAL_MS }, async () => {
      const rows = await reader.readAll();
      const text = args.json ? JSON.stringify({ class: opened.spec, students: rows }, null, args.watch ? 0 : 2) : formatClassStatus(rows, new Date());
      if (text !== shown) console.log(args.watch && shown && !args.json ? `\n${new Date().toTimeString().slice(0, 8)}\n${text}` : text);
      shown = text;
      process.exitCode = rows.every((r) => r.up) ? 0 : 1;
      return false;
    });
  },
};
