// Ctrl-C for a command that stops by itself: SIGINT and SIGTERM abort a signal the command's
// work watches, instead of ending the process under it.

/**
 * Runs `work` with a signal that SIGINT or SIGTERM aborts; the listeners go when it ends.
 * `on`, not `once`: a signal hook (execa's) re-raises a SIGINT that finds no other listener left.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(interrupt.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
