// Test databases: every suite that touches storage runs against both drivers, on real engines.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';

export const ADMIN_URL = process.env.CLAUSEWATCH_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type Driver = 'pglite' | 'postgres';
export const DRIVERS: Driver[] = ['pglite', 'postgres'];

export interface TestDb {
  db: Db;
  /** postgres:// URL of the database (for child processes), or undefined for PGlite. */
  url?: string;
  /** PGlite data folder, for child processes; undefined for Postgres and in-memory PGlite. */
  dataDir?: string;
  drop(): Promise<void>;
}

export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cw_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`); // name is generated above, never user input
  await admin.end();
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function openTestDb(driver: Driver, opts: { dataDir?: string } = {}): Promise<TestDb> {
  if (driver === 'postgres') {
    const pgdb = await createPostgresDatabase();
    const db = await openDb({ url: pgdb.url });
    await migrate(db);
    return { db, url: pgdb.url, drop: async () => { await db.close(); await pgdb.drop(); } };
  }
  const db = await openDb({ url: '', dataDir: opts.dataDir ?? 'memory' });
  await migrate(db);
  return { db, dataDir: opts.dataDir, drop: () => db.close() };
}
