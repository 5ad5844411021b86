// At most a given number of some action under way at once, the others waiting their turn.

export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(action: () => Promise<T>): Promise<T> {
    // A caller woken may find its slot taken by one that came meanwhile: it waits again.
    while (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await action();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
