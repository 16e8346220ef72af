import pg from 'pg';
import { checkPrepared, type Db, type Queryable, type Row } from './db.ts';

export async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client whose connection the server ends (restart, DROP DATABASE … FORCE, admin kill) emits
  // 'error' on the pool; unhandled, that would crash the process. The next query reconnects.
  pool.on('error', (err) => {
    if (process.env.CLAUSEWATCH_DEBUG) process.stderr.write(`postgres: idle connection lost: ${err.message}\n`);
  });
  // Fail fast with a clear message rather than on the first real query.
  try {
    const c = await pool.connect();
    c.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new Error(`cannot connect to PostgreSQL at ${redact(url)}: ${(err as Error).message}`);
  }
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T = Row>(sql: string, params: unknown[] = []) {
      const res = await q.query(sql, params);
      return res.rows as T[];
    },
  });
  const statements = new Map<string, string>();
  return {
    kind: 'postgres',
    ...wrap(pool),
    // node-postgres prepares a named statement on each pooled connection the first time it runs there.
    async queryPrepared<T = Row>(name: string, sql: string, params: number[]) {
      checkPrepared(name, params);
      if ((statements.get(name) ?? sql) !== sql) throw new Error(`prepared statement ${name} already names another query`);
      statements.set(name, sql);
      const res = await pool.query({ name, text: sql, values: params });
      return res.rows as T[];
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
