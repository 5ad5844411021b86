// The checks the operations course needs: a service's last update state, its health check,
// placement preferences and memory reservation; a node's labels; the swarm's autolock. Read from
// what `docker service inspect`, `docker node inspect` and `docker info` print, as the snapshot
// script asks for them.
import { decodeExercise } from '../../src/exercise/decode.js';
import { evaluateExpectation } from '../../src/exercise/expect.js';
import type { Expectation } from '../../src/exercise/types.js';
import { parseSnapshot } from '../../src/swarm/snapshot.js';

const service = (name: string, extra: Record<string, unknown>, updateStatus: unknown = null) =>
  JSON.stringify({
    id: `id-${name}`,
    spec: {
      Name: name,
      TaskTemplate: {
        ContainerSpec: { Image: 'registry:5000/example/echo:latest@sha256:abc', ...(extra.container as object) },
        Placement: extra.placement ?? {},
        Resources: extra.resources ?? {},
      },
      Mode: { Replicated: { Replicas: 1 } },
    },
    ports: null,
    updateStatus,
  });

const output = [
  '@@info',
  '{"state":"active","manager":true,"autolock":true}',
  '@@ipvs',
  'false',
  '@@nodes',
  '{"id":"n1","hostname":"manager","role":"manager","availability":"active","labels":{},"state":"ready","managerStatus":"leader"}',
  '{"id":"n2","hostname":"worker01","role":"worker","availability":"active","labels":{"zone":"a"},"state":"ready","managerStatus":""}',
  '{"id":"n3","hostname":"worker02","role":"worker","availability":"active","labels":null,"state":"ready","managerStatus":""}',
  '@@services',
  service('web', {}, { State: 'rollback_completed', Message: 'rollback completed' }),
  service('api', { container: { Healthcheck: { Test: ['CMD-SHELL', 'wget -q -O- http://localhost:8080/ || exit 1'] } } }),
  service('spread', {
    placement: { Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }] },
    resources: { Reservations: { MemoryBytes: 67108864 } },
  }),
  '@@tasks',
  '@@networks',
  '@@secrets',
  '@@configs',
].join('\n');
const snapshot = parseSnapshot(output);
const problems = (e: Expectation) => evaluateExpectation(e, snapshot).problems;

describe('the operations vocabulary', () => {
  it('reads the new fields from the snapshot, and leaves them empty where docker prints null', () => {
    expect(snapshot.autolock).toBe(true);
    expect(snapshot.nodes.map((n) => n.labels)).toEqual([{}, { zone: 'a' }, {}]);
    const [web, api, spread] = snapshot.services;
    expect(web).toMatchObject({ updateState: 'rollback_completed', healthcheck: undefined, placementPrefs: [], reservedMemory: 0 });
    expect(api!.healthcheck).toBe('CMD-SHELL wget -q -O- http://localhost:8080/ || exit 1');
    expect(spread).toMatchObject({ placementPrefs: ['spread=node.labels.zone'], reservedMemory: 67108864, updateState: undefined });
  });

  it("a service's last update: rolled back, or none yet", () => {
    expect(problems({ on: 'service', name: 'web', updateState: 'rollback_completed' })).toEqual([]);
    expect(problems({ on: 'service', name: 'api', updateState: 'rollback_completed' })).toEqual([
      'service api: its last update is none yet, want rollback completed',
    ]);
    expect(problems({ on: 'service', name: 'web', updateState: 'completed' })).toEqual(['service web: its last update is rollback completed, want completed']);
  });

  it("a service's health check, by glob; none set is said as the image's own", () => {
    expect(problems({ on: 'service', name: 'api', healthcheck: '*localhost:8080*' })).toEqual([]);
    expect(problems({ on: 'service', name: 'api', healthcheck: '*:9999*' })).toEqual([
      'service api: health check is "CMD-SHELL wget -q -O- http://localhost:8080/ || exit 1", want "*:9999*"',
    ]);
    expect(problems({ on: 'service', name: 'web', healthcheck: '*8080*' })).toEqual([
      'service web: health check is the image\'s own (none set on the service), want "*8080*"',
    ]);
  });

  it('placement preferences (spaces do not count) and a memory reservation', () => {
    expect(problems({ on: 'service', name: 'spread', placementPrefs: ['spread = node.labels.zone'], reservesMemory: true })).toEqual([]);
    expect(problems({ on: 'service', name: 'web', placementPrefs: ['spread=node.labels.zone'], reservesMemory: true })).toEqual([
      'service web: has no placement preference spread=node.labels.zone (has none)',
      'service web: reserves no memory, want a reservation its tasks can get',
    ]);
  });

  it("a node's labels, each a glob", () => {
    expect(problems({ on: 'node', name: 'worker01', labels: { zone: 'a' } })).toEqual([]);
    expect(problems({ on: 'node', name: 'worker02', labels: { zone: '?' } })).toEqual(['node worker02: label zone is not set, want "?" (labels: none)']);
    expect(problems({ on: 'node', name: 'worker01', labels: { zone: 'b' } })).toEqual(['node worker01: label zone is "a", want "b" (labels: zone=a)']);
  });

  it('the swarm: autolock, and no swarm said as such', () => {
    expect(problems({ on: 'swarm', autolock: true })).toEqual([]);
    expect(problems({ on: 'swarm', autolock: false })).toEqual(['autolock is on, want off']);
    const none = parseSnapshot('@@info\n{"state":"inactive","manager":false,"autolock":false}\n');
    expect(evaluateExpectation({ on: 'swarm', autolock: true }, none).problems).toEqual(['there is no swarm yet (the manager is in no swarm)']);
  });

  it('decodes the new keys, and names the choices for a wrong update state', () => {
    const file = (expect: string) =>
      `apiVersion: swarmlab/v1alpha1\nkind: Exercise\nid: x\ntitle: X\nbreaks: a lost quorum\ntask: t\nchecks:\n  - id: c\n    expect: ${expect}\n`;
    const decoded = decodeExercise(
      file('{service: web, updateState: rollback_completed, healthcheck: "*8080*", placementPrefs: [spread=node.labels.zone], reservesMemory: true}'),
      'x.yaml',
    );
    expect(decoded.problems).toEqual([]);
    expect(decoded.exercise!.breaks).toBe('a lost quorum');
    expect(decodeExercise(file('{swarm: {autolock: true}}'), 'x.yaml').exercise!.checks[0]).toMatchObject({
      kind: 'expect',
      expect: { on: 'swarm', autolock: true },
    });
    expect(decodeExercise(file('{node: worker01, labels: {zone: a}}'), 'x.yaml').problems).toEqual([]);
    const wrong = decodeExercise(file('{service: web, updateState: rolled_back}'), 'x.yaml').problems;
    expect(wrong.map((p) => `${p.field}: ${p.problem}`)).toEqual([expect.stringContaining('updateState')]);
  });
});
