// The account commands, as an administrator scripts them: `user add` (password on standard input),
// `user set`, `user list --json`, `user token`, and clear usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from '../helpers/cli.ts';
import { createPostgresDatabase } from '../helpers/db.ts';

test('user add / set / list / token', async () => {
  const pg = await createPostgresDatabase();
  try {
    const env = { DATABASE_URL: pg.url, CLAUSEWATCH_PLANS: 'free:1,pro:10' };
    const add = await cli(['user', 'add', 'Admin@Example.org', '--role', 'admin'], env, { input: 'a long enough password\n' });
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /user 1 admin@example\.org: admin, plan free/);
    const weak = await cli(['user', 'add', 'x@example.org'], env, { input: 'short\n' });
    assert.equal(weak.code, 2);
    assert.match(weak.stderr, /at least 10 characters/);
    const dup = await cli(['user', 'add', 'admin@example.org'], env, { input: 'a long enough password\n' });
    assert.equal(dup.code, 2);
    assert.match(dup.stderr, /already exists/);
    const set = await cli(['user', 'set', 'admin@example.org', '--plan', 'pro'], env);
    assert.equal(set.code, 0, set.stderr);
    const badPlan = await cli(['user', 'set', 'admin@example.org', '--plan', 'gold'], env);
    assert.equal(badPlan.code, 2);
    assert.match(badPlan.stderr, /unknown plan "gold" \(plans: free, pro\)/);
    const list = JSON.parse((await cli(['user', 'list', '--json'], env)).stdout);
    assert.deepEqual(list.map((u: { email: string; role: string; plan: string }) => [u.email, u.role, u.plan]), [['admin@example.org', 'admin', 'pro']]);
    const token = await cli(['user', 'token', 'admin@example.org', 'nightly export'], env);
    assert.match(token.stdout, /^cwt_[\w-]{20,}\n$/);
    const bad = await cli(['alerts', 'send'], { ...env, CLAUSEWATCH_PLANS: 'free=1' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /CLAUSEWATCH_PLANS: "free=1" is not plan:platforms/);
  } finally {
    await pg.drop();
  }
});
