// The Engine API launcher tells each node's wait when its container has started, so that the
// wait does not ask the engine over and over about containers it has yet to start.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { ContainerInfo, Engine } from '../../src/engine/engine.js';
import type { RenderedLab } from '../../src/engine/launch.js';
import { ApiLaunch } from '../../src/lab/api-launch.js';
import type { ComposeModel } from '../../src/plan/compose.js';
import { enginePlan } from '../../src/plan/engine-plan.js';
import { REPO_ROOT } from '../repo-root.js';

const composeText = readFileSync(path.join(REPO_ROOT, 'test', 'golden', 'default-privileged.yaml'), 'utf8');
const lab: RenderedLab = { composeText, composeTextV1: composeText, enginePlan: enginePlan(parse(composeText) as ComposeModel, 'swarmlab-swarmlab') };

/** An engine whose starts return only when the test lets them, one by one. */
function slowEngine(existing: ContainerInfo[] = []) {
  const events: string[] = [];
  const pending: (() => void)[] = [];
  const engine = {
    listContainers: async () => existing,
    listNetworks: async () => [],
    listVolumes: async () => [],
    createNetwork: async () => undefined,
    createVolume: async () => undefined,
    createContainer: async (spec: { name: string }) => `id-${spec.name}`,
    startContainer: (id: string) =>
      new Promise<void>((resolve) => {
        events.push(`start ${id}`);
        pending.push(resolve);
      }),
  } as unknown as Engine;
  const finishStart = async () => {
    pending.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { engine, events, finishStart };
}

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe("the Engine API launch's word that a container has started", () => {
  it('comes for each container when its start returns, the first manager first', async () => {
    const { engine, events, finishStart } = slowEngine();
    const launch = new ApiLaunch(engine, 'swarmlab');
    const manager = launch.started('swarmlab-manager');
    const worker01 = launch.started('swarmlab-worker01');
    const run = launch.run(lab);
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['start id-swarmlab-manager']);
    expect(await settled(manager)).toBe(false);
    await finishStart();
    expect(await settled(manager)).toBe(true);
    expect(await settled(worker01)).toBe(false);
    expect(events).toEqual(['start id-swarmlab-manager', 'start id-swarmlab-worker01']);
    for (let i = 0; i < 4; i++) await finishStart();
    await run;
    expect(await settled(worker01)).toBe(true);
    expect(await settled(launch.started('swarmlab-registry'))).toBe(true);
  });

  it('comes at once for a container that already runs (a repeat up starts nothing)', async () => {
    const running = (name: string): ContainerInfo => ({ id: `id-${name}`, name, state: 'running', image: 'x', labels: {}, ports: [], networks: [] });
    const names = ['registry', 'manager', 'worker01', 'worker02', 'worker03'].map((s) => `swarmlab-${s}`);
    const { engine, events } = slowEngine(names.map(running));
    const launch = new ApiLaunch(engine, 'swarmlab');
    await launch.run(lab);
    expect(events).toEqual([]);
    for (const name of names) expect(await settled(launch.started(name))).toBe(true);
  });

  it('comes for every container when the launch fails or is cancelled: the waits then ask the engine', async () => {
    const { engine } = slowEngine();
    engine.startContainer = async () => {
      throw new Error('no space left on device');
    };
    const failed = new ApiLaunch(engine, 'swarmlab');
    const worker03 = failed.started('swarmlab-worker03');
    await expect(failed.run(lab)).rejects.toThrow('starting swarmlab-manager failed: no space left on device');
    expect(await settled(worker03)).toBe(true);

    const cancelled = new ApiLaunch(engine, 'swarmlab');
    const manager = cancelled.started('swarmlab-manager');
    cancelled.cancel();
    expect(await settled(manager)).toBe(true);
    // Asked only after the launch is over: answered at once, never left waiting.
    expect(await settled(cancelled.started('swarmlab-worker01'))).toBe(true);
    expect(await settled(failed.started('swarmlab-worker02'))).toBe(true);
  });
});
