// Multi-row reads as one JSON value. The embedded database (PGlite) decodes result rows field by field in
// JavaScript, which costs far more than the query itself for lists of a few hundred rows (a document's
// versions: ~5x); one json_agg string is parsed natively. PostgreSQL does not mind either way.
import { prepared, type Queryable } from '../../store/db.ts';

/** Rows of `sql` (which may end in ORDER BY: the aggregate keeps that order), with `dates` columns as Date. */
export async function jsonRows<T>(q: Queryable, sql: string, params: unknown[] = [], dates: readonly string[] = []): Promise<T[]> {
  const r = await q.query<{ j: string | null }>(`SELECT coalesce(json_agg(x), '[]')::text AS j FROM (${sql}) x`, params);
  return decode<T>(r, dates);
}

/** jsonRows as the prepared statement `name` (integer parameters only; see prepared() in src/store/db.ts). */
export async function jsonRowsPrepared<T>(q: Queryable, name: string, sql: string, params: number[], dates: readonly string[] = []): Promise<T[]> {
  const r = await prepared<{ j: string | null }>(q, name, `SELECT coalesce(json_agg(x), '[]')::text AS j FROM (${sql}) x`, params);
  return decode<T>(r, dates);
}

function decode<T>(r: { j: string | null }[], dates: readonly string[]): T[] {
  const rows = JSON.parse(r[0]?.j ?? '[]') as Record<string, unknown>[];
  if (dates.length) {
    for (const row of rows) {
      for (const k of dates) {
        const v = row[k];
        if (typeof v === 'string') row[k] = new Date(v);
      }
    }
  }
  return rows as T[];
}
