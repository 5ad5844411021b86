// How a class reads: the roster of labs and ports, the instructor's status grid, and the cards
// handed to students (text, and one printable HTML page). Pure.
import path from 'node:path';
import type { StudentLab } from '../class/plan.js';
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

function ago(iso: string | null, now: Date): string {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  return seconds < 60 ? `${seconds}s ago` : seconds < 3600 ? `${Math.round(seconds / 60)}m ago` : `${Math.round(seconds / 3600)}h ago`;
}

export function formatClassStatus(rows: StudentStatus[], exercises: number, now: Date): string {
  const body = rows.map((r) => [
    r.id,
    r.engine,
    r.problem ?? `${r.nodesReady}/${r.nodes} Ready`,
    r.leader ?? '',
    `${r.tasksRunning}/${r.tasksDesired}`,
    `${r.passed}/${exercises}`,
    r.current ?? '',
    (r.failing ?? '').slice(0, 60),
    ago(r.lastCheck, now),
  ]);
  const up = rows.filter((r) => r.up).length;
  return `${table(['STUDENT', 'ENGINE', 'NODES', 'LEADER', 'TASKS', 'PASSED', 'EXERCISE', 'FAILING CHECK', 'LAST CHECK'], body)}\n${up} of ${rows.length} labs up.`;
}

export interface Card {
  student: StudentLab;
  directory: string;
  engine: string;
  /** Where the lab's engine is not the machine's default, what DOCKER_HOST must say. */
  dockerHost?: string;
}

function cardLines(card: Card): string[] {
  const { student } = card;
  const port = (n: number) => student.ports.find((p) => p.container === n)?.host;
  return [
    `Student ${student.id}: lab ${student.lab} (engine ${card.engine})`,
    `  Your lab directory:  ${card.directory}`,
    `  Registry from your machine: 127.0.0.1:${student.registryPort}; inside the nodes: registry:5000`,
    `  The manager's port 80: http://127.0.0.1:${port(80)}/   port 9000: http://127.0.0.1:${port(9000)}/`,
    ...(card.dockerHost ? [`  Engine:   export DOCKER_HOST=${card.dockerHost}   (before every command below)`] : []),
    `  Start:    cd ${card.directory} && npx swarmlab status`,
    // class up forms each swarm: the course's first exercise (swarm-init, by hand) begins with a down.
    '  Then:     npx swarmlab exercise list; npx swarmlab exercise start lab-registry   (swarm-init: swarmlab down first)',
    '  Check:    npx swarmlab exercise check        Hint: npx swarmlab exercise hint',
  ];
}

export function formatCardsText(cards: Card[]): string {
  return cards.map((c) => cardLines(c).join('\n')).join('\n\n');
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One page per student when printed. */
export function formatCardsHtml(title: string, cards: Card[]): string {
  const sections = cards.map((c) => {
    const [head, ...rest] = cardLines(c);
    return `<section class="card"><h2>${escapeHtml(head!)}</h2><pre>${rest.map((l) => escapeHtml(l.trim())).join('\n')}</pre></section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1.5rem; }
.card { border: 1px solid #999; border-radius: 8px; padding: 1rem 1.2rem; margin-bottom: 1.2rem; page-break-after: always; }
.card h2 { font-size: 1.1rem; margin: 0 0 .6rem; }
pre { font: 13px/1.6 ui-monospace, monospace; margin: 0; white-space: pre-wrap; }
</style></head>
<body>
${sections.join('\n')}
</body></html>
`;
}
