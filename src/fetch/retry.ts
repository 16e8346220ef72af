// When to try again and how long to wait first. Shared by the HTTP and browser fetchers.
import type { ResolvedConfig } from './config.ts';
import { FetchFailure } from './failure.ts';
import { sleep } from './wait.ts';

export const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential backoff with "equal jitter": half the step fixed, half random, so retries of many fetches spread out. */
export function backoffDelay(attempt: number, config: Pick<ResolvedConfig, 'retryBaseDelayMs' | 'retryMaxDelayMs'>, random = Math.random): number {
  const step = Math.min(config.retryMaxDelayMs, config.retryBaseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the retry budget is spent. A failure the server asked us to
 * delay longer than the cap is given up at once: retrying earlier than asked is what a bad bot would do.
 */
export async function withRetries<T>(config: ResolvedConfig, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof FetchFailure) || !err.retryable || n >= config.retries) throw err;
      const asked = err.retryAfterMs;
      if (asked !== undefined && asked > config.retryAfterCapMs) {
        throw new FetchFailure(err.kind, `${err.message}; server asked to retry after ${Math.round(asked / 1000)} s, longer than the ${Math.round(config.retryAfterCapMs / 1000)} s cap`, {
          httpStatus: err.httpStatus,
          cause: err,
        });
      }
      await sleep(Math.max(asked ?? 0, backoffDelay(n, config)), signal);
    }
  }
}
