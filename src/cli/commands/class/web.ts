import type { CommandModule } from 'yargs';
import { type ClassArgs, withClassOptions } from '../../class-options.js';

interface WebArgs extends ClassArgs {
  port: number;
  bind: string;
  tls: boolean;
  'tls-cert'?: string;
  'tls-key'?: string;
  rotate?: string;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

export const classWebCommand: CommandModule<object, WebArgs> = {
  command: 'web',
  describe: "The class's server: the instructor's grid, and a page per student (terminals into their nodes, the exercise, their ports), each behind its login",
  builder: (y) =>
    withClassOptions(y)
      .option('port', { type: 'number', default: 8091, describe: 'Port of the server' })
      .option('bind', { type: 'string', default: '127.0.0.1', describe: 'Address to serve on (0.0.0.0: every address, for the room)' })
      .option('tls', { type: 'boolean', default: false, describe: 'Serve HTTPS with a self-signed certificate kept in the class directory' })
      .option('tls-cert', { type: 'string', describe: 'Serve HTTPS with this certificate (PEM); needs --tls-key' })
      .option('tls-key', { type: 'string', describe: 'The private key (PEM) of --tls-cert' })
      .option('rotate', { type: 'string', describe: "Renew every login (or one student's: --rotate s02) and exit; old links stop working" }),
  async handler(args) {
    const [{ requireClass }, { planClass }, { readStudentStatus }, engines, { loadCatalog }, { TEMPLATES_DIR, WEB_ASSETS_DIR }, { SpecError }, web] =
      await Promise.all([
        import('../../../class/roster.js'),
        import('../../../class/plan.js'),
        import('../../../class/student-status.js'),
        import('../../class-engines.js'),
        import('../../../exercise/catalog.js'),
        import('../../../lab/paths.js'),
        import('../../../errors.js'),
        import('../../class-web.js'),
      ]);
    const spec = await requireClass(args.dir);
    const students = planClass(spec);
    if (args.rotate !== undefined) {
      console.log(await web.rotate(args.dir, args.rotate));
      return;
    }
    if (args['tls-cert'] !== undefined && args['tls-key'] === undefined)
      throw new SpecError([{ field: '--tls-key', problem: 'is missing: --tls-cert needs its key', fix: '--tls-cert FILE --tls-key FILE, or --tls' }]);
    if (args['tls-key'] !== undefined && args['tls-cert'] === undefined)
      throw new SpecError([{ field: '--tls-cert', problem: 'is missing: --tls-key needs its certificate', fix: '--tls-cert FILE --tls-key FILE, or --tls' }]);
    const tls = await web.tlsMaterial(args.dir, args.bind, args['tls-cert'], args['tls-key'], args.tls);
    await web.ensureClassLogins(args.dir, students);
    const clients = engines.classEngines(spec.engines);
    const catalog = await loadCatalog(args.dir);
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    // `on`, not `once`: a signal hook (execa's) re-raises a SIGINT that finds no other listener left.
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      await web.serve({
        classDir: args.dir,
        students,
        host: args.bind,
        port: args.port,
        portFlag: 'swarmlab class web --port',
        ...(tls ? { tls } : {}),
        engineOf: (s) => {
          const e = engines.engineOf(clients, s);
          return { engine: e.client, local: e.endpoint.host.startsWith('unix://') || e.endpoint.host.startsWith('npipe://') };
        },
        runStudent: web.studentRunner(args.dir, students, clients),
        produceGrid: async () => ({
          class: spec,
          students: await Promise.all(students.map((s) => readStudentStatus(engines.engineOf(clients, s).client, s.engine, args.dir, s, catalog))),
        }),
        readStatus: (s) => readStudentStatus(engines.engineOf(clients, s).client, s.engine, args.dir, s, catalog),
        pagesDir: `${TEMPLATES_DIR}class`,
        assetsDir: WEB_ASSETS_DIR,
        stop: stopped,
        say: (urls) => {
          // Said once the server listens: a --bind that fails says only why.
          if (!tls && !LOOPBACK.includes(args.bind))
            process.stderr.write(`warning: serving on ${args.bind} without TLS: logins cross the room in clear (--tls makes a certificate)\n`);
          return web.sayServing(args.dir, spec.prefix, urls, tls);
        },
      });
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    process.exitCode = 130;
  },
};
