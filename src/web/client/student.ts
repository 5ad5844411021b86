/// <reference lib="dom" />
// The student's page, /s/sNN/ (bundled with xterm.js into dist/web/student.js by
// scripts/build.mjs; templates/class/student.html is its markup): a terminal per node of the
// student's lab on the left, the exercise panel on the right, the lab's ports below it.
// /s/sNN/?watch is the instructor's read-only view of the same page: the student's open
// terminals as they are typed in, and the panel without its buttons.
import { failed, type LabInfo, LoginGone, type OpenTerminal, StudentApi } from './api.js';
import { byId, el } from './dom.js';
import { ExercisePanel } from './exercise-panel.js';
import { TerminalPane } from './terminal-pane.js';

const LAB_EVERY_MS = 15_000;
const TERMINALS_EVERY_MS = 2_000;
const EXERCISES_WATCHED_EVERY_MS = 10_000;

const panes = new Map<string, { pane: TerminalPane; tab: HTMLButtonElement }>();
let active: string | undefined;
let gone = false;

/** Every 401 ends here: nothing on the page works any more, so it says what to do. */
function loginGone(): void {
  if (gone) return;
  gone = true;
  for (const { pane } of panes.values()) pane.dispose();
  panes.clear();
  document.title = 'swarmlab: not logged in';
  document.body.className = 'gone';
  document.body.replaceChildren(el('div', { attrs: { id: 'login-gone' }, text: 'Your login has expired or is not valid: open the link on your card again.' }));
}

function show(key: string): void {
  active = key;
  for (const [k, { pane, tab }] of panes) {
    const shown = k === key;
    tab.classList.toggle('active', shown);
    tab.setAttribute('aria-selected', String(shown));
    if (shown) pane.show();
    else pane.hide();
  }
}

function addPane(key: string, pane: TerminalPane, tab: HTMLButtonElement): void {
  tab.type = 'button';
  tab.setAttribute('role', 'tab');
  tab.addEventListener('click', () => show(key));
  panes.set(key, { pane, tab });
  byId('tabs').append(tab);
  byId('panes').append(pane.element);
}

function markState(tab: HTMLElement, state: 'connecting' | 'open' | 'closed'): void {
  tab.classList.toggle('closed', state === 'closed');
}

function renderLab(lab: LabInfo): void {
  byId('lab-title').textContent = `${lab.id}, lab ${lab.lab}`;
  const s = lab.status;
  const status = byId('lab-status');
  if (!s) status.replaceChildren();
  else if (s.problem) status.replaceChildren(el('span', { class: 'error', text: s.problem }));
  else {
    const nodes = el('span', { class: s.up ? 'ok' : 'error', text: `${s.nodesReady}/${s.nodes} nodes Ready` });
    status.replaceChildren(nodes, ` · leader ${s.leader ?? 'none'} · tasks ${s.tasksRunning}/${s.tasksDesired} · ${s.passed} passed`);
  }
  const ports = lab.ports.map((p) =>
    el(
      'li',
      {},
      el('a', { text: `port ${p.container}`, attrs: { href: p.url, target: '_blank', rel: 'noopener' } }),
      el('span', { class: 'quiet', text: ` of the manager (opens a new tab)` }),
    ),
  );
  byId('ports').replaceChildren(...(ports.length > 0 ? ports : [el('li', { class: 'quiet', text: 'This lab publishes no ports.' })]));
}

/** Finds out whether a closed socket was a login that went away (a refused handshake is only a close). */
function closedTerminal(api: StudentApi): void {
  api.terminals().catch((err: unknown) => {
    if (!(err instanceof LoginGone)) throw err;
  });
}

async function readLab(api: StudentApi): Promise<LabInfo | undefined> {
  const lab = await api.lab().catch((err: unknown) => {
    if (err instanceof LoginGone) return undefined;
    throw err;
  });
  if (!lab) return undefined;
  if (failed(lab)) {
    byId('lab-status').replaceChildren(el('span', { class: 'error', text: `The lab cannot be read: ${lab.error}` }));
    return undefined;
  }
  renderLab(lab);
  return lab;
}

/** The student's own page: a tab per node, each a shell in that node. */
async function studentTerminals(api: StudentApi): Promise<void> {
  const addNodes = (lab: LabInfo) => {
    for (const node of lab.nodes) {
      if (panes.has(node.name)) continue;
      const tab = el(
        'button',
        { class: 'tab', attrs: { 'data-node': node.name, title: `a shell in ${node.name} (${node.role})` } },
        node.name,
        el('small', { text: ` ${node.role}` }),
      );
      const pane = new TerminalPane({
        key: node.name,
        readOnly: false,
        socketUrl: ({ cols, rows }) => api.socketUrl(`term?node=${encodeURIComponent(node.name)}&cols=${cols}&rows=${rows}`),
        onClose: () => closedTerminal(api),
        onState: (state) => markState(tab, state),
      });
      addPane(node.name, pane, tab);
    }
  };
  const empty = el('p', { class: 'quiet empty', text: 'Your lab has no nodes yet (or they cannot be read): ask the instructor.' });
  byId('panes').append(empty);
  // Read again now and then: the header's status, and nodes the lab did not have at first.
  const refresh = async () => {
    const lab = await readLab(api);
    if (lab) addNodes(lab);
    if (active === undefined && lab?.nodes[0]) show(lab.nodes[0].name);
    empty.hidden = panes.size > 0;
  };
  await refresh();
  every(LAB_EVERY_MS, refresh);
}

/** The instructor's view: the student's open terminals, read-only, found by polling. */
async function watchedTerminals(api: StudentApi): Promise<void> {
  byId('watch-banner').textContent = `watching ${api.student} (read-only)`;
  byId('watch-banner').hidden = false;
  const refreshLab = async () => {
    await readLab(api);
  };
  void refreshLab();
  every(LAB_EVERY_MS, refreshLab);
  const empty = el('p', { class: 'quiet empty', text: `${api.student} has no terminal open.` });
  byId('panes').append(empty);
  const poll = async () => {
    const open = await api.terminals().catch((err: unknown) => {
      if (err instanceof LoginGone) return undefined;
      throw err;
    });
    if (!open || failed(open)) return;
    const listed = new Map(open.map((t) => [t.id, t] as const));
    for (const t of open) {
      const size = sizeOf(t);
      const known = panes.get(t.id);
      if (known) known.pane.setSize(size);
      else watch(api, t, size);
    }
    // A terminal the student closed stays (with its last screen) while it is shown.
    for (const [id, { pane, tab }] of panes) {
      const ended = !listed.has(id);
      tab.classList.toggle('ended', ended);
      if (ended && pane.closed && id !== active) {
        pane.dispose();
        tab.remove();
        panes.delete(id);
      }
    }
    empty.hidden = panes.size > 0;
    if ((active === undefined || !panes.has(active)) && panes.size > 0) show(panes.keys().next().value!);
  };
  await poll();
  every(TERMINALS_EVERY_MS, poll);
}

function sizeOf(t: OpenTerminal): { cols: number; rows: number } | undefined {
  return typeof t.cols === 'number' && typeof t.rows === 'number' && t.cols > 0 && t.rows > 0 ? { cols: t.cols, rows: t.rows } : undefined;
}

function watch(api: StudentApi, t: OpenTerminal, size: { cols: number; rows: number } | undefined): void {
  const opened = Number.isNaN(Date.parse(t.openedAt)) ? '' : new Date(t.openedAt).toTimeString().slice(0, 5);
  const tab = el(
    'button',
    { class: 'tab', attrs: { 'data-watch': t.id, 'data-node': t.node, title: `terminal ${t.id}` } },
    t.node,
    el('small', { text: ` ${opened}` }),
  );
  const pane = new TerminalPane({
    key: t.id,
    readOnly: true,
    size,
    socketUrl: () => api.socketUrl(`watch/${encodeURIComponent(t.id)}`),
    onClose: () => closedTerminal(api),
    onState: (state) => markState(tab, state),
  });
  addPane(t.id, pane, tab);
}

/** Runs `work` every `ms` while the page is shown, one at a time, until the login is gone. */
function every(ms: number, work: () => Promise<void>): void {
  const tick = async () => {
    if (gone) return;
    if (document.visibilityState === 'visible') await work().catch((err: unknown) => console.error(err));
    if (!gone) setTimeout(() => void tick(), ms);
  };
  setTimeout(() => void tick(), ms);
}

function fitOnResize(): void {
  let queued = false;
  new ResizeObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      if (active) panes.get(active)?.pane.resize();
    });
  }).observe(byId('panes'));
}

async function main(): Promise<void> {
  const student = /^\/s\/(s\d{2})\//.exec(location.pathname)?.[1];
  if (!student) {
    document.body.replaceChildren(el('p', { class: 'error', text: `This page belongs at /s/sNN/, not ${location.pathname}.` }));
    return;
  }
  const watching = new URLSearchParams(location.search).has('watch');
  document.body.classList.toggle('watching', watching);
  document.title = watching ? `watching ${student}: swarmlab` : `${student}: swarmlab`;
  const api = new StudentApi(student, loginGone);
  const panel = new ExercisePanel(api, watching);
  fitOnResize();
  await Promise.all([watching ? watchedTerminals(api) : studentTerminals(api), panel.refresh()]);
  if (watching) every(EXERCISES_WATCHED_EVERY_MS, () => panel.refresh());
}

void main();
