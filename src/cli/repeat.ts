// The loop of the commands that can keep watching (exercise check --watch, viz, class status
// --watch): one round, or a round every interval until it says it is done or Ctrl-C (exit 130).

/** `round` resolves true when there is nothing more to watch for. */
export async function repeatRounds(options: { watch: boolean; intervalMs: number }, round: () => Promise<boolean>): Promise<void> {
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  // `on`, not `once`: a signal hook (execa's) re-raises a SIGINT that finds no other listener left.
  if (options.watch) process.on('SIGINT', stop);
  try {
    for (;;) {
      if ((await round()) || !options.watch) return;
      let timer: NodeJS.Timeout | undefined;
      const interrupted = await Promise.race([stopped.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), options.intervalMs)))]);
      clearTimeout(timer);
      if (interrupted) {
        process.exitCode = 130;
        return;
      }
    }
  } finally {
    process.off('SIGINT', stop);
  }
}
