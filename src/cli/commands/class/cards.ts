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
    const [{ classCards }, print, { chmod, writeFile }, path, { LabError, SpecError }, { describeOutputError }] = await Promise.all([
      import('../../../class/class-cards.js'),
      import('../../print-class.js'),
      import('node:fs/promises'),
      import('node:path'),
      import('../../../errors.js'),
      import('../../../system-errors.js'),
    ]);
    if (args.html === '') throw new SpecError([{ field: '--html', problem: 'names no file', fix: 'e.g. --html cards.html' }]);
    const { spec, cards, extras, base, from, instructorLink } = await classCards(args.dir, {
      ...(args.url !== undefined ? { url: args.url } : {}),
      ...(args.students !== undefined ? { only: args.students } : {}),
      qr: args.html === undefined ? 'utf8' : 'svg',
    });
    if (from === 'guessed')
      process.stderr.write(
        `note: no swarmlab class web has run here yet, so the links point at ${base}; start it (--bind 0.0.0.0) before printing, or give --url\n`,
      );
    else if (/^https?:\/\/(127\.|localhost|\[::1\])/.test(base))
      process.stderr.write(`note: the links point at ${base}, which only this machine can open; class web --bind 0.0.0.0, or --url\n`);
    const instructor = print.formatInstructorLogin(args.instructor ? instructorLink : undefined);
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
