// Every wait in swarmlab goes through here: one loop with a deadline and an injectable clock,
// so unit tests never sleep and no wait is without a timeout.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class WaitTimeout extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly lastProblem: string | undefined,
  ) {
    super(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastProblem ? ` (last: ${lastProblem})` : ''}`);
    this.name = 'WaitTimeout';
  }
}

/** A check answers `{ done: value }` when the wait is over, or `{ notYet: reason }` (optionally when to ask again). */
export type CheckResult<T> = { done: T } | { notYet: string; retryInMs?: number };

export interface PollOptions {
  what: string;
  timeoutMs: number;
  intervalMs: number;
  clock?: Clock;
  /** Stops the wait early, e.g. when a step running beside it has failed. */
  signal?: AbortSignal;
}

export async function pollUntil<T>(check: () => Promise<CheckResult<T>>, options: PollOptions): Promise<T> {
  const clock = options.clock ?? realClock;
  const deadline = clock.now() + options.timeoutMs;
  let last: string | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const result = await check();
    if ('done' in result) return result.done;
    last = result.notYet;
    if (clock.now() >= deadline) throw new WaitTimeout(options.what, options.timeoutMs, last);
    await clock.sleep(result.retryInMs ?? options.intervalMs);
  }
}
