// The account commands, as an administrator scripts them: `user add` (password on standard input),
// `user set`, `user token`, and clear usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from '../helpers/cli.ts';
import { createPostgresDatabase } from '../helpers/db.ts';
import { openDb } from '../../src/store/db.ts';
import { listUsers } from '../../src/monitor/accounts.ts';

test('user add / set / list / token', async () => {
  const pg = await createPostgresDatabase();
  try {
    const env = { DATABASE_URL: pg.url, CLAUSEWATCH_PLANS: 'free:1,pro:10' };
    const add = await cli(['user', 'add', 'Admin@Example.org', '--role', 'admin'], env, { input: 'a long enough password\n' });
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /user 1 admin@example\.org: admin, plan free/);
    const set = await cli(['user', 'set', 'admin@example.org', '--plan', 'pro'], env);
    assert.equal(set.code, 0, set.stderr);
    const badPlan = await cli(['user', 'set', 'admin@example.org', '--plan', 'gold'], env);
    assert.equal(badPlan.code, 2);
    assert.match(badPlan.stderr, /unknown plan "gold" \(plans: free, pro\)/);
    const db = await openDb({ url: pg.url });
    try {
      assert.deepEqual((await listUsers(db)).map((u) => [u.email, u.role, u.plan]), [['admin@example.org', 'admin', 'pro']]);
      const [row] = await db.query<{ confirmed: boolean; active: boolean }>(
        "SELECT u.email_confirmed_at IS NOT NULL AS confirmed, c.active FROM users u JOIN channels c ON c.user_id = u.id AND c.kind = 'email'",
      );
      assert.deepEqual(row, { confirmed: true, active: true }, 'an account the admin creates counts as confirmed');
    } finally {
      await db.close();
    }
    const token = await cli(['user', 'token', 'admin@example.org', 'nightly export'], env);
    assert.match(token.stdout, /^cwt_[\w-]{20,}\n$/);
  } finally {
    await pg.drop();
  }
});
