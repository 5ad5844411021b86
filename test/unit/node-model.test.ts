import { cliWord, isReachableManager, managerStatus, nodeAvailability, nodeState } from '../../src/swarm/node-model.js';
import { parseNodeList } from '../../src/swarm/nodes.js';
import { parseSnapshot } from '../../src/swarm/snapshot.js';
import { TASK_STATES, taskState } from '../../src/swarm/task-state.js';

describe('the node model', () => {
  it('reads the docker CLI words and the API words alike', () => {
    expect([nodeState('Ready'), nodeState('ready'), nodeState('Disconnected')]).toEqual(['ready', 'ready', 'disconnected']);
    expect([nodeAvailability('Drain'), nodeAvailability('pause')]).toEqual(['drain', 'pause']);
    expect([managerStatus('Leader'), managerStatus('reachable'), managerStatus('')]).toEqual(['leader', 'reachable', '']);
  });

  it('says a word the swarm does not use as unknown, not as itself', () => {
    expect(nodeState('Rebooting')).toBe('unknown');
    expect(managerStatus('Follower')).toBe('unknown');
  });

  it('prints the words as the docker CLI does', () => {
    expect([cliWord('ready'), cliWord('drain'), cliWord('leader'), cliWord('')]).toEqual(['Ready', 'Drain', 'Leader', '']);
  });

  it('counts the leader and reachable managers as reachable', () => {
    expect(['leader', 'reachable', 'unreachable', 'unknown', ''].map((s) => isReachableManager({ managerStatus: managerStatus(s) }))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('is the same node whether read from docker node ls or from the snapshot', () => {
    const [listed] = parseNodeList('n1\tmanager\tReady\tActive\tLeader\n');
    const { nodes } = parseSnapshot(
      [
        '@@nodes',
        '{"id":"n1","hostname":"manager","role":"manager","availability":"active","labels":{"zone":"a"},"state":"ready","managerStatus":"leader"}',
      ].join('\n'),
    );
    expect(nodes[0]).toEqual({ ...listed, labels: { zone: 'a' } });
  });
});

describe("a task's state", () => {
  it("is the swarm API's word, lower case, or unknown for a word swarmlab does not know", () => {
    expect(taskState('running')).toBe('running');
    expect(taskState('Rejected')).toBe('rejected');
    expect(taskState('levitating')).toBe('unknown');
    expect(TASK_STATES).toContain('orphaned');
  });
});
