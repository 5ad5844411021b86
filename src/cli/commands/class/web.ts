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
    if (args.rotate !== undefined) {
      const { rotateClassLogins } = await import('../../../class/rotate-logins.js');
      console.log(await rotateClassLogins(args.dir, args.rotate));
      return;
    }
    const [{ serveClassWeb }, { interruptible }, { sayServing }] = await Promise.all([
      import('../../../class/serve-class-web.js'),
      import('../../interruptible.js'),
      import('../../class-web.js'),
    ]);
    const tls = { selfSigned: args.tls, certFile: args['tls-cert'], keyFile: args['tls-key'] };
    await serveClassWeb(
      args.dir,
      { port: args.port, bind: args.bind, tls },
      { interruptible, serving: (prefix, urls, material) => sayServing(args.dir, args.bind, prefix, urls, material) },
    );
    process.exitCode = 130;
  },
};
