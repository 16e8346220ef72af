import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { CORPUS, OTA_CACHE } from '../helpers/cli.ts';
import { importOta, classifySubject } from '../../src/importer/ota.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { verifyStore } from '../../src/record/verify.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

const DEMO_VERSIONS = path.join(CORPUS, 'ota/demo-versions.bundle');
const catalog = loadCatalog(path.join(REPO_ROOT, 'declarations'));
const CACHE = OTA_CACHE;

test('technical-upgrade and refilter commits are re-extractions, not changes at the source', () => {
  assert.equal(classifySubject('Apply technical or declaration upgrade on GitHub Terms of Service'), 'reextraction');
  assert.equal(classifySubject('Refilter Facebook Terms of Service'), 'reextraction');
  assert.equal(classifySubject('Record new changes of GitHub Terms of Service'), 'record');
  assert.equal(classifySubject('First record of GitHub Terms of Service'), 'record');
});

for (const driver of DRIVERS) {
  test(`${driver}: imports the demo versions bundle, idempotently, and resumes where it stopped`, async () => {
    const cache = CACHE;
    const full = await openTestDb(driver);
    const partial = await openTestDb(driver);
    try {
      const s = await importOta(full.db, { source: DEMO_VERSIONS, cacheDir: cache, catalog });
      assert.equal(s.kind, 'versions');
      assert.equal(s.documents, 19);
      const recorded = s.outcomes.first + s.outcomes.changed + s.outcomes.returned + s.outcomes.reextraction;
      assert.ok(recorded > 19, `recorded ${recorded} versions`);
      assert.equal(s.outcomes.first, 19);
      assert.ok(s.outcomes.reextraction > 0, 'technical upgrades are kept apart');
      const again = await importOta(full.db, { source: DEMO_VERSIONS, cacheDir: cache, catalog });
      assert.equal(again.captures, 0, 'a second run finds everything already imported');

      // Stop after 40 commits, then resume: the result equals one uninterrupted import.
      const first = await importOta(partial.db, { source: DEMO_VERSIONS, cacheDir: cache, catalog, limit: 40 });
      assert.equal(first.commits, 40);
      const rest = await importOta(partial.db, { source: DEMO_VERSIONS, cacheDir: cache, catalog });
      assert.equal(rest.resumedAt, 40);
      const q = 'SELECT d.key, v.kind, v.text_sha256, v.recorded_at FROM versions v JOIN documents d ON d.id = v.document_id ORDER BY d.key, v.recorded_at, v.id';
      assert.deepEqual(await partial.db.query(q), await full.db.query(q));
      assert.equal((await verifyStore(full.db)).mismatches.length, 0);
    } finally {
      await full.drop();
      await partial.drop();
    }
  });
}

test('pglite: imports a snapshots repository, re-extracting pages with the declarations', async () => {
  const cache = CACHE;
  const t = await openTestDb('pglite');
  try {
    const s = await importOta(t.db, { source: path.join(CORPUS, 'ota/demo-snapshots.bundle'), cacheDir: cache, catalog, limit: 300 });
    assert.equal(s.kind, 'snapshots');
    assert.equal(s.commits, 300);
    assert.ok(s.outcomes.first >= 1);
    // Nearly every snapshot differs byte for byte; very few of them are changes of text.
    assert.ok(s.outcomes.unchanged > s.outcomes.changed * 5, JSON.stringify(s.outcomes));
    const snaps = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM snapshots');
    assert.equal(snaps[0]!.n, s.captures, 'one snapshot per single-page capture');
  } finally {
    await t.drop();
  }
});

test('a folder that is not a git repository gets a clear error', async () => {
  const t = await openTestDb('pglite');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-notgit-'));
  try {
    await assert.rejects(importOta(t.db, { source: dir, cacheDir: dir, catalog }), /is not a git repository/);
    await assert.rejects(importOta(t.db, { source: path.join(dir, 'missing.bundle'), cacheDir: dir, catalog }), /does not exist/);
  } finally {
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
