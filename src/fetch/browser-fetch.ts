// Fetching pages that only exist after JavaScript runs: one Chromium reused across fetches, a fresh context per
// page (no cookies carried between sites), all traffic through the guard proxy, DOM taken at network idle.
import { STATUS_CODES } from 'node:http';
import type { LookupFunction } from 'node:net';
import type { Browser, BrowserContext, Response } from 'playwright-core';
import type { FetchedPage } from '../domain/types.ts';
import { resolveGuarded, type AddressPolicy } from './address-guard.ts';
import { detectBotWall } from './bot-wall.ts';
import type { ResolvedConfig } from './config.ts';
import { FetchFailure, errorText } from './failure.ts';
import { BLOCKED_HEADER, GuardProxy, PROXY_ERROR_HEADER, type ProxyIncident } from './guard-proxy.ts';
import type { HostGate } from './host-gate.ts';
import { abortedFailure, mapNetworkError, parseUrl } from './http-fetch.ts';
import { mediaTypeOf } from './media.ts';
import { buildPage } from './page.ts';
import { RETRYABLE_STATUSES, parseRetryAfter, withRetries } from './retry.ts';
import { Semaphore } from './wait.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  // WebRTC would reach addresses over UDP, around the guard proxy.
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
];

/** The document is not HTML (a PDF, usually, or a download): Chromium would show it in a viewer whose DOM and
 *  even response body replace the document, so the plain HTTP path fetches it instead. */
export class UseHttpInstead extends Error {}

const TRANSIENT_NET_ERRORS = /ERR_(CONNECTION_RESET|CONNECTION_CLOSED|EMPTY_RESPONSE|NETWORK_CHANGED|TIMED_OUT|CONNECTION_TIMED_OUT)/;

export class BrowserFetcher {
  private browser: Promise<Browser> | undefined;
  private readonly slots: Semaphore;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly gate: HostGate,
    private readonly policy: AddressPolicy,
    private readonly lookup: LookupFunction,
  ) {
    this.slots = new Semaphore(config.browserConcurrency);
  }

  async fetch(url: string, signal?: AbortSignal): Promise<FetchedPage> {
    const target = parseUrl(url);
    return withRetries(this.config, signal, () => this.gate.run(target.hostname, signal, () => this.load(url, target, signal)));
  }

  private launch(): Promise<Browser> {
    if (!this.browser) {
      // Imported on first use: playwright-core is large, and most runs never open a browser.
      const starting = import('playwright-core')
        .then(({ chromium }) => chromium.launch({ executablePath: this.config.browserExecutable, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 }))
        .then((browser) => {
          browser.on('disconnected', () => {
            if (this.browser === starting) this.browser = undefined;
          });
          return browser;
        })
        .catch((err: unknown) => {
          this.browser = undefined;
          throw new FetchFailure('browser', `could not start Chromium (${this.config.browserExecutable}): ${firstLine(errorText(err))}`, { cause: err });
        });
      this.browser = starting;
    }
    return this.browser;
  }

  private async load(url: string, target: URL, signal?: AbortSignal): Promise<FetchedPage> {
    if (signal?.aborted) throw abortedFailure(signal);
    // Refuse a blocked first hop before paying for a browser page.
    try {
      await resolveGuarded(this.lookup, this.policy, target.hostname);
    } catch (err) {
      throw mapNetworkError(err, false, signal, this.config.timeoutMs);
    }
    const release = await this.slots.acquire(signal);
    let proxy: GuardProxy | undefined;
    let context: BrowserContext | undefined;
    const onAbort = () => void context?.close().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const browser = await this.launch();
      proxy = await GuardProxy.start(this.policy, this.lookup, this.config.timeoutMs);
      context = await browser.newContext({
        userAgent: this.config.userAgent,
        proxy: { server: proxy.url },
        serviceWorkers: 'block',
        acceptDownloads: false,
        // Only Accept-Language: a page-wide Accept would also override what images and scripts ask for.
        extraHTTPHeaders: { 'accept-language': this.config.acceptLanguage },
      });
      if (signal?.aborted) throw abortedFailure(signal);
      const page = await context.newPage();
      const started = Date.now();
      let response: Response | null;
      try {
        // Only the document is waited for here; the load event can hang on one slow ad or tracker, and what
        // follows (network idle, bounded) is a best effort that never fails the fetch.
        response = await page.goto(target.href, { waitUntil: 'domcontentloaded', timeout: this.config.timeoutMs });
      } catch (err) {
        throw this.navigationFailure(err, proxy.incidents, signal);
      }
      if (!response) throw new FetchFailure('browser', `Chromium returned no response for ${target.href}`);

      let redirects = 0;
      for (let req = response.request().redirectedFrom(); req; req = req.redirectedFrom()) redirects++;
      if (redirects > this.config.maxRedirects) {
        throw new FetchFailure('too-many-redirects', `more than ${this.config.maxRedirects} redirects (${redirects}) before ${response.url()}`);
      }
      const headers = await response.allHeaders();
      const status = response.status();
      if (headers[BLOCKED_HEADER]) throw new FetchFailure('blocked-address', headers[BLOCKED_HEADER]);
      if (headers[PROXY_ERROR_HEADER]) {
        const detail = headers[PROXY_ERROR_HEADER];
        throw new FetchFailure(/timed out|ETIMEDOUT/i.test(detail) ? 'timeout' : 'network', detail, { retryable: /ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN/.test(detail) });
      }

      const mediaType = mediaTypeOf(headers['content-type']);
      const isDom = mediaType === '' || mediaType === 'text/html' || mediaType === 'application/xhtml+xml';
      if (!isDom && status < 300) throw new UseHttpInstead(`${mediaType} is not rendered`);
      // Chromium wraps even 0 bytes in <html><head></head><body></body></html>; the raw response tells the truth.
      const raw = await response.body().catch(() => undefined);
      if (raw && raw.length === 0 && status < 300) throw new FetchFailure('empty-page', `HTTP ${status} with an empty body (0 bytes)`, { httpStatus: status });

      const idleBudget = Math.min(this.config.networkIdleTimeoutMs, Math.max(0, this.config.timeoutMs - (Date.now() - started)));
      if (idleBudget > 0) await page.waitForLoadState('networkidle', { timeout: idleBudget }).catch(() => undefined);
      if (signal?.aborted) throw abortedFailure(signal);

      const html = isDom ? await page.content() : undefined;
      const body = html !== undefined ? Buffer.from(html, 'utf8') : await response.body();
      if (body.length > this.config.maxBytes) throw new FetchFailure('too-large', `rendered page (${body.length} bytes) exceeds maxBytes (${this.config.maxBytes} bytes)`, { httpStatus: status });

      if (status >= 400) {
        const wall = detectBotWall(status, headers, html ?? body.toString('utf8'));
        if (wall) throw new FetchFailure('bot-wall', `${wall} (HTTP ${status})`, { httpStatus: status });
        const retryable = RETRYABLE_STATUSES.has(status);
        throw new FetchFailure('http-status', `HTTP ${status}${STATUS_CODES[status] ? ` (${STATUS_CODES[status]})` : ''} from ${response.url()}`, {
          httpStatus: status,
          retryable,
          retryAfterMs: retryable ? parseRetryAfter(headers['retry-after']) : undefined,
        });
      }
      const pageHeaders = html !== undefined ? { ...headers, 'content-type': 'text/html; charset=utf-8' } : headers;
      return await buildPage({ url, finalUrl: page.url(), status, headers: pageHeaders, body, fetcher: 'browser', ...(html !== undefined ? { text: html } : {}) }, this.config.timeoutMs);
    } catch (err) {
      if (err instanceof FetchFailure || err instanceof UseHttpInstead) throw err;
      if (signal?.aborted) throw abortedFailure(signal);
      throw new FetchFailure('browser', `Chromium failed: ${firstLine(errorText(err))}`, { cause: err });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await context?.close().catch(() => undefined);
      await proxy?.close();
      release();
    }
  }

  private navigationFailure(err: unknown, incidents: ProxyIncident[], signal?: AbortSignal): Error {
    if (signal?.aborted) return abortedFailure(signal);
    const text = firstLine(errorText(err));
    if (/Download is starting/i.test(text)) return new UseHttpInstead(text);
    if (err instanceof Error && err.name === 'TimeoutError') {
      return new FetchFailure('timeout', `page did not load within ${this.config.timeoutMs} ms`, { retryable: true, cause: err });
    }
    if (/ERR_TOO_MANY_REDIRECTS/.test(text)) return new FetchFailure('too-many-redirects', `redirect loop or chain too long: ${text}`, { cause: err });
    // A failed tunnel or proxied request is explained by what the proxy saw, newest first.
    const incident = [...incidents].reverse().find((i) => i.blocked) ?? incidents.at(-1);
    if (incident?.blocked && /ERR_(TUNNEL_CONNECTION_FAILED|BLOCKED|ABORTED)/.test(text)) return new FetchFailure('blocked-address', incident.detail, { cause: err });
    if (incident && /ERR_TUNNEL_CONNECTION_FAILED/.test(text)) {
      return new FetchFailure('network', `${incident.host}: ${incident.detail}`, { retryable: /ECONNRESET|ETIMEDOUT|EAI_AGAIN/.test(incident.code ?? ''), cause: err });
    }
    if (TRANSIENT_NET_ERRORS.test(text)) return new FetchFailure(/TIMED_OUT/.test(text) ? 'timeout' : 'network', text, { retryable: true, cause: err });
    if (/net::ERR_/.test(text)) return new FetchFailure('network', text, { cause: err });
    return new FetchFailure('browser', `Chromium failed: ${text}`, { cause: err });
  }

  async close(): Promise<void> {
    const starting = this.browser;
    this.browser = undefined;
    if (!starting) return;
    const browser = await starting.catch(() => undefined);
    await browser?.close().catch(() => undefined);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
