import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { migrate, listMigrations } from '../../src/store/migrate.ts';

for (const driver of DRIVERS) {
  test(`${driver}: migrations apply once and record their versions`, async () => {
    const t = await openTestDb(driver);
    try {
      assert.deepEqual(await migrate(t.db), [], 'second run applies nothing');
      const rows = await t.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((r) => r.version), listMigrations().map((m) => m.version));
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: a failing statement rolls the whole transaction back`, async () => {
    const t = await openTestDb(driver);
    try {
      await assert.rejects(
        t.db.transaction(async (tx) => {
          await tx.query(`INSERT INTO platforms (slug, name) VALUES ('a', 'A')`);
          await tx.query(`INSERT INTO platforms (slug, name) VALUES ('a', 'A again')`);
        }),
      );
      const rows = await t.db.query('SELECT * FROM platforms');
      assert.equal(rows.length, 0);
    } finally {
      await t.drop();
    }
  });
}
