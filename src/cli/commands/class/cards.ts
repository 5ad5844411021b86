import type { CommandModule } from 'yargs';
import { type ClassArgs, withClassOptions } from '../../class-options.js';

interface CardsArgs extends ClassArgs {
  html?: string;
  url?: string;
  students?: string;
  instructor: boolean;
}

export const classCardsCommand: CommandModule<object, CardsArgs> = {
  command: 'cards',
  describe:
    "What each student needs: the link (and QR code) that logs them into the class's page, and their lab's directory, ports and commands; as text, or one printable HTML page with --html FILE",
  builder: (y) =>
    withClassOptions(y)
      .option('html', { type: 'string', describe: 'Write the cards as one HTML page, a card per printed page' })
      .option('url', {
        type: 'string',
        describe: 'Where students open the class server, e.g. https://192.168.1.20:8091 (default: where swarmlab class web last served)',
      })
      .option('students', { type: 'string', describe: "Only these students' cards, e.g. s02,s05" })
      .option('instructor', { type: 'boolean', default: false, describe: 'Also print your own link, after the cards (never into --html)' }),
  async handler(args) {
    const [
      { requireClass },
      { planClass },
      print,
      { chmod, writeFile },
      path,
      engines,
      { LabError, SpecError },
      { describeOutputError },
      { chooseStudents },
      join,
    ] = await Promise.all([
      import('../../../class/roster.js'),
      import('../../../class/plan.js'),
      import('../../print-class.js'),
      import('node:fs/promises'),
      import('node:path'),
      import('../../class-engines.js'),
      import('../../../errors.js'),
      import('../../../system-errors.js'),
      import('../../class-run.js'),
      import('../../../web/join-url.js'),
    ]);
    if (args.html === '') throw new SpecError([{ field: '--html', problem: 'names no file', fix: 'e.g. --html cards.html' }]);
    if (args.url !== undefined) join.checkJoinUrl(args.url);
    const spec = await requireClass(args.dir);
    const students = planClass(spec);
    const chosen = chooseStudents(students, args.students);
    const { base, from } = await join.joinBaseOf(args.dir, args.url);
    const [{ ensureLogins }, { selfSignedFingerprint }, QRCode] = await Promise.all([
      import('../../../web/logins.js'),
      import('../../../web/tls.js'),
      import('qrcode'),
    ]);
    // A class made before logins existed gets them here, the first time its cards are printed.
    const logins = await ensureLogins(
      args.dir,
      students.map((s) => s.id),
    );
    const extras = base.startsWith('https:') ? { fingerprint: await selfSignedFingerprint(args.dir) } : {};
    const clients = engines.classEngines(spec.engines);
    const cards = await Promise.all(
      chosen.map(async (student) => {
        const engine = engines.engineOf(clients, student);
        const link = join.loginLink(base, logins.students[student.id]!);
        const qr = args.html === undefined ? await QRCode.toString(link, { type: 'utf8', margin: 2 }) : await QRCode.toString(link, { type: 'svg', margin: 2 });
        return {
          student,
          directory: path.join(path.resolve(args.dir), student.dir),
          engine: engine.name,
          dockerHost: engine.name === 'default' ? undefined : engine.endpoint.host,
          login: { link, qr },
        };
      }),
    );
    if (from === 'guessed')
      process.stderr.write(
        `note: no swarmlab class web has run here yet, so the links point at ${base}; start it (--bind 0.0.0.0) before printing, or give --url\n`,
      );
    else if (/^https?:\/\/(127\.|localhost|\[::1\])/.test(base))
      process.stderr.write(`note: the links point at ${base}, which only this machine can open; class web --bind 0.0.0.0, or --url\n`);
    const instructor = print.formatInstructorLogin(args.instructor ? join.loginLink(base, logins.instructor) : undefined);
    if (args.html === undefined) {
      console.log(`${print.formatCardsText(cards, extras)}\n\n${instructor}`);
      return;
    }
    const page = args.html;
    // Every student's login is on the page: readable by the instructor alone, as the logins file is.
    // writeFile's mode applies only to a file it creates: a page printed over an older one is made 0600 too.
    await writeFile(page, print.formatCardsHtml(`swarmlab class ${spec.prefix}: cards`, cards, extras), { mode: 0o600 })
      .then(() => chmod(page, 0o600))
      .catch((err: unknown) => {
        const { problem, fix } = describeOutputError(page, err, path.join(page, 'cards.html'));
        throw new LabError(problem, { fix });
      });
    console.log(`Wrote ${cards.length} cards to ${args.html}.`);
    console.log(instructor);
  },
};
