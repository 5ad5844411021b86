// Where shell completion offers lab or node names instead of yargs' commands and flags.
import { completionNeed, flagValue } from '../../src/cli/completion.js';

describe('shell completion', () => {
  it.each([
    [['status', '--name', ''], 'labs'],
    [['down', '--dir', 'x', '--name', 'a'], 'labs'],
    [['docker', '--node', ''], 'nodes'],
    [['logs', ''], 'nodes'],
    [['logs', '--tail', '50', 'wor'], 'nodes'],
    [['chaos', 'stop', ''], 'nodes'],
    [['chaos', 'heal', '--dir', 'lab', ''], 'nodes'],
    [['node', 'rm', 'worker0'], 'nodes'],
    [['node', 'promote', ''], 'nodes'],
  ])('%j wants %s', (words, need) => {
    expect(completionNeed(words as string[])).toBe(need);
  });

  it.each([
    [['']],
    [['st']],
    [['chaos', '']],
    [['node', '']],
    [['logs', 'worker01', '']],
    [['logs', '--']],
    [['status', '--dir', '']],
    [['chaos', 'kill-leader', '']],
  ])('%j leaves it to yargs (commands, flags, files)', (words) => {
    expect(completionNeed(words as string[])).toBeUndefined();
  });

  it('reads a flag typed before the word under the cursor', () => {
    expect(flagValue(['logs', '--name', 'lab-a', ''], '--name')).toBe('lab-a');
    expect(flagValue(['logs', '--name', ''], '--name')).toBeUndefined();
    expect(flagValue(['logs', ''], '--dir')).toBeUndefined();
  });
});

describe('the top-level command names', () => {
  it('that class exec checks against are those of the commands swarmlab has, in order', async () => {
    const [{ topCommandNames }, { TOP_COMMAND_NAMES }] = await Promise.all([
      import('../../src/cli/commands/all.js'),
      import('../../src/cli/commands/names.js'),
    ]);
    expect(TOP_COMMAND_NAMES).toEqual(topCommandNames());
  });
});
