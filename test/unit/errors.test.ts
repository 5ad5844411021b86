// Errors as data: a LabError's fix, node and log tails are fields the CLI and doctor read, and
// a raw system error becomes one line naming the path and the fix.
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { errorReport, usageProblem } from '../../src/cli/error-report.js';
import { LabError, SpecError } from '../../src/errors.js';
import { describeOutputError, describeSystemError } from '../../src/system-errors.js';

async function caught(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('LabError', () => {
  it('keeps the problem and the fix apart, and says them as one line', () => {
    const err = new LabError('lab "a" has no node "worker09"', { fix: 'use one of manager, worker01', node: 'worker09' });
    expect([err.problem, err.fix, err.node]).toEqual(['lab "a" has no node "worker09"', 'use one of manager, worker01', 'worker09']);
    expect(err.message).toBe('lab "a" has no node "worker09"; fix: use one of manager, worker01');
    expect(new LabError('no fix here').message).toBe('no fix here');
  });

  it('said in a wider context, keeps its fix, node, log tails and exit code', () => {
    const inner = new LabError('node worker01 stopped', { fix: 'swarmlab logs worker01', node: 'worker01', details: ['a detail'] });
    inner.exitCode = 130;
    const outer = inner.within('up of lab "a" failed', { logTail: [{ container: 'a-worker01', state: 'exited', lines: ['boom'] }] });
    expect(outer.problem).toBe('up of lab "a" failed: node worker01 stopped');
    expect([outer.fix, outer.node, outer.exitCode]).toEqual(['swarmlab logs worker01', 'worker01', 130]);
    expect(outer.detailLines).toEqual(['a detail', '--- last log lines of a-worker01 (exited) ---', 'boom']);
  });
});

describe('an error report', () => {
  it('names its headline, the last error line, for a list of runs to show: not a detail line, not a secret', () => {
    const lab = errorReport(new LabError('node worker01 did not join', { fix: 'swarmlab up again', details: ['last log line'] }));
    expect(lab).toMatchObject({ exitCode: 1, headline: 'error: node worker01 did not join; fix: swarmlab up again' });
    expect(lab.lines).toEqual([lab.headline, '  last log line']);
    const spec = errorReport(
      new SpecError([
        { field: '--workers', problem: 'must be 0..50', fix: 'pick 3' },
        { field: '--managers', problem: 'must be odd', fix: 'pick 3' },
      ]),
    );
    expect(spec).toMatchObject({ exitCode: 2, headline: 'error: --managers: must be odd; fix: pick 3' });
    const token = `SWMTKN-1-${'a'.repeat(50)}-${'b'.repeat(25)}`;
    expect(errorReport(new Error(`join failed with ${token}`)).headline).not.toContain(token);
  });
});

describe('LabError fix', () => {
  it('is one line, even when it was written over several', () => {
    const err = new LabError('the lab network is gone', { fix: 'swarmlab down,\n  then swarmlab up\n' });
    expect([err.fix, err.message]).toEqual(['swarmlab down, then swarmlab up', 'the lab network is gone; fix: swarmlab down, then swarmlab up']);
  });
});

describe('SpecError', () => {
  it('says each problem on one line, even when a value read from a file holds line breaks', () => {
    const err = new SpecError([
      {
        field: 'exercises/x.yaml: checks[0].fix',
        problem: 'names service "web"\nwhich the task does not make',
        fix: 'deploy it first:\n  swarmlab deploy web\n',
      },
      { field: 'workers', problem: 'is -1', fix: 'use 0 or more' },
    ]);
    expect(err.message.split('\n')).toEqual([
      'exercises/x.yaml: checks[0].fix: names service "web" which the task does not make; fix: deploy it first: swarmlab deploy web',
      'workers: is -1; fix: use 0 or more',
    ]);
  });
});

describe('system errors', () => {
  it('a file that is a directory, or missing, names the path', async () => {
    const dir = await caught(() => writeFile('/tmp', 'x'));
    expect(describeSystemError(dir)).toEqual({ problem: '/tmp is a directory, not a file', fix: 'give the path of a file there' });
    expect(describeSystemError(await caught(() => readFile('/nonexistent/swarmlab.yaml')))?.problem).toBe('/nonexistent/swarmlab.yaml does not exist');
  });

  it('a socket nobody listens on, or may not be opened, says how to reach an engine', async () => {
    const connect = (path: string) =>
      new Promise((_, reject) => {
        const socket = net.connect(path);
        socket.on('error', reject);
      });
    const missing = describeSystemError(await caught(() => connect('/nonexistent/docker.sock')));
    expect(missing).toEqual({ problem: 'no socket at /nonexistent/docker.sock', fix: expect.stringContaining('DOCKER_HOST') });
    expect(describeSystemError({ code: 'EACCES', syscall: 'connect', address: '/var/run/docker.sock' })?.fix).toContain('docker group');
    expect(describeSystemError({ code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 2375 })?.problem).toBe(
      'nothing answers at 127.0.0.1:2375',
    );
  });

  it('leaves other errors alone', () => {
    expect(describeSystemError(new Error('plain'))).toBeUndefined();
    expect(describeSystemError(new LabError('x'))).toBeUndefined();
    expect(describeSystemError(undefined)).toBeUndefined();
  });
});

describe('a file that cannot be written where the user asked', () => {
  it('says whether the path is a directory or its directory is missing, and never to remove anything', async () => {
    const isDir = await caught(() => writeFile('/tmp', 'x'));
    expect(describeOutputError('/tmp', isDir, '/tmp/cards.html')).toEqual({ problem: '/tmp is a directory', fix: 'name a file in it, e.g. /tmp/cards.html' });
    const noDir = await caught(() => writeFile('/nonexistent-swarmlab-dir/c.html', 'x'));
    expect(describeOutputError('/nonexistent-swarmlab-dir/c.html', noDir, 'x')).toEqual({
      problem: 'the directory of /nonexistent-swarmlab-dir/c.html does not exist',
      fix: 'create it first (mkdir -p), or name a file elsewhere',
    });
  });
});

describe('a command line yargs cannot take', () => {
  const exercise = ['list', 'show <id>', 'start <id>', 'check [id]'];

  it('names an unknown subcommand and the ones there are', () => {
    expect(usageProblem('name an exercise command', '$0 exercise <command>', exercise, ['exercise', 'chek'])).toEqual({
      message: '"chek" is not a swarmlab exercise command (use one of list, show, start, check)',
      command: ['exercise'],
    });
    expect(usageProblem('Unknown argument: chek', '$0 exercise', exercise, ['exercise', 'chek', '--dir', 'x']).message).toBe(
      '"chek" is not a swarmlab exercise command (use one of list, show, start, check)',
    );
  });

  it("names a missing argument by its command's usage", () => {
    expect(usageProblem('Not enough non-option arguments: got 0, need at least 1', '$0 exercise start <id>', [], ['exercise', 'start'])).toEqual({
      message: 'swarmlab exercise start <id>: <id> is missing',
      command: ['exercise', 'start'],
    });
  });

  it("keeps yargs' words where it has nothing better, pointing at the command's help", () => {
    expect(usageProblem('Unknown argument: wokers', '$0 up', [], ['up', '--wokers', '3'])).toEqual({ message: 'Unknown argument: wokers', command: ['up'] });
    // The top level's usage is a paragraph: only its first line counts.
    expect(usageProblem('Unknown argument: upp', '$0 <command> [options]\n\nA real Swarm.', [], ['upp'])).toEqual({
      message: 'Unknown argument: upp',
      command: [],
    });
  });
});
