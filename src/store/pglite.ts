import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable, Row } from './db.ts';

export async function openPglite(dataDir: string | undefined): Promise<Db> {
  const pg = dataDir ? new PGlite(dataDir) : new PGlite();
  await pg.waitReady;
  const wrap = (q: { query: PGlite['query'] }): Queryable => ({
    async query<T = Row>(sql: string, params: unknown[] = []) {
      const res = await q.query<T>(sql, params as unknown[]);
      return res.rows.map((r) => normaliseRow(r as Row)) as T[];
    },
  });
  return {
    kind: 'pglite',
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
  };
}

// PGlite returns bytea as Uint8Array where node-postgres returns Buffer: give callers one type.
function normaliseRow(row: Row): Row {
  for (const k in row) {
    const v = row[k];
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  return row;
}
