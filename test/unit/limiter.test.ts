import { Limiter } from '../../src/wait/limiter.js';

/** An action that stays under way until released, counting how many are under way at once. */
function gatedActions() {
  let underWay = 0;
  let most = 0;
  const releases: (() => void)[] = [];
  const action = (fail = false) =>
    new Promise<string>((resolve, reject) => {
      underWay++;
      most = Math.max(most, underWay);
      releases.push(() => {
        underWay--;
        if (fail) reject(new Error('failed'));
        else resolve('done');
      });
    });
  return { action, releases, most: () => most, underWay: () => underWay };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Limiter', () => {
  it('keeps at most its limit under way, and runs every action in the end', async () => {
    const limiter = new Limiter(3);
    const gate = gatedActions();
    const results = Array.from({ length: 8 }, () => limiter.run(() => gate.action()));
    for (let round = 0; round < 8; round++) {
      await settle();
      expect(gate.underWay()).toBeLessThanOrEqual(3);
      gate.releases.shift()?.();
    }
    await settle();
    while (gate.releases.length > 0) gate.releases.shift()!();
    expect(await Promise.all(results)).toEqual(Array(8).fill('done'));
    expect(gate.most()).toBe(3);
  });

  it('gives the slot of a failed action to the next one', async () => {
    const limiter = new Limiter(1);
    const gate = gatedActions();
    const first = limiter.run(() => gate.action(true));
    const second = limiter.run(() => gate.action());
    await settle();
    expect(gate.underWay()).toBe(1);
    gate.releases.shift()!();
    await expect(first).rejects.toThrow('failed');
    await settle();
    gate.releases.shift()!();
    await expect(second).resolves.toBe('done');
  });

  it('refuses a limit below one', () => {
    expect(() => new Limiter(0)).toThrow('a Limiter needs a limit of 1 or more, not 0');
  });
});
