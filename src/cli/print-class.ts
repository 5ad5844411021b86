// How a class reads: the roster of labs and ports, the instructor's status grid, and the cards
// handed to students (text, and one printable HTML page). Pure.
import path from 'node:path';
import type { Card, CardsExtras } from '../class/class-cards.js';
import type { StudentLab } from '../class/plan.js';
import type { StudentReset } from '../class/reset-students.js';
import type { StudentStatus } from '../class/student-status.js';
import { table } from './output.js';

export function formatRoster(classDir: string, students: StudentLab[]): string {
  const rows = students.map((s) => [
    s.id,
    s.lab,
    s.engine,
    path.join(classDir, s.dir),
    `127.0.0.1:${s.registryPort}`,
    s.ports.map((p) => `${p.host}->${p.container}`).join(', '),
  ]);
  return table(['STUDENT', 'LAB', 'ENGINE', 'DIRECTORY', 'REGISTRY', 'MANAGER PORTS'], rows);
}

/** `class exec`: each student's output under their name, in the class's order. */
export function formatStudentOutputs(students: StudentLab[], outputs: Map<string, string[]>): string[] {
  return students.map((student) => [`── ${student.id} (${student.lab}) ──`, ...(outputs.get(student.id) ?? []).map((l) => `  ${l}`)].join('\n'));
}

/** `class reset`: where a student with a fresh lab stands with the exercise they were on. */
export function formatStudentReset({ student, exercise, setUp }: StudentReset): string {
  if (!exercise) return `${student.id} has a fresh lab; no exercise was started, so none is set up.`;
  if (setUp) return `${student.id} has a fresh lab; exercise ${exercise} is set up again (as exercise start does).`;
  return `${student.id} has a fresh lab, but exercise ${exercise} could not be set up again, so it starts from a bare lab (log: .swarmlab/class/${student.id}.exercise.log); fix: swarmlab class exec --students ${student.id} -- exercise start ${exercise}`;
}

function ago(iso: string | null, now: Date): string {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  return seconds < 60 ? `${seconds}s ago` : seconds < 3600 ? `${Math.round(seconds / 60)}m ago` : `${Math.round(seconds / 3600)}h ago`;
}

/** The current exercise and where it stands: `lost-quorum (drill) failing`. */
export function currentExercise(row: Pick<StudentStatus, 'current' | 'currentState' | 'drill'>): string {
  if (!row.current) return '';
  return `${row.current}${row.drill ? ' (drill)' : ''} ${row.currentState === 'started' ? 'not checked yet' : row.currentState}`;
}

export function formatClassStatus(rows: StudentStatus[], now: Date): string {
  const body = rows.map((r) => [
    r.id,
    r.engine,
    r.problem ?? `${r.nodesReady}/${r.nodes} Ready`,
    r.leader ?? '',
    `${r.tasksRunning}/${r.tasksDesired}`,
    `${r.passed}/${r.exercises}`,
    currentExercise(r),
    (r.failing ?? '').slice(0, 60),
    ago(r.lastCheck, now),
  ]);
  const up = rows.filter((r) => r.up).length;
  return `${table(['STUDENT', 'ENGINE', 'NODES', 'LEADER', 'TASKS', 'PASSED', 'EXERCISE', 'FAILING CHECK', 'LAST CHECK'], body)}\n${up} of ${rows.length} labs up.`;
}

const heading = (card: Card) => `Student ${card.student.id}: lab ${card.student.lab} (engine ${card.engine})`;
const fingerprintLine = (fingerprint: string) => `The page's certificate fingerprint (SHA-256): ${fingerprint}`;

/** The lab itself, for someone at the instructor's machine (or one with its engine). */
function labLines(card: Card): string[] {
  const { student } = card;
  const port = (n: number) => student.ports.find((p) => p.container === n)?.host;
  return [
    `Your lab directory:  ${card.directory}`,
    `Registry from your machine: 127.0.0.1:${student.registryPort}; inside the nodes: registry:5000`,
    `The manager's port 80: http://127.0.0.1:${port(80)}/   port 9000: http://127.0.0.1:${port(9000)}/`,
    ...(card.dockerHost
      ? [`Engine:   export DOCKER_HOST=${card.dockerHost}   (before every command below)`]
      : [`Your own docker CLI: docker --context swarmlab-${student.lab} node ls   (or: eval "$(npx swarmlab env)" in your lab directory)`]),
    `Start:    cd ${card.directory} && npx swarmlab status`,
    // class up forms each swarm: the course's first exercise (swarm-init, by hand) begins with a down.
    'Then:     npx swarmlab exercise list; npx swarmlab exercise start lab-registry   (swarm-init: swarmlab down first)',
    'Check:    npx swarmlab exercise check        Hint: npx swarmlab exercise hint',
  ];
}

function cardText(card: Card, extras: CardsExtras): string {
  const indent = (line: string) => `  ${line}`;
  const join = card.login
    ? [
        `Open in your browser: ${card.login.link}`,
        // The QR code's own blank margin lines would read as the end of the card.
        ...card.login.qr.replace(/\n+$/, '').split('\n'),
        ...(extras.fingerprint ? [fingerprintLine(extras.fingerprint)] : []),
        "At the instructor's machine:",
      ]
    : [];
  return [heading(card), ...join.map(indent), ...labLines(card).map((line) => indent(card.login ? indent(line) : line))].join('\n');
}

export function formatCardsText(cards: Card[], extras: CardsExtras = {}): string {
  return cards.map((c) => cardText(c, extras)).join('\n\n');
}

/** The instructor's own link, said apart from the cards (they are handed out), or how to get it. */
export function formatInstructorLogin(link: string | undefined): string {
  return link ? `Instructor (keep this one to yourself): ${link}` : 'swarmlab class cards --instructor prints your own link.';
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One page per student when printed. The QR codes are SVG made by the qrcode package, put in as they are. */
export function formatCardsHtml(title: string, cards: Card[], extras: CardsExtras = {}): string {
  const sections = cards.map((c) => {
    const join = c.login
      ? `<p>Open in your browser:</p>
<p class="link"><a href="${escapeHtml(c.login.link)}">${escapeHtml(c.login.link)}</a></p>
<div class="qr">${c.login.qr}</div>
${extras.fingerprint ? `<p class="fingerprint">${escapeHtml(fingerprintLine(extras.fingerprint))}</p>\n` : ''}<h3>At the instructor's machine:</h3>
`
      : '';
    return `<section class="card"><h2>${escapeHtml(heading(c))}</h2>
${join}<pre>${labLines(c).map(escapeHtml).join('\n')}</pre></section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1.5rem; }
.card { border: 1px solid #999; border-radius: 8px; padding: 1rem 1.2rem; margin-bottom: 1.2rem; page-break-after: always; }
.card h2 { font-size: 1.1rem; margin: 0 0 .6rem; }
.card h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
.link { font: 15px ui-monospace, monospace; word-break: break-all; }
.link a { color: inherit; text-decoration: none; }
.qr svg { width: 45mm; height: 45mm; }
.fingerprint { font: 12px ui-monospace, monospace; word-break: break-all; }
pre { font: 13px/1.6 ui-monospace, monospace; margin: 0; white-space: pre-wrap; }
</style></head>
<body>
${sections.join('\n')}
</body></html>
`;
}
