// At most a given number of some action under way at once, the others waiting their turn, in
// the order they came.

export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`a Limiter needs a limit of 1 or more, not ${limit}`);
  }

  async run<T>(action: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    // The slot of an action that ends is handed to the longest waiting, never taken by a newcomer.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await action();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
