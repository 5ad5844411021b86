// Which host ports some program holds: a test bind on this machine. Who holds them by name (a
// container, another up's claim) is known from the engine and the claims; what is left is
// asked here, once, before `up` plans its ports (lab/up-plan.ts).
import net from 'node:net';

function bindable(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'EADDRINUSE'));
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * The ports on `address` a bind finds held, among those a search from each of `starts` upward
 * can reach: from each start until `starts.length` ports are free (a search then always finds
 * one, whatever the others took) or `span` ports were tried. Ports `heldElsewise` are not tried.
 */
export async function boundPortsNear(address: string, starts: number[], span: number, heldElsewise: (port: number) => boolean): Promise<Set<number>> {
  const bound = new Set<number>();
  const tried = new Set<number>();
  for (const start of starts) {
    let free = 0;
    for (let port = start; port <= Math.min(start + span, 65535) && free < starts.length; port++) {
      if (heldElsewise(port) || bound.has(port)) continue;
      if (tried.has(port) || (await bindable(address, port))) free++;
      else bound.add(port);
      tried.add(port);
    }
  }
  return bound;
}
