// Who holds a host port: a container (named, from the engine), or some other program (a test
// bind on this machine). The engine's view comes first because it can say which container.
import net from 'node:net';
import type { ContainerInfo } from './engine.js';

function bindable(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'EADDRINUSE'));
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** `others`: containers that are not the lab's own. */
export function portHolderOn(address: string, others: ContainerInfo[]) {
  const byPort = new Map<number, string>();
  for (const c of others) {
    for (const p of c.ports) {
      if (p.hostIp === address || p.hostIp === '0.0.0.0' || p.hostIp === '' || address === '0.0.0.0') byPort.set(p.hostPort, `container ${c.name}`);
    }
  }
  return async (port: number): Promise<string | undefined> => {
    const container = byPort.get(port);
    if (container) return container;
    return (await bindable(address, port)) ? undefined : 'another program';
  };
}
