import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cli, CORPUS } from '../helpers/cli.ts';
import { createPostgresDatabase } from '../helpers/db.ts';

test('usage errors exit with 2, help with 0', async () => {
  assert.equal((await cli(['--help'])).code, 0);
  assert.equal((await cli(['no-such-command'])).code, 2);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-cli-'));
  try {
    const env = { CLAUSEWATCH_DATA: dir };
    const r = await cli(['diff', 'CW-X-1', 'CW-V-000001'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a version record id/);
    assert.equal((await cli(['show', 'CW-V-999999'], env)).code, 2);
    assert.equal((await cli(['history', 'nobody'], env)).code, 2);
    assert.equal((await cli(['track', 'nobody'], env)).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an invalid declaration file is named with its field and reason, and nothing is loaded', async () => {
  const decl = mkdtempSync(path.join(os.tmpdir(), 'cw-decl-'));
  const data = mkdtempSync(path.join(os.tmpdir(), 'cw-data-'));
  try {
    writeFileSync(path.join(decl, 'acme.yaml'), 'name: Acme\nslug: acme\nhomepage: https://acme.test\njurisdictions: [US]\ntags: []\ndocuments:\n  - type: not-a-type\n    url: https://acme.test/terms\n');
    const r = await cli(['track'], { CLAUSEWATCH_DECLARATIONS: decl, CLAUSEWATCH_DATA: data });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /acme\.yaml/);
    assert.match(r.stderr, /documents\[0\]\.type/);
  } finally {
    rmSync(decl, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
});

for (const driver of ['pglite', 'postgres'] as const) {
  test(`${driver}: import, history, show, diff and verify work end to end through the CLI`, async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'cw-e2e-'));
    const pg = driver === 'postgres' ? await createPostgresDatabase() : undefined;
    const env = { CLAUSEWATCH_DATA: data, DATABASE_URL: pg?.url ?? '' };
    try {
      const imp = await cli(['import-ota', path.join(CORPUS, 'ota/demo-versions.bundle'), '--json'], env);
      assert.equal(imp.code, 0, imp.stderr);
      assert.equal(JSON.parse(imp.stdout).documents, 19);

      const hist = await cli(['history', 'github', 'terms-of-service', '--json'], env);
      assert.equal(hist.code, 0, hist.stderr);
      const versions = JSON.parse(hist.stdout).documents[0].versions;
      assert.ok(versions.length >= 5);
      const [a, b] = [versions[0].record, versions[versions.length - 1].record];

      const show = await cli(['show', b, '--json'], env);
      assert.equal(show.code, 0, show.stderr);
      assert.match(JSON.parse(show.stdout).text, /GitHub/);

      const diff = await cli(['diff', a, b, '--json', '--mode', 'word'], env);
      assert.equal(diff.code, 0, diff.stderr);
      assert.ok(JSON.parse(diff.stdout).stats.inserted > 0);

      const status = await cli(['status', '--json'], env);
      assert.ok(JSON.parse(status.stdout).totals.documents >= 19);

      const ok = await cli(['verify', '--json'], env);
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      assert.equal(JSON.parse(ok.stdout).ok, true);
    } finally {
      await pg?.drop();
      rmSync(data, { recursive: true, force: true });
    }
  });
}

test('pglite: verify names the version whose stored text was altered', async () => {
  const data = mkdtempSync(path.join(os.tmpdir(), 'cw-tamper-'));
  try {
    const env = { CLAUSEWATCH_DATA: data };
    assert.equal((await cli(['import-ota', path.join(CORPUS, 'ota/demo-versions.bundle')], env)).code, 0);
    const { openDb } = await import('../../src/store/db.ts');
    const db = await openDb({ url: '', dataDir: data });
    const victim = (await db.query<{ id: number; text_sha256: string }>('SELECT id, text_sha256 FROM versions ORDER BY id LIMIT 1'))[0]!;
    await db.query(`UPDATE texts SET body = body || ' ' WHERE sha256 = $1`, [victim.text_sha256]);
    await db.close();
    const r = await cli(['verify'], env);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`MISMATCH CW-V-${String(victim.id).padStart(6, '0')}`));
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});
