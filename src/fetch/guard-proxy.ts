// A tiny forward proxy that every browser request goes through, so the address guard applies to the browser
// exactly as to plain HTTP: checked on the address actually connected to, for redirects, subresources, fetch/XHR
// and WebSocket tunnels alike. (page.route never sees redirect hops, and the browser resolves names itself.)
import http from 'node:http';
import net, { type LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import { BLOCKED_ADDRESS_CODE, resolveGuarded, type AddressPolicy } from './address-guard.ts';
import { errorText, findInCauses } from './failure.ts';

export const BLOCKED_HEADER = 'x-clausewatch-blocked';
export const PROXY_ERROR_HEADER = 'x-clausewatch-proxy-error';

export interface ProxyIncident {
  host: string;
  blocked: boolean;
  code: string | undefined;
  detail: string;
}

const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function describe(err: unknown): { blocked: boolean; code: string | undefined; detail: string } {
  const blocked = findInCauses(err, (e) => e.code === BLOCKED_ADDRESS_CODE);
  if (blocked) return { blocked: true, code: BLOCKED_ADDRESS_CODE, detail: String(blocked.message) };
  const code = findInCauses(err, (e) => typeof e.code === 'string')?.code as string | undefined;
  return { blocked: false, code, detail: errorText(err) };
}

/** Header values must be one line of Latin-1; error text from the network is neither guaranteed. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
}

export class GuardProxy {
  /** Everything refused or failed during this proxy's life, newest last: it explains a failed navigation. */
  readonly incidents: ProxyIncident[] = [];
  private readonly sockets = new Set<net.Socket | Duplex>();
  private readonly agent = new http.Agent({ keepAlive: true });

  private constructor(
    private readonly server: http.Server,
    private readonly lookup: LookupFunction,
    private readonly policy: AddressPolicy,
    private readonly timeoutMs: number,
  ) {}

  static async start(policy: AddressPolicy, lookup: LookupFunction, timeoutMs: number): Promise<GuardProxy> {
    const server = http.createServer();
    const proxy = new GuardProxy(server, lookup, policy, timeoutMs);
    server.on('request', (req, res) => void proxy.forward(req, res));
    server.on('connect', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void proxy.tunnel(req, socket, head));
    server.on('connection', (socket: net.Socket) => {
      proxy.sockets.add(socket);
      socket.on('close', () => proxy.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get url(): string {
    const addr = this.server.address() as net.AddressInfo;
    return `http://127.0.0.1:${addr.port}`;
  }

  private record(host: string, err: unknown): ProxyIncident {
    const incident = { host, ...describe(err) };
    this.incidents.push(incident);
    return incident;
  }

  /** Plain-HTTP requests arrive in absolute form ("GET http://host/path"). */
  private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
      if (target.protocol !== 'http:') throw new Error('not http');
    } catch {
      res.writeHead(400, { [PROXY_ERROR_HEADER]: 'bad proxy request' }).end();
      return;
    }
    let address: string;
    try {
      ({ address } = await resolveGuarded(this.lookup, this.policy, target.hostname));
    } catch (err) {
      const incident = this.record(target.hostname, err);
      const header = incident.blocked ? BLOCKED_HEADER : PROXY_ERROR_HEADER;
      res.writeHead(incident.blocked ? 403 : 502, { [header]: headerSafe(`${incident.code ?? 'error'}: ${incident.detail}`), 'content-type': 'text/plain' });
      res.end(incident.detail);
      return;
    }
    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      if (!HOP_BY_HOP.has(name.toLowerCase())) headers.push([name, req.rawHeaders[i + 1]!]);
    }
    const upstream = http.request({
      host: address,
      port: Number(target.port) || 80,
      method: req.method,
      path: `${target.pathname}${target.search}`,
      headers: headers.flat(),
      setHost: false,
      agent: this.agent,
      timeout: this.timeoutMs,
    });
    upstream.on('timeout', () => upstream.destroy(Object.assign(new Error(`no response within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    upstream.on('response', (up) => {
      const raw: string[] = [];
      for (let i = 0; i < up.rawHeaders.length; i += 2) {
        const name = up.rawHeaders[i]!;
        if (!HOP_BY_HOP.has(name.toLowerCase())) raw.push(name, up.rawHeaders[i + 1]!);
      }
      res.writeHead(up.statusCode ?? 502, up.statusMessage, raw);
      up.pipe(res);
      up.on('error', () => res.destroy());
    });
    upstream.on('error', (err) => {
      const incident = this.record(target.hostname, err);
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { [PROXY_ERROR_HEADER]: headerSafe(`${incident.code ?? 'error'}: ${incident.detail}`), 'content-type': 'text/plain' });
      res.end(incident.detail);
    });
    req.pipe(upstream);
  }

  /** HTTPS and WebSocket traffic arrives as CONNECT host:port; TLS stays end to end between browser and site. */
  private async tunnel(req: http.IncomingMessage, client: Duplex, head: Buffer): Promise<void> {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => undefined);
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(req.url ?? '');
    if (!m) {
      client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const host = m[1]!;
    const port = Number(m[2]);
    try {
      const { address } = await resolveGuarded(this.lookup, this.policy, host);
      const upstream = net.connect({ host: address, port });
      this.sockets.add(upstream);
      upstream.setTimeout(this.timeoutMs, () => upstream.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })));
      let established = false;
      upstream.once('connect', () => {
        established = true;
        upstream.setTimeout(0);
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', (err) => {
        this.record(host, err);
        // Once tunnelled, the bytes are the site's TLS stream: nothing of ours may be written into it.
        if (!established && !client.destroyed) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      });
      upstream.on('close', () => {
        this.sockets.delete(upstream);
        client.destroy();
      });
      client.on('close', () => upstream.destroy());
    } catch (err) {
      const incident = this.record(host, err);
      client.end(`HTTP/1.1 ${incident.blocked ? '403 Forbidden' : '502 Bad Gateway'}\r\n${incident.blocked ? BLOCKED_HEADER : PROXY_ERROR_HEADER}: ${headerSafe(incident.detail)}\r\n\r\n`);
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
