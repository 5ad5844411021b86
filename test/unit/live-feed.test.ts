import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { LiveFeed } from '../../src/web/live-feed.js';

/** A request and an event-stream response as the feed uses them. */
function stream() {
  const request = new EventEmitter() as http.IncomingMessage;
  const written: string[] = [];
  const response = { writeHead: () => response, write: (t: string) => written.push(t), end: () => {} } as unknown as http.ServerResponse;
  return { request, response, written };
}

describe('a live feed', () => {
  it('reads nothing while no one watches, when asked so, and starts as soon as a stream opens', async () => {
    let rounds = 0;
    const feed = new LiveFeed(async () => ({ round: ++rounds }), { onlyWatched: true, intervalMs: 20 });
    let stop = () => {};
    const running = feed.run(new Promise<void>((resolve) => (stop = resolve)));
    await new Promise((r) => setTimeout(r, 150));
    expect(rounds).toBe(0);
    const watcher = stream();
    feed.subscribe(watcher.request, watcher.response);
    await new Promise((r) => setTimeout(r, 400));
    expect(rounds).toBeGreaterThan(1);
    expect(watcher.written.some((w) => w.startsWith('data: {"round":'))).toBe(true);
    watcher.request.emit('close');
    await new Promise((r) => setTimeout(r, 50));
    const after = rounds;
    await new Promise((r) => setTimeout(r, 150));
    expect(rounds).toBe(after);
    stop();
    await running;
  });

  it('keeps reading without watchers otherwise (viz --web answers /model from it)', async () => {
    let rounds = 0;
    const feed = new LiveFeed(async () => ({ round: ++rounds }), { intervalMs: 20 });
    let stop = () => {};
    const running = feed.run(new Promise<void>((resolve) => (stop = resolve)));
    await new Promise((r) => setTimeout(r, 150));
    expect(rounds).toBeGreaterThan(1);
    expect(JSON.parse(feed.latest).round).toBeGreaterThan(1);
    stop();
    await running;
  });
});
