// The one interface every other folder uses to reach the database. Only src/store speaks SQL drivers;
// SQL text lives next to the functions that need it, always with $n parameters.
import path from 'node:path';
import { mkdirSync } from 'node:fs';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
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
