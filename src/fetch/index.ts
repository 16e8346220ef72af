// The fetch stage's front door: one object that fetches a URL over plain HTTP or through Chromium and always
// answers with a FetchOutcome. Network trouble never throws.
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { FetchOutcome, Fetcher } from '../domain/types.ts';
import { createAddressPolicy, guardedLookup } from './address-guard.ts';
import { BrowserFetcher, UseHttpInstead } from './browser-fetch.ts';
import { resolveConfig, type FetcherConfig } from './config.ts';
import { FetchFailure, errorText } from './failure.ts';
import { HostGate } from './host-gate.ts';
import { HttpFetcher, abortedFailure } from './http-fetch.ts';

export type { FetcherConfig } from './config.ts';
export { DEFAULTS as FETCHER_DEFAULTS, DEFAULT_USER_AGENT } from './config.ts';

export interface FetchPageOptions {
  /** 'http' (default) or 'browser' for pages that need JavaScript. */
  fetch?: Fetcher;
  /** Aborts queueing, backoff and the request; the outcome is then a problem, not an exception. */
  signal?: AbortSignal;
}

/** Named PageFetcher because domain's `Fetcher` already names the 'http' | 'browser' choice. */
export interface PageFetcher {
  fetchPage(url: string, opts?: FetchPageOptions): Promise<FetchOutcome>;
  /** Closes the browser (if one was started) and idle connections. */
  close(): Promise<void>;
}

export function createFetcher(config?: FetcherConfig): PageFetcher {
  const resolved = resolveConfig(config);
  const policy = createAddressPolicy(resolved.allowPrivateAddresses);
  const gate = new HostGate(resolved.politenessDelayMs);
  const http = new HttpFetcher(resolved, gate, policy);
  const lookup = guardedLookup(policy, resolved.lookup ?? (dns.lookup as unknown as LookupFunction));
  let browser: BrowserFetcher | undefined;
  let closed = false;

  return {
    async fetchPage(url, opts = {}) {
      const { signal } = opts;
      try {
        if (closed) throw new FetchFailure('network', 'fetcher is closed');
        if (opts.fetch === 'browser') {
          browser ??= new BrowserFetcher(resolved, gate, policy, lookup);
          try {
            return { ok: true, page: await browser.fetch(url, signal) };
          } catch (err) {
            if (!(err instanceof UseHttpInstead)) throw err;
          }
        }
        return { ok: true, page: await http.fetch(url, signal) };
      } catch (err) {
        const failure =
          err instanceof FetchFailure
            ? err
            : signal?.aborted
              ? abortedFailure(signal)
              : new FetchFailure('network', `unexpected failure: ${errorText(err)}`, { cause: err });
        return { ok: false, problem: failure.toProblem(url) };
      }
    },

    async close() {
      closed = true;
      await Promise.all([http.close(), browser?.close()]);
    },
  };
}
