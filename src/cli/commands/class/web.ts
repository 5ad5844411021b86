import type { CommandModule } from 'yargs';
import { type ClassArgs, withClassOptions } from '../../class-options.js';

interface WebArgs extends ClassArgs {
  port: number;
  bind: string;
}

export const classWebCommand: CommandModule<object, WebArgs> = {
  command: 'web',
  describe: "The instructor's grid (as class status) as a live page",
  builder: (y) =>
    withClassOptions(y)
      .option('port', { type: 'number', default: 8091, describe: 'Port of the page' })
      .option('bind', { type: 'string', default: '127.0.0.1', describe: 'Address to serve on (0.0.0.0 shows it to the room: the page has no login)' }),
  async handler(args) {
    const [{ requireClass }, { planClass }, { readStudentStatus }, engines, { loadCatalog }, { serveLivePage }, { TEMPLATES_DIR }, path] = await Promise.all([
      import('../../../class/roster.js'),
      import('../../../class/plan.js'),
      import('../../../class/student-status.js'),
      import('../../class-engines.js'),
      import('../../../exercise/catalog.js'),
      import('../../live-page.js'),
      import('../../../lab/paths.js'),
      import('node:path'),
    ]);
    const spec = await requireClass(args.dir);
    const students = planClass(spec);
    const clients = engines.classEngines(spec.engines);
    const exercises = (await loadCatalog(args.dir)).exercises.length;
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    // `on`, not `once`: a signal hook (execa's) re-raises a SIGINT that finds no other listener left.
    process.on('SIGINT', stop);
    if (args.bind !== '127.0.0.1') process.stderr.write(`warning: the page is served on ${args.bind}: anyone on your network sees every student's progress\n`);
    try {
      await serveLivePage({
        pageFile: path.join(TEMPLATES_DIR, 'class', 'index.html'),
        host: args.bind,
        port: args.port,
        portFlag: 'swarmlab class web --port',
        produce: async () => ({
          class: spec,
          exercises,
          students: await Promise.all(students.map((s) => readStudentStatus(engines.engineOf(clients, s).client, s.engine, args.dir, s))),
        }),
        stop: stopped,
        say: (url) => console.log(`Serving class ${spec.prefix} on ${url} (Ctrl-C stops)`),
      });
    } finally {
      process.off('SIGINT', stop);
    }
    process.exitCode = 130;
  },
};
