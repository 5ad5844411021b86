// The terminal view of `swarmlab viz`: one frame from a snapshot captured on a real manager,
// and the feed of changes between two snapshots.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pageUrls } from '../../src/cli/live-page.js';
import { type ClusterSnapshot, parseSnapshot } from '../../src/swarm/snapshot.js';
import { swarmEvents } from '../../src/viz/feed.js';
import { renderFrame } from '../../src/viz/frame.js';
import { vizModel } from '../../src/viz/model.js';
import { REPO_ROOT } from '../repo-root.js';

// Service echo: 3 tasks on the workers; service bad: its task rejected (bind source missing).
const snapshot = parseSnapshot(readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'snapshot', 'services-and-failures.txt'), 'utf8'));
const options = { lab: 'explore', time: '21:25:22', width: 100, feed: [], colour: false };

describe('a viz frame', () => {
  it('has a column per node with its state, manager status and running tasks, and the failing ones with their error', () => {
    const frame = renderFrame(snapshot, options).split('\n');
    expect(frame[0]).toBe('swarmlab viz: lab "explore"  21:25:22');
    expect(frame[1]).toBe('Swarm: leader manager; managers 1, quorum 1, can lose 0; 2 services');
    expect(frame[3]).toMatch(/^manager\s+worker01\s+worker02\s+worker03$/);
    expect(frame[4]).toMatch(/^Ready Active\s+Ready Active\s+Ready Active\s+Ready Active$/);
    expect(frame[5]).toMatch(/^Leader$/);
    const body = frame.slice(7).join('\n');
    expect(body.match(/echo\.\d/g)?.sort()).toEqual(['echo.1', 'echo.2', 'echo.3']);
    // worker03's column: its echo task, then the rejected task and its error on two lines.
    expect(
      frame
        .slice(7)
        .map((l) => l.trim())
        .filter((l) => /bad|invalid|bind/.test(l)),
    ).toEqual(['✘ bad.1', 'invalid mount config', 'for type "bind": bin…']);
  });

  it('filters one stack, and says when there is no swarm', () => {
    expect(renderFrame(snapshot, { ...options, stack: 'web' }).split('\n')[1]).toMatch(/; 0 services$/);
    const none: ClusterSnapshot = { ...snapshot, isManager: false, swarmState: 'inactive', nodes: [], services: [], tasks: [] };
    expect(renderFrame(none, options).split('\n')[1]).toBe('No swarm yet.');
  });

  it('greys a drained node and shows the last changes', () => {
    const drained: ClusterSnapshot = { ...snapshot, nodes: snapshot.nodes.map((n) => (n.hostname === 'worker01' ? { ...n, availability: 'drain' } : n)) };
    const frame = renderFrame(drained, { ...options, colour: true, feed: ['worker01: active -> drain'] });
    expect(frame).toContain('\x1b[2mworker01');
    expect(frame.split('\n').slice(-2)).toEqual(['Changes:', '  worker01: active -> drain']);
  });
});

describe('the feed', () => {
  it('says a new leader, a node going down and a drain', () => {
    const after: ClusterSnapshot = {
      ...snapshot,
      nodes: snapshot.nodes.map((n) =>
        n.hostname === 'manager'
          ? { ...n, managerStatus: 'reachable' }
          : n.hostname === 'worker01'
            ? { ...n, managerStatus: 'leader', role: 'manager' }
            : n.hostname === 'worker02'
              ? { ...n, state: 'down', availability: 'drain' }
              : n,
      ),
    };
    expect(swarmEvents(snapshot, after)).toEqual([
      'leader: manager -> worker01',
      'worker01: worker -> manager',
      'worker02: ready -> down',
      'worker02: active -> drain',
    ]);
  });
});

describe('the model of the web view', () => {
  it('places running and failing tasks on their nodes, with services, networks and the quorum', () => {
    const model = vizModel(snapshot, 'explore');
    expect(model).toMatchObject({ lab: 'explore', problem: null, leader: 'manager', quorum: 'managers 1, quorum 1, can lose 0', unassigned: [], stacks: [] });
    expect(
      model.nodes.map((n) => [n.name, n.state, n.availability, n.managerStatus, n.tasks.map((t) => `${t.label}:${t.running ? 'running' : t.state}`)]),
    ).toEqual([
      ['manager', 'Ready', 'Active', 'Leader', []],
      ['worker01', 'Ready', 'Active', '', ['echo.3:running']],
      ['worker02', 'Ready', 'Active', '', ['echo.1:running']],
      ['worker03', 'Ready', 'Active', '', ['bad.1:rejected', 'echo.2:running']],
    ]);
    expect(model.services.map((s) => [s.name, s.running, s.desired, s.networks])).toEqual([
      ['bad', 0, 1, []],
      ['echo', 3, 3, ['ch03']],
    ]);
  });
});

describe('where a served page is opened', () => {
  const nic = (address: string, internal = false) => ({ address, internal, family: 'IPv4' as const, netmask: '', mac: '', cidr: null });
  it("says the machine's own addresses for a page served on every address, never 0.0.0.0", () => {
    const interfaces = { lo: [nic('127.0.0.1', true)], eth0: [nic('192.168.1.20')], wlan0: [nic('10.0.0.7')] };
    expect(pageUrls('0.0.0.0', 8091, interfaces)).toEqual(['http://192.168.1.20:8091/', 'http://10.0.0.7:8091/']);
    expect(pageUrls('127.0.0.1', 8091, interfaces)).toEqual(['http://127.0.0.1:8091/']);
    expect(pageUrls('0.0.0.0', 8091, { lo: [nic('127.0.0.1', true)] })).toEqual(['http://127.0.0.1:8091/']);
  });

  it("leaves out container bridges, which no student's laptop reaches, and says https under TLS", () => {
    const interfaces = { docker0: [nic('172.17.0.1')], 'br-3f2a': [nic('10.210.1.1')], veth12: [nic('169.254.3.3')], eth0: [nic('192.168.1.20')] };
    expect(pageUrls('0.0.0.0', 8091, interfaces, 'https')).toEqual(['https://192.168.1.20:8091/']);
  });
});
