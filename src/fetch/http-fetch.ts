// Plain HTTP fetching with undici: manual redirects (each hop re-checked and queued per host), our own
// decompression under a cap, retries for transient trouble, and every failure mapped to a FetchFailure.
import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';
import type { FetchedPage } from '../domain/types.ts';
import { BLOCKED_ADDRESS_CODE, assertLiteralAllowed, guardedLookup, type AddressPolicy } from './address-guard.ts';
import { detectBotWall } from './bot-wall.ts';
import { decodeText } from './charset.ts';
import type { ResolvedConfig } from './config.ts';
import { ACCEPT_ENCODING, decodeContent, parseContentEncoding } from './content-decoding.ts';
import { FetchFailure, errorText, findInCauses } from './failure.ts';
import type { HostGate } from './host-gate.ts';
import { buildPage } from './page.ts';
import { RETRYABLE_STATUSES, parseRetryAfter, withRetries } from './retry.ts';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** How much of an error page we read: enough to recognise a challenge page, not more. */
const ERROR_PEEK_BYTES = 256 * 1024;

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'EAI_AGAIN']);

type Headers = Record<string, string | string[] | undefined>;
type Exchange = { redirect: URL; status: number } | { status: number; headers: Headers; body: Buffer };

export const ACCEPT = 'text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5';

class TimeoutSignal extends Error {
  constructor() {
    super('fetch timed out');
    this.name = 'TimeoutError';
  }
}

export function checkScheme(url: URL, what: string): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchFailure('network', `${what} uses unsupported scheme "${url.protocol}" (only http and https are fetched)`);
  }
}

export function parseUrl(url: string): URL {
  try {
    const parsed = new URL(url);
    checkScheme(parsed, 'URL');
    return parsed;
  } catch (err) {
    if (err instanceof FetchFailure) throw err;
    throw new FetchFailure('network', `invalid URL: ${JSON.stringify(url)}`);
  }
}

/** Maps what undici/net threw to a FetchFailure; `timedOut`/`callerAborted` say which of our signals fired. */
export function mapNetworkError(err: unknown, timedOut: boolean, callerSignal: AbortSignal | undefined, timeoutMs: number): FetchFailure {
  if (err instanceof FetchFailure) return err;
  if (timedOut) return new FetchFailure('timeout', `no complete response within ${timeoutMs} ms`, { retryable: true, cause: err });
  if (callerSignal?.aborted) return abortedFailure(callerSignal);
  const blocked = findInCauses(err, (e) => e.code === BLOCKED_ADDRESS_CODE);
  if (blocked) return new FetchFailure('blocked-address', String(blocked.message), { cause: err });
  const coded = findInCauses(err, (e) => typeof e.code === 'string' && (TIMEOUT_CODES.has(e.code) || TRANSIENT_CODES.has(e.code)));
  const code = coded?.code as string | undefined;
  if (code && TIMEOUT_CODES.has(code)) return new FetchFailure('timeout', `timed out (${code}): ${errorText(err)}`, { retryable: true, cause: err });
  if (code) return new FetchFailure('network', `connection trouble (${code}): ${errorText(err)}`, { retryable: true, cause: err });
  const anyCode = findInCauses(err, (e) => typeof e.code === 'string')?.code as string | undefined;
  const text = errorText(err);
  return new FetchFailure('network', anyCode && !text.includes(anyCode) ? `${text} (${anyCode})` : text, { cause: err });
}

export function abortedFailure(signal: AbortSignal): FetchFailure {
  const reason: unknown = signal.reason;
  const isTimeout = reason instanceof Error && reason.name === 'TimeoutError';
  return new FetchFailure(isTimeout ? 'timeout' : 'network', `aborted by caller${reason instanceof Error && reason.message ? `: ${reason.message}` : ''}`);
}

/** Drops a response body we will not read; undici reports the abort as an 'error' nobody else listens for. */
function discard(body: { on(event: 'error', fn: () => void): unknown; destroy(): unknown }): void {
  body.on('error', () => undefined);
  body.destroy();
}

async function readLimited(body: Parameters<typeof discard>[0] & AsyncIterable<Buffer>, limit: number, truncate: boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > limit) {
      discard(body);
      if (!truncate) throw new FetchFailure('too-large', `body exceeds maxBytes (${limit} bytes)`);
      chunks.push(chunk.subarray(0, chunk.length - (total - limit)));
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export class HttpFetcher {
  private readonly agent: Agent;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly gate: HostGate,
    private readonly policy: AddressPolicy,
  ) {
    this.agent = new Agent({
      // The lookup runs when the socket connects, so the guard sees the very address used (no rebinding window).
      connect: { lookup: guardedLookup(policy, config.lookup), timeout: config.timeoutMs },
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
    });
  }

  async fetch(url: string, signal?: AbortSignal): Promise<FetchedPage> {
    let current = parseUrl(url);
    const chain = [current.href];
    for (;;) {
      const hop = current;
      const result = await withRetries(this.config, signal, () => this.gate.run(hop.hostname, signal, () => this.exchange(hop, signal)));
      if ('redirect' in result) {
        const next = result.redirect;
        checkScheme(next, `redirect from ${hop.href}`);
        if (chain.includes(next.href)) {
          throw new FetchFailure('too-many-redirects', `redirect loop: ${[...chain, next.href].join(' → ')}`, { httpStatus: result.status });
        }
        if (chain.length - 1 >= this.config.maxRedirects) {
          throw new FetchFailure('too-many-redirects', `more than ${this.config.maxRedirects} redirects: ${[...chain, next.href].join(' → ')}`, { httpStatus: result.status });
        }
        chain.push(next.href);
        current = next;
        continue;
      }
      return buildPage({ url, finalUrl: current.href, status: result.status, headers: result.headers, body: result.body, fetcher: 'http' }, this.config.timeoutMs);
    }
  }

  /** One request/response, body read in full under the caps, within timeoutMs. */
  private async exchange(url: URL, callerSignal?: AbortSignal): Promise<Exchange> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new TimeoutSignal()), this.config.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([timeout.signal, callerSignal]) : timeout.signal;
    try {
      assertLiteralAllowed(this.policy, url.hostname);
      const target = new URL(url);
      target.hash = '';
      const res = await request(target, {
        method: 'GET',
        dispatcher: this.agent,
        signal,
        headers: {
          'user-agent': this.config.userAgent,
          accept: ACCEPT,
          'accept-language': this.config.acceptLanguage,
          'accept-encoding': ACCEPT_ENCODING,
        },
      });
      const status = res.statusCode;
      const headers = res.headers as Headers;
      const location = typeof headers.location === 'string' ? headers.location : undefined;
      if (REDIRECT_STATUSES.has(status) && location) {
        discard(res.body);
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw new FetchFailure('network', `HTTP ${status} redirect to an invalid Location: ${JSON.stringify(location)}`, { httpStatus: status });
        }
        return { redirect: next, status };
      }

      const ok = status >= 200 && status < 300;
      const declared = Number(headers['content-length']);
      if (ok && declared > this.config.maxBytes) {
        discard(res.body);
        throw new FetchFailure('too-large', `Content-Length ${declared} exceeds maxBytes (${this.config.maxBytes} bytes)`, { httpStatus: status });
      }
      const encodings = parseContentEncoding(headers['content-encoding']);
      if (!ok) {
        const raw = await readLimited(res.body, ERROR_PEEK_BYTES, true);
        const peek = await decodeContent(raw, encodings, ERROR_PEEK_BYTES, true).catch(() => raw);
        const text = decodeText(peek, headers['content-type'] as string | undefined, true).text;
        const wall = detectBotWall(status, headers, text);
        if (wall) throw new FetchFailure('bot-wall', `${wall} (HTTP ${status})`, { httpStatus: status });
        const retryable = RETRYABLE_STATUSES.has(status);
        const retryAfterMs = retryable ? parseRetryAfter(headers['retry-after']) : undefined;
        const what = status >= 300 && status < 400 ? 'without a usable Location' : STATUS_CODES[status] ? `(${STATUS_CODES[status]})` : '';
        throw new FetchFailure('http-status', `HTTP ${status}${what ? ` ${what}` : ''} from ${url.href}`, { httpStatus: status, retryable, retryAfterMs });
      }
      const raw = await readLimited(res.body, this.config.maxBytes, false);
      const body = await decodeContent(raw, encodings, this.config.maxDecompressedBytes);
      return { status, headers, body };
    } catch (err) {
      throw mapNetworkError(err, timeout.signal.aborted, callerSignal, this.config.timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}
