import type { CommandModule } from 'yargs';
import { NODE_CUTS_FLAG_HELP } from '../../../spec/node-cuts.js';
import { type ClassArgs, withClassOptions } from '../../class-options.js';

interface UpArgs extends ClassArgs {
  students?: number;
  workers?: number;
  managers?: number;
  prefix?: string;
  'base-port'?: number;
  engine?: string[];
  concurrency: number;
  timeout: number;
  mirror?: boolean;
  runtime?: string;
  'node-cuts'?: string;
}

export const classUpCommand: CommandModule<object, UpArgs> = {
  command: 'up',
  describe:
    'Bring up one lab per student, <prefix>-s01..sNN, each with its own subnet and ports, over one or more engines; a second run repairs what is missing',
  builder: (y) =>
    withClassOptions(y)
      .option('students', { type: 'number', describe: 'How many students (labs); default: as the class has' })
      .option('workers', { type: 'number', describe: 'Workers per lab (default 3)' })
      .option('managers', { type: 'number', describe: 'Managers per lab (default 1)' })
      .option('prefix', { type: 'string', describe: 'Lab names: PREFIX-s01 ... (default class)' })
      .option('base-port', { type: 'number', describe: 'Student sNN gets ports BASE+10*NN, +1 (manager 80), +2 (manager 9000); default 20000' })
      .option('engine', {
        type: 'string',
        array: true,
        describe: 'An engine for labs (repeatable): a docker context name, or unix:// tcp:// ssh://; default: this one',
      })
      .option('mirror', {
        type: 'boolean',
        describe: "Every lab pulls Docker Hub images through its engine's shared mirror, started on each engine if it is not up",
      })
      .option('runtime', {
        type: 'string',
        describe:
          "Every lab's nodes run unprivileged under this runtime: sysbox-runc, where Sysbox is installed (swarmlab doctor says); none: back to privileged",
      })
      .option('node-cuts', {
        type: 'string',
        describe: `What every lab's nodes leave out, ${NODE_CUTS_FLAG_HELP}`,
      })
      .option('concurrency', { type: 'number', default: 4, describe: 'Labs brought up at once' })
      .option('timeout', { type: 'number', default: 180, describe: "Seconds each lab's up may wait for its nodes" }),
  async handler(args) {
    const [{ bringUpClass }, { upHere }, { interruptible }, { formatRoster }] = await Promise.all([
      import('../../../class/bring-up-class.js'),
      import('../../class-up-here.js'),
      import('../../interruptible.js'),
      import('../../print-class.js'),
    ]);
    const flags = {
      students: args.students,
      workers: args.workers,
      managers: args.managers,
      prefix: args.prefix,
      basePort: args['base-port'],
      engines: args.engine,
      mirror: args.mirror,
      runtime: args.runtime,
      nodeCuts: args['node-cuts'],
      concurrency: args.concurrency,
      timeoutSeconds: args.timeout,
    };
    const { students, failed, interrupted } = await bringUpClass(args.dir, flags, {
      upHere: upHere(args.timeout),
      say: (line) => console.log(line),
      interruptible,
    });
    console.log(formatRoster(args.dir, students));
    console.log(
      `${students.length - failed.length} of ${students.length} labs up.${failed.length > 0 ? ` Failed: ${failed.join(', ')} (logs in .swarmlab/class/; swarmlab class up again repairs them).` : ''}`,
    );
    if (failed.length > 0) process.exitCode = interrupted ? 130 : 1;
  },
};
