// A class's plan (labs, directories, port blocks), its students' swarmlab.yaml, the status rows
// and the cards.
import { parse } from 'yaml';
import { chooseStudents } from '../../src/class/choose-students.js';
import { classShapeProblem } from '../../src/class/exercise-shape.js';
import { labEstimateBytes, placeStudents } from '../../src/class/placement.js';
import { classImages, labsLeftBehind, leftBehindProblem, planClass, studentSpecFile, validateClass } from '../../src/class/plan.js';
import { studentCommand } from '../../src/class/student-command.js';
import { studentRow } from '../../src/class/student-status.js';
import { formatCardsHtml, formatCardsText, formatClassStatus } from '../../src/cli/print-class.js';
import { type Catalog, loadCatalog } from '../../src/exercise/catalog.js';
import { emptyProgress, recordCheck, recordStart } from '../../src/exercise/progress.js';
import { resolveSpec } from '../../src/spec/resolve.js';
import type { LabelledNode, NodeState } from '../../src/swarm/node-model.js';
import type { ClusterSnapshot } from '../../src/swarm/snapshot.js';

const spec = { prefix: 'ws', students: 3, managers: 1, workers: 3, basePort: 20000, engines: ['default', 'b'], placement: { s02: 'b' } };

describe('a class plan', () => {
  it('gives each student a lab, a directory and a block of ports of its own', () => {
    expect(planClass(spec)).toEqual([
      {
        id: 's01',
        lab: 'ws-s01',
        dir: 'students/s01',
        registryPort: 20010,
        apiPort: 20013,
        engine: 'default',
        ports: [
          { host: 20011, container: 80 },
          { host: 20012, container: 9000 },
        ],
      },
      {
        id: 's02',
        lab: 'ws-s02',
        dir: 'students/s02',
        registryPort: 20020,
        apiPort: 20023,
        engine: 'b',
        ports: [
          { host: 20021, container: 80 },
          { host: 20022, container: 9000 },
        ],
      },
      {
        id: 's03',
        lab: 'ws-s03',
        dir: 'students/s03',
        registryPort: 20030,
        apiPort: 20033,
        engine: 'default',
        ports: [
          { host: 20031, container: 80 },
          { host: 20032, container: 9000 },
        ],
      },
    ]);
  });

  it("writes each student's swarmlab.yaml as a valid lab spec", () => {
    const text = studentSpecFile(spec, planClass(spec)[1]!);
    expect(parse(text)).toMatchObject({ name: 'ws-s02', managers: 1, workers: 3, registryPort: 20020, apiPort: 20023, ports: ['20021:80', '20022:9000'] });
    expect(resolveSpec({ fileText: text, fileLabel: 'swarmlab.yaml', flags: {}, env: {} }).name).toBe('ws-s02');
  });

  it('writes mirror: true into every lab of a class brought up with --mirror, and nothing without it', () => {
    const withMirror = studentSpecFile({ ...spec, mirror: true }, planClass(spec)[0]!);
    expect(resolveSpec({ fileText: withMirror, fileLabel: 'swarmlab.yaml', flags: {}, env: {} }).mirror).toBe(true);
    expect(studentSpecFile(spec, planClass(spec)[0]!)).not.toContain('mirror');
  });

  it('writes the node cuts a class chose into every lab (none as []), nothing when it chose all; refuses a name it does not know', () => {
    const resolved = (nodeCuts?: string[]) =>
      resolveSpec({
        fileText: studentSpecFile({ ...spec, ...(nodeCuts ? { nodeCuts } : {}) }, planClass(spec)[0]!),
        fileLabel: 'swarmlab.yaml',
        flags: {},
        env: {},
      }).nodeCuts;
    expect(resolved([])).toEqual([]);
    expect(resolved(['gc'])).toEqual(['gc']);
    expect(resolved()).toEqual(['gc', 'ingress']);
    expect(studentSpecFile(spec, planClass(spec)[0]!)).not.toContain('nodeCuts');
    expect(validateClass({ ...spec, nodeCuts: ['gc', 'bridge'] })).toEqual([
      { field: '--node-cuts', problem: '"bridge" is not a cut swarmlab knows', fix: 'name any of gc, default-bridge, ingress, or none' },
    ]);
  });

  it("writes the instructor's images into every student's swarmlab.yaml, whose shell lacks the instructor's variables", () => {
    const env = { SWARMLAB_NODE_IMAGE: 'swarmlab/node:offline', SWARMLAB_IMAGE_ECHO: 'swarmlab/echo:offline', SWARMLAB_IMAGE_OWN: 'me/own:1' };
    const images = classImages(env);
    expect(images).toEqual({ nodeImage: 'swarmlab/node:offline', images: { echo: 'swarmlab/echo:offline', own: 'me/own:1' } });
    const lab = resolveSpec({ fileText: studentSpecFile({ ...spec, ...images }, planClass(spec)[0]!), fileLabel: 'swarmlab.yaml', flags: {}, env: {} });
    expect(lab).toMatchObject({ nodeImage: 'swarmlab/node:offline', registryImage: 'registry:2' });
    expect(lab.images).toMatchObject({ echo: 'swarmlab/echo:offline', proxy: 'gihyodocker/nginx-proxy:latest', own: 'me/own:1' });
    // A later class up from a shell without them keeps what the class recorded; none at all writes none.
    expect(classImages({}, images)).toEqual(images);
    expect(classImages({})).toEqual({});
    expect(studentSpecFile(spec, planClass(spec)[0]!)).not.toMatch(/nodeImage|images/);
  });

  it('refuses bad counts, prefixes and port ranges, all at once', () => {
    const problems = validateClass({ prefix: 'Bad_Prefix', students: 0, managers: 2, workers: 99, basePort: 65000, engines: ['default'], placement: {} });
    expect(problems.map((p) => p.field)).toEqual(['--students', '--managers', '--workers', '--prefix']);
    expect(validateClass({ ...spec, students: 99, basePort: 65000 }).map((p) => p.field)).toEqual(['--base-port']);
  });
});

describe('changing a class that exists', () => {
  it('finds the labs a new prefix, base port or fewer students would leave outside the class', () => {
    const renamed = labsLeftBehind(spec, { ...spec, prefix: 'other' });
    expect(renamed?.students.map((s) => s.lab)).toEqual(['ws-s01', 'ws-s02', 'ws-s03']);
    expect(renamed).toMatchObject({ field: '--prefix', keep: '--prefix ws' });
    expect(labsLeftBehind(spec, { ...spec, basePort: 30000 })).toMatchObject({ field: '--base-port', keep: '--base-port 20000' });
    const fewer = labsLeftBehind(spec, { ...spec, students: 2 });
    expect(fewer?.students.map((s) => s.id)).toEqual(['s03']);
    expect(fewer).toMatchObject({ field: '--students', keep: '--students 3' });
  });

  it('leaves nothing behind when the class only grows or its node counts change', () => {
    expect(labsLeftBehind(spec, { ...spec, students: 5 })).toBeUndefined();
    expect(labsLeftBehind(spec, { ...spec, workers: 1, managers: 3 })).toBeUndefined();
  });

  it('refuses in one line naming the labs, with both ways out', () => {
    expect(leftBehindProblem(['ws-s03'], '--students', '--students 3')).toEqual({
      field: '--students',
      problem: 'would leave ws-s03 running outside the class (class down would no longer remove it)',
      fix: 'swarmlab class down first, or keep --students 3',
    });
  });
});

describe("class exec's command", () => {
  const known = ['up', 'status', 'chaos', 'exercise', 'class'];

  it('takes the command as typed, with or without a leading swarmlab', () => {
    expect(studentCommand(['chaos', 'kill-leader'], known)).toEqual({ argv: ['chaos', 'kill-leader'] });
    expect(studentCommand(['swarmlab', 'chaos', 'kill-leader'], known)).toEqual({ argv: ['chaos', 'kill-leader'] });
    expect(studentCommand(['npx', 'swarmlab', 'status', '--json'], known)).toEqual({ argv: ['status', '--json'] });
  });

  it('refuses, before any lab is touched, what cannot run per student', () => {
    const problem = (typed: string[]) => {
      const chosen = studentCommand(typed, known);
      return 'problem' in chosen ? `${chosen.problem.problem}; fix: ${chosen.problem.fix}` : 'runs';
    };
    expect(problem([])).toBe('no swarmlab command given; fix: e.g. swarmlab class exec -- chaos kill-leader');
    expect(problem(['swarmlab'])).toBe('no swarmlab command given; fix: e.g. swarmlab class exec -- chaos kill-leader');
    expect(problem(['class', 'status'])).toContain('a class command cannot run per student');
    expect(problem(['nosuchcmd'])).toBe('"nosuchcmd" is not a swarmlab command; fix: use one of up, status, chaos, exercise');
    expect(problem(['up', '--name', 'foo'])).toBe('--name is set for each student by class exec; fix: leave it out (--students s01,s03 chooses the labs)');
    expect(problem(['status', '--dir=/tmp'])).toContain('--dir is set for each student');
  });
});

describe('choosing students', () => {
  it('takes a student as an instructor may type one', () => {
    expect(chooseStudents(planClass(spec), 's1,S02, 3').map((s) => s.id)).toEqual(['s01', 's02', 's03']);
    expect(chooseStudents(planClass(spec), undefined)).toHaveLength(3);
  });

  it('names the unknown ones under the flag or argument that took them', () => {
    expect(() => chooseStudents(planClass(spec), 's99', 'STUDENT')).toThrow('STUDENT: no student s99 in this class; fix: use s01..s03');
    expect(() => chooseStudents(planClass(spec), 'bob')).toThrow('--students: no student bob in this class');
  });
});

describe('placement over engines', () => {
  const MiB = 1024 * 1024;
  const each = labEstimateBytes(1, 3);

  it('estimates an idle lab as measured (a 1+3 lab: 190 MiB)', () => {
    expect(each / MiB).toBe(190);
  });

  it('keeps where students are, and puts new ones where most memory is left', () => {
    const rooms = [
      { name: 'a', freeBytes: 1000 * MiB },
      { name: 'b', freeBytes: 600 * MiB },
    ];
    expect(placeStudents(['s01', 's02', 's03', 's04'], rooms, each, { s01: 'b' }).placement).toEqual({ s01: 'b', s02: 'a', s03: 'a', s04: 'a' });
    expect(placeStudents(['s01', 's02', 's03', 's04'], rooms, each, {}).placement).toEqual({ s01: 'a', s02: 'a', s03: 'a', s04: 'b' });
  });

  it('refuses more labs than the engines have room for, saying how many fit', () => {
    const { problems } = placeStudents(['s01', 's02', 's03'], [{ name: 'a', freeBytes: 400 * MiB }], each, {});
    expect(problems[0]).toMatchObject({ field: '--students', problem: 'the engines have room for about 2 labs of this shape (190 MiB each), not 3' });
  });
});

describe('the instructor view', () => {
  const student = planClass(spec)[0]!;
  const node = (hostname: string, role: 'manager' | 'worker', state: NodeState = 'ready'): LabelledNode => ({
    id: hostname,
    hostname,
    role,
    availability: 'active',
    state,
    managerStatus: role === 'manager' ? 'leader' : '',
    labels: {},
  });
  const snapshot: ClusterSnapshot = {
    swarmState: 'active',
    autolock: false,
    isManager: true,
    ipvs: false,
    nodes: [node('manager', 'manager'), node('worker01', 'worker'), node('worker02', 'worker', 'down')],
    services: [
      {
        id: 'svc',
        name: 'echo',
        image: 'e',
        mode: 'replicated',
        replicas: 6,
        networks: [],
        ports: [],
        endpointMode: 'vip',
        secrets: [],
        configs: [],
        env: {},
        constraints: [],
        placementPrefs: [],
        reservedMemory: 0,
        mounts: [],
      },
    ],
    tasks: [1, 2, 3, 4].map((slot) => ({
      id: `t${slot}`,
      serviceId: 'svc',
      slot,
      nodeId: 'worker01',
      desiredState: 'running',
      state: 'running',
      error: '',
      timestamp: '2026-11-23T10:00:00Z',
    })),
    networks: [],
    secrets: [],
    configs: [],
  };

  let catalog: Catalog;
  beforeAll(async () => {
    // The built-in courses only: no lab directory with exercises of its own.
    catalog = await loadCatalog('/nonexistent-lab-dir');
  });

  it("reads a student's lab and progress into one row", () => {
    let progress = recordStart(emptyProgress('ws-s01'), 'scale-echo', new Date('2026-11-23T10:00:00Z'));
    progress = recordCheck(progress, 'scale-echo', [{ id: 'replicas', passed: false, message: 'echo: 4/6 running' }], new Date('2026-11-23T10:05:00Z'));
    const row = studentRow(student, 'local', 5, snapshot, progress, catalog);
    expect(row).toEqual({
      id: 's01',
      lab: 'ws-s01',
      engine: 'local',
      up: false,
      nodesReady: 2,
      nodes: 3,
      leader: 'manager',
      tasksRunning: 4,
      tasksDesired: 6,
      passed: 0,
      exercises: 12,
      current: 'scale-echo',
      currentState: 'failing',
      drill: false,
      failing: 'replicas: echo: 4/6 running',
      lastCheck: '2026-11-23T10:05:00.000Z',
      problem: null,
    });
    const text = formatClassStatus(
      [row, studentRow(planClass(spec)[1]!, 'local', 0, undefined, emptyProgress('ws-s02'), catalog)],
      new Date('2026-11-23T10:06:00Z'),
    );
    expect(text.split('\n')[1]).toMatch(/^s01\s+local\s+2\/3 Ready\s+manager\s+4\/6\s+0\/12\s+scale-echo failing\s+replicas: echo: 4\/6 running\s+1m ago$/);
    expect(text.split('\n')[2]).toMatch(/^s02\s+local\s+no lab \(swarmlab class up repairs it\)\s+0\/0\s+0\/12$/);
    expect(text.split('\n').at(-1)).toBe('0 of 2 labs up.');
  });

  it("shows a drill the instructor started: counted in the course started, not checked yet, then the check's outcome", () => {
    const at = (minute: number) => new Date(`2026-11-23T10:0${minute}:00Z`);
    let progress = recordStart(emptyProgress('ws-s01'), 'lost-quorum', at(0));
    const row = () => studentRow(student, 'local', 5, snapshot, progress, catalog);
    // Only the operations course started: its 11 exercises, not the seeds' 12 too.
    expect(row()).toMatchObject({ current: 'lost-quorum', currentState: 'started', drill: true, passed: 0, exercises: 11 });
    progress = recordCheck(progress, 'lost-quorum', [{ id: 'leader', passed: true, message: '' }], at(1));
    expect(row()).toMatchObject({ currentState: 'passing', passed: 1 });
    // Started again (class exec -- exercise start lost-quorum): the earlier pass is not this drill's.
    progress = recordStart(progress, 'lost-quorum', at(2));
    expect(row()).toMatchObject({ currentState: 'started', passed: 1 });
    progress = recordCheck(progress, 'lost-quorum', [{ id: 'leader', passed: false, message: 'no leader' }], at(3));
    expect(row()).toMatchObject({ currentState: 'failing', failing: 'leader: no leader' });
    // And again: the failure was the last run's.
    progress = recordStart(progress, 'lost-quorum', at(4));
    expect(row()).toMatchObject({ currentState: 'started', failing: null });
    // Both courses started: both counted.
    progress = recordStart(progress, 'scale-echo', at(5));
    expect(row()).toMatchObject({ current: 'scale-echo', currentState: 'started', drill: false, exercises: 23 });
    expect(
      formatClassStatus([studentRow(student, 'local', 5, snapshot, recordStart(emptyProgress('ws-s01'), 'autolock', at(0)), catalog)], at(1)).split('\n')[1],
    ).toContain('autolock (drill) not checked yet');
  });

  it('refuses a drill the class labs are not shaped for, once, before any lab runs it', () => {
    expect(classShapeProblem(['exercise', 'start', 'lost-quorum'], catalog, { managers: 1, workers: 3 })).toEqual({
      field: 'COMMAND',
      problem: "exercise lost-quorum cannot start in this class's labs: it needs 3 managers; the lab has 1 manager (and 3 workers)",
      fix: 'swarmlab class down, then swarmlab class up --managers 3 --workers 3 (every lab in its shape)',
    });
    expect(classShapeProblem(['exercise', 'start', 'lost-quorum'], catalog, { managers: 3, workers: 2 })).toBeUndefined();
    // Fewer workers than an exercise wants are added by start; other commands and unknown ids pass through.
    expect(classShapeProblem(['exercise', 'start', 'scale-echo'], catalog, { managers: 1, workers: 1 })).toBeUndefined();
    expect(classShapeProblem(['chaos', 'lose-quorum'], catalog, { managers: 1, workers: 3 })).toBeUndefined();
    expect(classShapeProblem(['exercise', 'start', 'mine'], catalog, { managers: 1, workers: 3 })).toBeUndefined();
  });

  it('says a lab whose managers are down is down, and how to start them, not that it has no swarm', () => {
    const fromWorker: ClusterSnapshot = { ...snapshot, isManager: false, nodes: [], services: [], tasks: [] };
    expect(studentRow(student, 'local', 5, fromWorker, emptyProgress('ws-s01'), catalog, ['manager']).problem).toBe(
      'manager down (swarmlab class exec --students s01 -- start)',
    );
    expect(studentRow(student, 'local', 5, undefined, emptyProgress('ws-s01'), catalog, ['manager']).problem).toBe(
      'manager down (swarmlab class exec --students s01 -- start)',
    );
    expect(studentRow(student, 'local', 5, undefined, emptyProgress('ws-s01'), catalog).problem).toBe('the swarm does not answer');
    expect(studentRow(student, 'local', 5, { ...fromWorker, swarmState: 'inactive' }, emptyProgress('ws-s01'), catalog).problem).toBe('no swarm yet');
  });

  it('prints a card per student, as text and as a printable page', () => {
    const cards = planClass(spec).map((s) => ({ student: s, directory: `/class/${s.dir}`, engine: 'local' }));
    expect(formatCardsText(cards).split('\n\n')[0]).toContain('Registry from your machine: 127.0.0.1:20010; inside the nodes: registry:5000');
    expect(formatCardsText(cards)).toContain('cd /class/students/s03 && npx swarmlab status');
    expect(formatCardsHtml('t', cards).match(/<section class="card">/g)).toHaveLength(3);
  });
});
