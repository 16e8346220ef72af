// A throwaway database for an evidence benchmark: a PGlite folder in the temp dir, or a new database on the
// PostgreSQL server the tests use (CLAUSEWATCH_TEST_PG), migrated, and removed again by done().
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';

export async function openBenchDb(driver: string, prefix: string): Promise<{ db: Db; done: () => Promise<void> }> {
  if (driver === 'pglite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), `cw-bench-${prefix}-`));
    const db = await openDb({ url: '', dataDir: dir });
    await migrate(db);
    return { db, done: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const admin = process.env.CLAUSEWATCH_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `cw_bench_${randomBytes(4).toString('hex')}`; // generated here, never user input
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const db = await openDb({ url: admin.replace(/\/[^/]*$/, `/${name}`) });
  await migrate(db);
  return {
    db,
    done: async () => {
      await db.close();
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}
