// Timestamps of bring-up events on stderr when SWARMLAB_TRACE is set: where the time goes.
const enabled = Boolean(process.env.SWARMLAB_TRACE);

export function trace(event: string): void {
  // performance.now() counts from process start, so the CLI's own start-up shows too.
  if (enabled) process.stderr.write(`[${(performance.now() / 1000).toFixed(2)}s] ${event}\n`);
}
