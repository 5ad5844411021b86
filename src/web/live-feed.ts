// A model kept live over server-sent events: produced every second (or as often as asked), sent
// to each open stream when it changes, a comment line every 15 s so proxies keep the stream.
// Used by `viz --web` and the class server's grid.
import type http from 'node:http';

const REFRESH_MS = 1000;
const HEARTBEAT_MS = 15_000;
const IDLE_CHECK_MS = 200;

export class LiveFeed {
  private readonly clients = new Set<http.ServerResponse>();
  private current = '';

  /**
   * `onlyWatched`: produce only while a stream is open. The class grid reads every lab (an exec
   * in each manager) each round: measured with 24 labs, that loop alone kept both cores busy and
   * the browser terminals' echo waited behind it (docs/workshops.md#measured).
   */
  constructor(
    private readonly produce: () => Promise<unknown>,
    private readonly options: { intervalMs?: number; onlyWatched?: boolean } = {},
  ) {}

  /** The latest model as JSON ('null' before the first). */
  get latest(): string {
    return this.current || 'null';
  }

  /** Answers a request for the event stream and keeps it until the client goes. */
  subscribe(request: http.IncomingMessage, response: http.ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    if (this.current) response.write(`data: ${this.current}\n\n`);
    this.clients.add(response);
    request.on('close', () => this.clients.delete(response));
  }

  /** Produces and sends until `stop` resolves; then ends every stream. */
  async run(stop: Promise<unknown>): Promise<void> {
    let stopping = false;
    void stop.then(() => (stopping = true));
    const heartbeat = setInterval(() => {
      for (const c of this.clients) c.write(': still here\n\n');
    }, HEARTBEAT_MS);
    try {
      while (!stopping) {
        if (!this.options.onlyWatched || this.clients.size > 0) {
          const model = JSON.stringify(await this.produce().catch((err: Error) => ({ problem: err.message })));
          if (model !== this.current) {
            this.current = model;
            for (const client of this.clients) client.write(`data: ${model}\n\n`);
          }
        }
        // Unwatched, the next look comes soon after a stream opens.
        const wait = this.options.onlyWatched && this.clients.size === 0 ? IDLE_CHECK_MS : (this.options.intervalMs ?? REFRESH_MS);
        await Promise.race([stop, new Promise((resolve) => setTimeout(resolve, wait))]);
      }
    } finally {
      clearInterval(heartbeat);
      for (const client of this.clients) client.end();
    }
  }
}
