// The one internal error type of the fetch stage: thrown deep inside, turned into a FetchProblem at the edge,
// so no caller ever sees a raw network exception.
import type { FetchProblem, FetchProblemKind } from '../domain/types.ts';

export class FetchFailure extends Error {
  readonly kind: FetchProblemKind;
  readonly httpStatus: number | undefined;
  /** Whether another attempt could plausibly succeed (timeouts, resets, 429/502/503/504). */
  readonly retryable: boolean;
  /** What the server asked for in Retry-After, in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: FetchProblemKind,
    detail: string,
    opts: { httpStatus?: number; retryable?: boolean; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(detail, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'FetchFailure';
    this.kind = kind;
    this.httpStatus = opts.httpStatus;
    this.retryable = opts.retryable ?? false;
    this.retryAfterMs = opts.retryAfterMs;
  }

  toProblem(url: string): FetchProblem {
    const problem: FetchProblem = { kind: this.kind, detail: this.message, url };
    if (this.httpStatus !== undefined) problem.httpStatus = this.httpStatus;
    return problem;
  }
}

/** Walks an error's cause chain (undici and net wrap each other) looking for a match. */
export function findInCauses(err: unknown, match: (e: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const rec = current as Record<string, unknown>;
    if (match(rec)) return rec;
    if (Array.isArray(rec.errors)) {
      for (const inner of rec.errors) {
        const found = findInCauses(inner, match);
        if (found) return found;
      }
    }
    current = rec.cause;
  }
  return undefined;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const msg = err.message || err.name;
    return typeof code === 'string' && !msg.includes(code) ? `${msg} (${code})` : msg;
  }
  return String(err);
}
