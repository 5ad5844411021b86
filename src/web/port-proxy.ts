// A student's published port (the manager's 80 and 9000 in the course), reached through the
// class server behind the login: the request goes on to the port on this machine, without the
// viewer's cookie; the answer comes back without the app's cookies. Seen by the instructor, the
// app's page is sandboxed (an origin of its own), so a student's app cannot act with the
// instructor's login; seen by its own student, it runs as that student, who reaches only their
// own lab anyway.
import http from 'node:http';

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

export interface PortTarget {
  host: string;
  port: number;
  /** Sandbox the answer (the viewer is not the app's owner). */
  sandbox: boolean;
}

function forwardedHeaders(headers: http.IncomingHttpHeaders, target: PortTarget): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = { ...headers, host: `${target.host}:${target.port}` };
  for (const name of [...HOP_BY_HOP, 'cookie', 'authorization', 'origin', 'referer']) delete out[name];
  return out;
}

export function proxyToPort(request: http.IncomingMessage, response: http.ServerResponse, target: PortTarget, rest: string): void {
  const upstream = http.request(
    { host: target.host, port: target.port, method: request.method, path: rest, headers: forwardedHeaders(request.headers, target), timeout: 30_000 },
    (answer) => {
      const headers: http.OutgoingHttpHeaders = { ...answer.headers };
      for (const name of [...HOP_BY_HOP, 'set-cookie']) delete headers[name];
      if (target.sandbox) headers['content-security-policy'] = 'sandbox allow-scripts allow-forms allow-popups';
      response.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(response);
    },
  );
  upstream.on('timeout', () => upstream.destroy(new Error('no answer within 30 s')));
  upstream.on('error', (err) => {
    if (response.headersSent) response.destroy();
    else
      response
        .writeHead(502, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`Nothing answers on port ${target.port} of this lab yet (${err.message}): is a service published there?\n`);
  });
  request.pipe(upstream);
}
