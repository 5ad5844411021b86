import type { ContainerInfo } from '../../src/engine/engine.js';
import { LabError } from '../../src/errors.js';
import { removeLab } from '../../src/lab/remove.js';
import { FakeEngine } from './fake-engine.js';

const ENDPOINTS_LEFT = new Error('(HTTP code 403) unexpected - error while removing network: network e2e-net id 0123abcd has active endpoints');

/** An engine holding one lab that is already gone but for its network, and whatever else `others` says. */
function engineWith(others: ContainerInfo[]): FakeEngine {
  const engine = new FakeEngine();
  for (const c of others) engine.addContainer(c.name, c);
  engine.networks.set('e2e-net', { id: '0123abcd', name: 'e2e-net', labels: { 'dev.swarmlab.lab': 'e2e' }, subnets: [] });
  return engine.failOn('removeNetwork', ENDPOINTS_LEFT);
}

const guest = (name: string, networks: string[]): ContainerInfo => ({ id: `id-${name}`, name, state: 'running', image: 'x', labels: {}, ports: [], networks });

describe('down, when the engine will not remove the lab network', () => {
  it('names the containers someone else attached to it, and leaves them alone', async () => {
    const engine = engineWith([guest('their-app', ['e2e-net', 'bridge']), guest('elsewhere', ['bridge'])]);
    const failure = (await removeLab(engine, 'e2e', { purge: false }).catch((err: unknown) => err)) as LabError;
    expect(failure).toBeInstanceOf(LabError);
    expect(failure.problem).toBe('network e2e-net is still used by their-app, not made by this lab');
    expect(failure.fix).toBe('docker network disconnect e2e-net their-app, then swarmlab down again');
    expect(engine.calls.filter((c) => /^remove(Container|Volume)/.test(c))).toEqual([]);
  });

  it('says the engine kept an endpoint of its own when no container is attached', async () => {
    const engine = engineWith([guest('elsewhere', ['bridge'])]);
    const failure = (await removeLab(engine, 'e2e', { purge: false }).catch((err: unknown) => err)) as LabError;
    expect(failure.problem).toBe('network e2e-net still has endpoints that the engine never released (no container is attached)');
    expect(failure.fix).toBe('restart the Docker engine, then swarmlab down again');
  });

  it('passes any other failure on as it is', async () => {
    const engine = new FakeEngine();
    engine.networks.set('e2e-net', { id: '0123abcd', name: 'e2e-net', labels: { 'dev.swarmlab.lab': 'e2e' }, subnets: [] });
    engine.failOn('removeNetwork', new Error('connection refused'));
    await expect(removeLab(engine, 'e2e', { purge: false })).rejects.toThrow('connection refused');
  });
});
