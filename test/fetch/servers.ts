// Real HTTP servers on loopback for the fetch tests: every test talks to a socket, none to the internet.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  origin: string;
  port: number;
  /** Paths requested, in arrival order. */
  hits: string[];
  /** Request headers of every request, in arrival order. */
  headers: http.IncomingHttpHeaders[];
  /** TCP connections accepted, including ones that never made a valid HTTP request (e.g. a TLS hello). */
  connections(): number;
  url(path?: string): string;
  close(): Promise<void>;
}

export async function serve(handler: http.RequestListener, host = '127.0.0.1'): Promise<TestServer> {
  const hits: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    headers.push(req.headers);
    handler(req, res);
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host}:${port}`;
  return {
    origin,
    port,
    hits,
    headers,
    connections: () => connections,
    url: (path = '/') => `${origin}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Settings that keep tests fast: loopback allowed, no politeness pause, short timeouts and backoff. */
export const FAST = {
  allowPrivateAddresses: true,
  politenessDelayMs: 0,
  retryBaseDelayMs: 5,
  retryMaxDelayMs: 20,
  timeoutMs: 3000,
} as const;
