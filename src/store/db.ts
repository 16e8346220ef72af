// The one interface every other folder uses to reach the database. Only src/store speaks SQL drivers;
// SQL text lives next to the functions that need it, always with $n parameters.
import path from 'node:path';
import { mkdirSync } from 'node:fs';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * query(sql, params) as a named prepared statement, planned once per connection and then reused: for
   * hot reads whose planning costs more than running them (a provision page's query plans in ~1.7 ms and
   * runs in ~0.5 ms on PGlite). Integer parameters only. Optional (transactions lack it): call prepared().
   */
  queryPrepared?<T = Row>(name: string, sql: string, params: number[]): Promise<T[]>;
}

/** Runs sql as the prepared statement `name` where the connection supports it, else as a plain query. */
export function prepared<T = Row>(q: Queryable, name: string, sql: string, params: number[]): Promise<T[]> {
  return q.queryPrepared ? q.queryPrepared<T>(name, sql, params) : q.query<T>(sql, params);
}

/** Checks a prepared statement's name and integer parameters (the PGlite path puts both into SQL text). */
export function checkPrepared(name: string, params: number[]): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`prepared statement name "${name}" must be a lower-case SQL identifier`);
  for (const [i, v] of params.entries()) {
    if (!Number.isSafeInteger(v)) throw new Error(`prepared statement ${name}: parameter $${i + 1} is not an integer: ${String(v)}`);
  }
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction: all of it is committed, or none of it. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… URL; when absent the embedded PGlite database is used. */
  url?: string;
  /** PGlite data folder; 'memory' for a throwaway in-memory database. */
  dataDir?: string;
}

export function defaultDataDir(): string {
  return path.resolve(process.env.CLAUSEWATCH_DATA ?? 'data');
}

export async function openDb(opts: OpenOptions = {}): Promise<Db> {
  const url = opts.url ?? process.env.DATABASE_URL;
  if (url) {
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(url);
  }
  const { openPglite } = await import('./pglite.ts');
  if (opts.dataDir === 'memory') return openPglite(undefined);
  const dir = path.join(opts.dataDir ?? defaultDataDir(), 'pglite');
  mkdirSync(dir, { recursive: true });
  return openPglite(dir);
}
