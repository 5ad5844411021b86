import { type Clock, pollUntil, WaitTimeout } from '../../src/wait/poll.js';

function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('pollUntil', () => {
  it('returns the first done value, sleeping the interval between checks', async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await pollUntil(async () => (++calls === 3 ? { done: 'ok' } : { notYet: `try ${calls}` }), {
      what: 'x',
      timeoutMs: 1000,
      intervalMs: 100,
      clock,
    });
    expect(value).toBe('ok');
    expect(clock.slept).toEqual([100, 100]);
  });

  it('gives up at the deadline with what it waited for and the last reason', async () => {
    const clock = fakeClock();
    const err = await pollUntil(async () => ({ notYet: 'worker02 Down' }), { what: 'every node to be Ready', timeoutMs: 1000, intervalMs: 300, clock }).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(WaitTimeout);
    expect((err as Error).message).toBe('timed out after 1 s waiting for every node to be Ready (last: worker02 Down)');
    expect(clock.now()).toBe(1200);
  });
});

describe('pollUntil retry hints', () => {
  it('waits as long as the check asks, else the interval', async () => {
    const clock = fakeClock();
    let calls = 0;
    await pollUntil(async () => (++calls === 3 ? { done: true } : calls === 1 ? { notYet: 'slow', retryInMs: 250 } : { notYet: 'fast' }), {
      what: 'x',
      timeoutMs: 1000,
      intervalMs: 100,
      clock,
    });
    expect(clock.slept).toEqual([250, 100]);
  });
});
