import type { CommandModule } from 'yargs';
import { type ClassArgs, withClassOptions } from '../../class-options.js';

interface CardsArgs extends ClassArgs {
  html?: string;
}

export const classCardsCommand: CommandModule<object, CardsArgs> = {
  command: 'cards',
  describe: 'What each student needs (lab, directory, ports, the commands to reach it), as text, or one printable HTML page with --html FILE',
  builder: (y) => withClassOptions(y).option('html', { type: 'string', describe: 'Write the cards as one HTML page, a card per printed page' }),
  async handler(args) {
    const [{ requireClass }, { planClass }, print, { writeFile }, path, engines, { LabError, SpecError }, { describeOutputError }] = await Promise.all([
      import('../../../class/roster.js'),
      import('../../../class/plan.js'),
      import('../../print-class.js'),
      import('node:fs/promises'),
      import('node:path'),
      import('../../class-engines.js'),
      import('../../../errors.js'),
      import('../../../system-errors.js'),
    ]);
    const spec = await requireClass(args.dir);
    const clients = engines.classEngines(spec.engines);
    const cards = planClass(spec).map((student) => {
      const engine = engines.engineOf(clients, student);
      return {
        student,
        directory: path.join(path.resolve(args.dir), student.dir),
        engine: engine.name,
        dockerHost: engine.name === 'default' ? undefined : engine.endpoint.host,
      };
    });
    if (args.html === undefined) {
      console.log(print.formatCardsText(cards));
      return;
    }
    if (args.html === '') throw new SpecError([{ field: '--html', problem: 'names no file', fix: 'e.g. --html cards.html' }]);
    const page = args.html;
    await writeFile(page, print.formatCardsHtml(`swarmlab class ${spec.prefix}: cards`, cards)).catch((err: unknown) => {
      const { problem, fix } = describeOutputError(page, err, path.join(page, 'cards.html'));
      throw new LabError(problem, { fix });
    });
    console.log(`Wrote ${cards.length} cards to ${args.html}.`);
  },
};
