// Fetcher settings and their defaults, resolved once so every part of the stage reads the same numbers.
import { readFileSync } from 'node:fs';
import type { LookupFunction } from 'node:net';

export interface FetcherConfig {
  /** Limit for one HTTP exchange (connect, headers and whole body) or one browser page load. Default 30 000 ms.
   *  Retries get a fresh budget each, so the worst case for one fetchPage is about (retries + 1) × timeoutMs + backoff. */
  timeoutMs?: number;
  /** Largest body accepted as it comes over the wire (before content-encoding is undone). Default 15 MB. */
  maxBytes?: number;
  /** Largest body accepted after gzip/br/deflate decoding: the cap that defuses compression bombs. Default 30 MB. */
  maxDecompressedBytes?: number;
  /** Redirects followed before giving up with too-many-redirects. Default 5. */
  maxRedirects?: number;
  /** Extra attempts after a timeout, a connection reset, or HTTP 429/502/503/504. Default 3. */
  retries?: number;
  /** First backoff delay; doubles each retry, with jitter. Default 1 000 ms. */
  retryBaseDelayMs?: number;
  /** Upper bound of one computed backoff delay. Default 30 000 ms. */
  retryMaxDelayMs?: number;
  /** Longest Retry-After honoured; a server asking for longer gets no retry (retrying early would be rude). Default 60 000 ms. */
  retryAfterCapMs?: number;
  /** Pause between the end of one request and the start of the next to the same hostname. Default 2 000 ms. */
  politenessDelayMs?: number;
  /** Sent with every request. Default `Clausewatch/<version> (+https://github.com/clausewatch/clausewatch; legal-document monitor)`. */
  userAgent?: string;
  /** Accept-Language sent with every request. Default `en`. */
  acceptLanguage?: string;
  /** false (default): refuse loopback, private, link-local, CGNAT, unique-local, unspecified and multicast targets.
   *  true: allow everything. A list of IPs or CIDRs (e.g. ['127.0.0.1']): allow only those among the refused ranges. */
  allowPrivateAddresses?: boolean | string[];
  /** Name resolution used before connecting; defaults to dns.lookup. The address guard checks whatever it returns. */
  lookup?: LookupFunction;
  /** Chromium binary for fetch: 'browser'. Default /usr/bin/chromium. */
  browserExecutable?: string;
  /** How long a browser fetch waits for network idle after load before taking the DOM anyway. Default 10 000 ms. */
  networkIdleTimeoutMs?: number;
  /** Browser pages open at once across all hosts (each is a whole renderer). Default 2. */
  browserConcurrency?: number;
}

export type ResolvedConfig = Required<Omit<FetcherConfig, 'lookup'>> & { lookup?: LookupFunction };

const MB = 1024 * 1024;

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const DEFAULT_USER_AGENT = `Clausewatch/${packageVersion()} (+https://github.com/clausewatch/clausewatch; legal-document monitor)`;

export const DEFAULTS: ResolvedConfig = {
  timeoutMs: 30_000,
  maxBytes: 15 * MB,
  maxDecompressedBytes: 30 * MB,
  maxRedirects: 5,
  retries: 3,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 30_000,
  retryAfterCapMs: 60_000,
  politenessDelayMs: 2_000,
  userAgent: DEFAULT_USER_AGENT,
  acceptLanguage: 'en',
  allowPrivateAddresses: false,
  browserExecutable: '/usr/bin/chromium',
  networkIdleTimeoutMs: 10_000,
  browserConcurrency: 2,
};

export function resolveConfig(config: FetcherConfig = {}): ResolvedConfig {
  const defined = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  const resolved = { ...DEFAULTS, ...defined } as ResolvedConfig;
  for (const key of ['timeoutMs', 'maxBytes', 'maxDecompressedBytes', 'networkIdleTimeoutMs'] as const) {
    if (!(resolved[key] > 0)) throw new RangeError(`FetcherConfig.${key} must be a positive number`);
  }
  for (const key of ['maxRedirects', 'retries', 'retryBaseDelayMs', 'retryMaxDelayMs', 'retryAfterCapMs', 'politenessDelayMs'] as const) {
    if (!(resolved[key] >= 0)) throw new RangeError(`FetcherConfig.${key} must be zero or more`);
  }
  if (!(resolved.browserConcurrency >= 1)) throw new RangeError('FetcherConfig.browserConcurrency must be at least 1');
  return resolved;
}
