// The pure parts of the student's page (src/web/client): how a task printed for a terminal is
// laid out in the panel, and when the page asks the server to pause and resume a terminal.
import { DrawBacklog, PAUSE_ABOVE, RESUME_BELOW } from '../../src/web/client/flow-control.js';
import { taskLines, taskPieces } from '../../src/web/client/task-text.js';

describe("the student page's task text", () => {
  it('joins hard-wrapped prose, keeps the title, fields, commands and tables as lines, and drops the CLI footer', () => {
    const text = [
      'three-managers: Three managers and the quorum',
      'Lab: 1 manager, 3 workers',
      '',
      "With one manager, the swarm's control plane is gone with that manager. The managers keep",
      'the quorum:',
      '',
      '  managers  quorum  can lose',
      '  1         1       0',
      '',
      'Checks:',
      '  - three-managers: the swarm has 3 managers',
      '',
      'Start: swarmlab exercise start three-managers    Check: swarmlab exercise check three-managers',
      '',
    ].join('\n');
    expect(taskLines(text)).toEqual([
      { kind: 'prose', text: 'three-managers: Three managers and the quorum', indent: 0 },
      { kind: 'prose', text: 'Lab: 1 manager, 3 workers', indent: 0 },
      { kind: 'blank', text: '', indent: 0 },
      { kind: 'prose', text: "With one manager, the swarm's control plane is gone with that manager. The managers keep the quorum:", indent: 0 },
      { kind: 'blank', text: '', indent: 0 },
      { kind: 'code', text: 'managers  quorum  can lose', indent: 0 },
      { kind: 'code', text: '1         1       0', indent: 0 },
      { kind: 'blank', text: '', indent: 0 },
      { kind: 'prose', text: 'Checks:', indent: 0 },
      { kind: 'item', text: '- three-managers: the swarm has 3 managers', indent: 2, hang: 2 },
    ]);
  });

  it("keeps a numbered list's commands under their item and joins the item's wrapped text", () => {
    const text = [
      'title',
      '1. Make `manager` the first swarm manager:',
      '     swarmlab docker swarm init',
      '   It prints the command a worker runs to join,',
      '   with the worker JOIN token.',
      '2. Tell HAProxy about nginx: in stack/ch03-webapi.yml, give nginx the variable',
      '   SERVICE_PORTS: 80, and deploy again.',
    ].join('\n');
    expect(taskLines(text)).toEqual([
      { kind: 'prose', text: 'title', indent: 0 },
      { kind: 'item', text: '1. Make `manager` the first swarm manager:', indent: 0, hang: 3 },
      { kind: 'code', text: 'swarmlab docker swarm init', indent: 3 },
      { kind: 'prose', text: 'It prints the command a worker runs to join, with the worker JOIN token.', indent: 3 },
      {
        kind: 'item',
        text: '2. Tell HAProxy about nginx: in stack/ch03-webapi.yml, give nginx the variable SERVICE_PORTS: 80, and deploy again.',
        indent: 0,
        hang: 3,
      },
    ]);
  });

  it('makes backticked commands code, and leaves a lone backtick as it is', () => {
    expect(taskPieces('Print it with `docker swarm join-token worker`.')).toEqual([
      { text: 'Print it with ', code: false },
      { text: 'docker swarm join-token worker', code: true },
      { text: '.', code: false },
    ]);
    expect(taskPieces('a ` b')).toEqual([{ text: 'a ` b', code: false }]);
    expect(taskPieces('`x``y`')).toEqual([
      { text: 'x', code: true },
      { text: 'y', code: true },
    ]);
  });
});

describe("the student page's flow control", () => {
  it('pauses above 512 KiB not yet drawn, resumes below 128 KiB, once each', () => {
    const told: string[] = [];
    const backlog = new DrawBacklog((m) => told.push(m));
    const chunk = 64 * 1024;
    for (let i = 0; i < PAUSE_ABOVE / chunk; i++) backlog.written(chunk);
    expect(told).toEqual([]);
    backlog.written(chunk);
    backlog.written(chunk);
    expect(told).toEqual(['pause']);
    while (backlog.bytes - chunk >= RESUME_BELOW) backlog.drawn(chunk);
    expect(told).toEqual(['pause']);
    backlog.drawn(chunk);
    expect(told).toEqual(['pause', 'resume']);
    backlog.drawn(backlog.bytes);
    expect(told).toEqual(['pause', 'resume']);
  });

  it('starts a new socket unpaused, still counting what the old one wrote', () => {
    const told: string[] = [];
    const backlog = new DrawBacklog((m) => told.push(m));
    backlog.written(PAUSE_ABOVE + 1);
    backlog.newSocket();
    backlog.written(1);
    expect(told).toEqual(['pause', 'pause']);
    expect(backlog.bytes).toBe(PAUSE_ABOVE + 2);
  });
});
