import type { CommandModule } from 'yargs';
import type { ClassSpec, StudentLab } from '../../../class/plan.js';
import { NODE_CUTS_FLAG_HELP, parseNodeCuts } from '../../../spec/node-cuts.js';
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
    const [
      { readClass, writeClass },
      plan,
      { labEstimateBytes, placeStudents },
      { SpecError },
      { prepareStudents, runForStudents },
      engines,
      { formatRoster },
      { upHere },
      { currentEndpoint },
      { engineKey },
    ] = await Promise.all([
      import('../../../class/roster.js'),
      import('../../../class/plan.js'),
      import('../../../class/placement.js'),
      import('../../../errors.js'),
      import('../../class-run.js'),
      import('../../class-engines.js'),
      import('../../print-class.js'),
      import('../../class-up-here.js'),
      import('../../../engine/current-endpoint.js'),
      import('../../../engine/endpoint.js'),
    ]);
    const recorded = await readClass(args.dir);
    const spec = {
      prefix: args.prefix ?? recorded?.prefix ?? 'class',
      students: args.students ?? recorded?.students ?? Number.NaN,
      managers: args.managers ?? recorded?.managers ?? 1,
      workers: args.workers ?? recorded?.workers ?? 3,
      basePort: args['base-port'] ?? recorded?.basePort ?? plan.DEFAULT_BASE_PORT,
      engines: args.engine ?? recorded?.engines ?? ['default'],
      placement: recorded?.placement ?? {},
      ...((args.mirror ?? recorded?.mirror) ? { mirror: true } : {}),
      ...plan.classImages(process.env, recorded),
      ...runtimeOf(args.runtime, recorded?.runtime),
      ...nodeCutsOf(args['node-cuts'], recorded?.nodeCuts),
    };
    if (args.students === undefined && !recorded)
      throw new SpecError([{ field: '--students', problem: 'is missing (no class here yet)', fix: 'e.g. swarmlab class up --students 24' }]);
    const problems = plan.validateClass(spec);
    for (const [field, value, least] of [
      ['--concurrency', args.concurrency, 1],
      ['--timeout', args.timeout, 1],
    ] as const) {
      if (!Number.isInteger(value) || value < least)
        problems.push({ field, problem: `must be a whole number of at least ${least} (got ${value})`, fix: `e.g. ${field} 4` });
    }
    if (problems.length > 0) throw new SpecError(problems);
    if (recorded) await refuseLeavingLabsBehind(recorded, spec);
    const clients = engines.classEngines(spec.engines);
    const ids = plan.planClass(spec).map((s) => s.id);
    const placed = placeStudents(ids, await engines.engineRooms(clients), labEstimateBytes(spec.managers, spec.workers), spec.placement);
    if (placed.problems.length > 0) throw new SpecError(placed.problems);
    const placedSpec = { ...spec, placement: placed.placement };
    // Before anything is written: the runtime on every engine, and the port block free of other labs.
    const { checkClassEngines } = await import('../../class-preflight.js');
    await checkClassEngines(placedSpec, plan.planClass(placedSpec), clients, {
      field: args.runtime !== undefined ? '--runtime' : 'class.yaml: runtime',
      leaveOut: args.runtime !== undefined ? 'leave out --runtime' : 'class up --runtime none',
    });
    await writeClass(args.dir, placedSpec);
    const students = plan.planClass(placedSpec);
    // Each student's login for the class server (the cards print them); kept across down and up.
    await (await import('../../../web/logins.js')).ensureLogins(
      args.dir,
      students.map((s) => s.id),
    );
    await prepareStudents(args.dir, placedSpec, students);
    const envOf = (student: (typeof students)[number]) => engines.studentEnvironment(engines.engineOf(clients, student));
    if (placedSpec.mirror) await startMirrors(args.dir, students, envOf);
    // Labs on this process's own engine come up in this process (class-up-here.ts).
    const thisEngine = engineKey(currentEndpoint());
    const up = upHere(args.timeout);
    const here = (student: StudentLab) => (engineKey(engines.engineOf(clients, student).endpoint) === thisEngine ? up : undefined);
    // Ctrl-C: each lab coming up in this process stops and cleans up by itself (as a child
    // does); the students not started yet are not started.
    const interrupt = new AbortController();
    const onSignal = () => interrupt.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const failed = await runForStudents(args.dir, students, 'up', ['up', '--timeout', String(args.timeout)], args.concurrency, {
      envOf,
      here,
      signal: interrupt.signal,
    }).finally(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
    console.log(formatRoster(args.dir, students));
    console.log(
      `${students.length - failed.length} of ${students.length} labs up.${failed.length > 0 ? ` Failed: ${failed.join(', ')} (logs in .swarmlab/class/; swarmlab class up again repairs them).` : ''}`,
    );
    if (failed.length > 0) process.exitCode = interrupt.signal.aborted ? 130 : 1;
  },
};

/** The class's node cuts: the flag's, else those class.yaml recorded; unset is the default cuts. */
function nodeCutsOf(flag: string | undefined, recorded: string[] | undefined): { nodeCuts?: string[] } {
  const nodeCuts = flag === undefined ? recorded : parseNodeCuts(flag);
  return nodeCuts === undefined ? {} : { nodeCuts };
}

/** The class's runtime: the flag (`none` clears it), else the one class.yaml recorded. */
function runtimeOf(flag: string | undefined, recorded: string | undefined): { runtime?: string } {
  const runtime = flag === 'none' ? undefined : (flag ?? recorded);
  return runtime === undefined ? {} : { runtime };
}

/** A new prefix, base port or fewer students would orphan the labs that exist under the old ones: refused, naming them. */
async function refuseLeavingLabsBehind(recorded: ClassSpec, next: ClassSpec): Promise<void> {
  const [plan, engines, { SpecError }, { LABEL_LAB }] = await Promise.all([
    import('../../../class/plan.js'),
    import('../../class-engines.js'),
    import('../../../errors.js'),
    import('../../../plan/labels.js'),
  ]);
  const left = plan.labsLeftBehind(recorded, next);
  if (!left) return;
  const clients = engines.classEngines(recorded.engines);
  const existing = await Promise.all(
    left.students.map(async (s) => ((await engines.engineOf(clients, s).client.listContainers({ [LABEL_LAB]: s.lab })).length > 0 ? s.lab : undefined)),
  );
  const labs = existing.filter((lab): lab is string => lab !== undefined);
  if (labs.length > 0) throw new SpecError([plan.leftBehindProblem(labs, left.field, left.keep)]);
}

/** One mirror on each engine the class's labs are on (`mirror up` is a no-op where one runs). */
async function startMirrors(classDir: string, students: StudentLab[], envOf: (student: StudentLab) => Record<string, string>): Promise<void> {
  const [{ runSwarmlab }, { LabError }] = await Promise.all([import('../../run-swarmlab.js'), import('../../../errors.js')]);
  const firstOnEach = [...new Map(students.map((s) => [s.engine, s])).values()];
  for (const student of firstOnEach) {
    const lines: string[] = [];
    const exitCode = await runSwarmlab(['mirror', 'up'], classDir, (line) => lines.push(line), envOf(student));
    if (exitCode !== 0)
      throw new LabError(`the mirror on engine ${student.engine} did not start: ${lines.filter((l) => l.startsWith('error:')).pop() ?? `exit ${exitCode}`}`);
    console.log(`mirror on ${student.engine}: ${lines.find((l) => l.startsWith('Mirror')) ?? 'up'}`);
  }
}
