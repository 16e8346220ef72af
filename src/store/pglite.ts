import { PGlite } from '@electric-sql/pglite';
import { checkPrepared, type Db, type Queryable, type Row } from './db.ts';

export async function openPglite(dataDir: string | undefined): Promise<Db> {
  const pg = dataDir ? new PGlite(dataDir) : new PGlite();
  await pg.waitReady;
  const wrap = (q: { query: PGlite['query'] }): Queryable => ({
    async query<T = Row>(sql: string, params: unknown[] = []) {
      const res = await q.query<T>(sql, params as unknown[]);
      return res.rows.map((r) => normaliseRow(r as Row)) as T[];
    },
  });
  // PGlite has no named statements in its API, so SQL-level PREPARE/EXECUTE (one session: prepared once).
  // EXECUTE takes no bind parameters, hence integers only, written as literals after checkPrepared.
  const statements = new Map<string, { sql: string; ready: Promise<unknown> }>();
  async function queryPrepared<T = Row>(name: string, sql: string, params: number[]): Promise<T[]> {
    checkPrepared(name, params);
    let s = statements.get(name);
    if (s && s.sql !== sql) throw new Error(`prepared statement ${name} already names another query`);
    if (!s) {
      const ready = pg.query(`PREPARE ${name} AS ${sql}`);
      statements.set(name, (s = { sql, ready }));
      ready.catch(() => statements.delete(name));
    }
    await s.ready;
    const res = await pg.query<T>(params.length ? `EXECUTE ${name}(${params.join(', ')})` : `EXECUTE ${name}`);
    return res.rows.map((r) => normaliseRow(r as Row)) as T[];
  }
  return {
    kind: 'pglite',
    ...wrap(pg),
    queryPrepared,
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
