/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The right-hand panel of a student's page: the current task, Check and Hint, and the course
// with a Start per exercise. Each button runs the student's own `swarmlab exercise ...` on the
// server, which can take a minute (Start prepares the lab): one at a time, the buttons
// disabled and a busy line shown meanwhile. Read-only (the instructor watching): no buttons.
import type { CheckReport, ExerciseListing } from '../student-exercises.js';
import { failed, LoginGone, type StudentApi } from './api.js';
import { byId, el } from './dom.js';
import { type TaskLine, taskLines, taskPieces } from './task-text.js';

type Check = Extract<CheckReport, { checks: unknown }>['checks'][number];

const clock = () => new Date().toTimeString().slice(0, 8);

export class ExercisePanel {
  private readonly task = byId('task');
  private readonly checkButton = byId<HTMLButtonElement>('check');
  private readonly hintButton = byId<HTMLButtonElement>('hint');
  private readonly busyLine = byId('busy');
  private readonly checkResult = byId('check-result');
  private readonly hintText = byId('hint-text');
  private readonly startText = byId('start-text');
  private readonly list = byId('exercise-list');
  private busy = false;
  private current: string | null = null;
  /** The listing on the page now, as JSON. */
  private shown = '';

  constructor(
    private readonly api: StudentApi,
    private readonly readOnly: boolean,
  ) {
    if (readOnly) {
      byId('actions').remove();
      return;
    }
    this.checkButton.addEventListener('click', () => void this.check());
    this.hintButton.addEventListener('click', () => void this.hint());
  }

  /** The course list and the current task, as the server has them now. */
  async refresh(): Promise<void> {
    const listing = await this.api.exercises().catch(ignoreLoginGone);
    if (!listing) return;
    if (failed(listing)) {
      this.shown = '';
      this.task.replaceChildren(el('span', { class: 'error', text: `The exercises cannot be read: ${listing.error}` }));
      return;
    }
    this.current = listing.current;
    // Drawn again only when it changed: a redraw would lose where the reader scrolled the task to.
    const seen = JSON.stringify(listing);
    if (seen !== this.shown) {
      this.shown = seen;
      this.renderTask(listing);
      this.renderList(listing);
    }
    this.setBusy(this.busy);
  }

  private renderTask(listing: ExerciseListing): void {
    if (!listing.task) {
      const what = this.readOnly ? 'No exercise started yet.' : 'No exercise started yet: pick one in the course below and press Start.';
      this.task.replaceChildren(el('span', { class: 'quiet', text: what }));
      return;
    }
    this.task.replaceChildren(...taskLines(listing.task.text).map(taskLine));
  }

  private renderList(listing: ExerciseListing): void {
    const rows = listing.exercises.map((e) => {
      const current = e.id === listing.current;
      const classes = ['exercise', `status-${e.status.replace(/[^a-z]+/g, '-')}`, current ? 'current' : ''].filter(Boolean).join(' ');
      const start = this.readOnly
        ? null
        : el('button', { class: 'start', text: 'Start', attrs: { type: 'button', title: `Start ${e.id}: prepares your lab for it` } });
      start?.addEventListener('click', () => void this.start(e.id));
      return el(
        'li',
        { class: classes, attrs: { 'data-exercise': e.id } },
        el('span', { class: 'order', text: e.order !== null ? String(e.order) : '·' }),
        el('span', { class: 'title', text: e.title, attrs: { title: e.id } }),
        el('span', { class: 'status', text: current ? `current · ${e.status}` : e.status }),
        start,
      );
    });
    this.list.replaceChildren(...rows);
  }

  /** While one runs, every button waits (the server would refuse a second one anyway). */
  private setBusy(busy: boolean, label = ''): void {
    this.busy = busy;
    if (this.readOnly) return;
    this.busyLine.textContent = busy ? label : '';
    this.busyLine.hidden = !busy;
    this.checkButton.disabled = busy || this.current === null;
    this.hintButton.disabled = busy || this.current === null;
    for (const button of this.list.querySelectorAll('button')) button.disabled = busy;
  }

  private async running(label: string, work: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.setBusy(true, label);
    try {
      await work();
    } catch (err) {
      if (!(err instanceof LoginGone)) throw err;
    } finally {
      this.setBusy(false);
    }
  }

  async check(): Promise<void> {
    await this.running('Checking your lab…', async () => {
      this.hintText.replaceChildren();
      this.startText.replaceChildren();
      const report = await this.api.check();
      this.checkResult.replaceChildren(...checkReport(report));
      this.checkResult.scrollIntoView({ block: 'nearest' });
      await this.refresh();
    });
  }

  async hint(): Promise<void> {
    await this.running('Finding a hint…', async () => {
      const hint = await this.api.hint();
      this.hintText.replaceChildren(failed(hint) ? el('span', { class: 'error', text: hint.error }) : withCode(hint.text));
    });
  }

  async start(id: string): Promise<void> {
    await this.running(`Starting ${id}: preparing your lab, this can take a minute…`, async () => {
      this.checkResult.replaceChildren();
      this.hintText.replaceChildren();
      this.startText.replaceChildren();
      const started = await this.api.start(id);
      if (failed(started)) this.startText.replaceChildren(el('span', { class: 'error', text: started.error }));
      else
        this.startText.replaceChildren(
          el('span', { class: started.ok ? '' : 'error', text: started.text || (started.ok ? `${id} started.` : `${id} did not start.`) }),
        );
      await this.refresh();
    });
  }
}

/** A Check's answer as the page shows it: a summary line, then ✔ or ✘ per check, a failing one's hint under it. */
function checkReport(report: CheckReport): HTMLElement[] {
  if (failed(report)) return [el('div', { class: 'summary failing error', text: `✘ The check could not run: ${report.error}` })];
  // As at a terminal: a check waiting for another is not passing yet; one that does not apply here is not counted.
  const counted = report.checks.filter((c) => !c.skipped || c.waitsFor);
  const failing = counted.filter((c) => !c.passed || c.waitsFor).length;
  const summary = report.passed
    ? `✔ ${report.exercise}: every check passes (${counted.length} of ${counted.length})`
    : `✘ ${report.exercise}: ${failing} of ${counted.length} checks failing`;
  return [
    el('div', { class: `summary ${report.passed ? 'passed' : 'failing'}`, text: `${summary}, checked at ${clock()}` }),
    el('ul', { class: 'checks' }, ...report.checks.map(checkLine)),
  ];
}

function checkLine(check: Check): HTMLElement {
  if (check.skipped)
    return el(
      'li',
      { class: check.waitsFor ? 'waiting' : 'skipped', attrs: { 'data-check': check.id } },
      el('span', { class: 'mark', text: '–' }),
      el('span', { class: 'message', text: `${check.id}: ${check.skipped}` }),
    );
  return el(
    'li',
    { class: check.passed ? 'passed' : 'failing', attrs: { 'data-check': check.id } },
    el('span', { class: 'mark', text: check.passed ? '✔' : '✘' }),
    el('span', { class: 'message', text: `${check.id}: ${check.message}` }),
    !check.passed && check.hint ? el('div', { class: 'hint' }, withCode(check.hint)) : null,
  );
}

/** Text with its `backticked` commands as <code>. */
function withCode(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  fragment.append(...taskPieces(text).map((p) => (p.code ? el('code', { text: p.text }) : p.text)));
  return fragment;
}

function taskLine(line: TaskLine): HTMLElement {
  if (line.kind === 'blank') return el('div', { class: 'gap' });
  const element = line.kind === 'code' ? el('code', { class: 'line', text: line.text }) : el('div', { class: 'line' }, withCode(line.text));
  // Columns of the terminal's text as the panel's indents (ch: the width of a digit, close enough).
  const hang = line.hang ?? 0;
  element.style.marginLeft = `${line.indent + hang}ch`;
  if (hang > 0) element.style.textIndent = `-${hang}ch`;
  return element;
}

function ignoreLoginGone(err: unknown): undefined {
  if (err instanceof LoginGone) return undefined;
  throw err;
}
