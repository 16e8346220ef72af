// An Open Terms Archive import is analysed after it, in one drain, on both drivers; a re-run keeps ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { CORPUS, OTA_CACHE, REPO_ROOT } from '../helpers/cli.ts';
import { importOta } from '../../src/importer/ota.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { analysePending } from '../../src/analyse/store/index.ts';

const DEMO_VERSIONS = path.join(CORPUS, 'ota/demo-versions.bundle');
const catalog = loadCatalog(path.join(REPO_ROOT, 'declarations'));

for (const driver of DRIVERS) {
  test(`${driver}: importing the demo versions analyses every version; returns reuse, re-extractions are marked`, async () => {
    const t = await openTestDb(driver);
    try {
      const s = await importOta(t.db, { source: DEMO_VERSIONS, cacheDir: OTA_CACHE, catalog });
      const recorded = s.outcomes.first + s.outcomes.changed + s.outcomes.returned + s.outcomes.reextraction;
      assert.ok(s.analysis, 'the import ran the analysis');
      assert.equal(s.analysis.versions, recorded, 'every recorded version was pending');
      assert.equal(s.analysis.failed, 0, JSON.stringify(s.analysis.failures));
      assert.equal(s.analysis.analysed + s.analysis.notAnalysed + s.analysis.empty, recorded, 'and analysed');

      const returns = await t.db.query<{ reused: number | null; classified: number }>(
        `SELECT va.reused_from_version_id AS reused, va.classified FROM versions v JOIN version_analysis va ON va.version_id = v.id WHERE v.kind = 'return'`,
      );
      assert.equal(returns.length, s.outcomes.returned, 'returns analysed');
      assert.ok(returns.every((r) => r.reused !== null && Number(r.classified) === 0), `returns reuse their earlier analysis: ${JSON.stringify(returns)}`);
      const re = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM versions v JOIN version_analysis va ON va.version_id = v.id WHERE v.kind = 'reextraction' AND NOT va.source_change`,
      );
      assert.equal(Number(re[0]!.n), s.outcomes.reextraction, 're-extractions are not changes at the source');
      const stale = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM platform_analysis WHERE stale OR computed_at IS NULL');
      assert.equal(Number(stale[0]!.n), 0, 'every platform recomputed');
      assert.equal(
        Number((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM platform_analysis'))[0]!.n),
        s.documents > 0 ? 7 : 0,
        'seven platforms',
      );

      const again = await importOta(t.db, { source: DEMO_VERSIONS, cacheDir: OTA_CACHE, catalog });
      assert.equal(again.analysis?.versions, 0, 'nothing left to analyse');

      // Re-running one platform's analysis (a model update) keeps every provision id and adds no text.
      const gh = (await t.db.query<{ id: number }>("SELECT id FROM platforms WHERE slug = 'github'"))[0]!.id;
      const q = `SELECT vp.version_id, vp.ordinal, vp.provision_id, vp.text_id FROM version_provisions vp JOIN versions v ON v.id = vp.version_id
        JOIN documents d ON d.id = v.document_id WHERE d.platform_id = $1 ORDER BY 1, 2`;
      const before = await t.db.query(q, [gh]);
      const texts = await t.db.query('SELECT count(*)::int AS n FROM provision_texts');
      const redo = await analysePending(t.db, { platformIds: [gh], redo: true });
      assert.ok(redo.analysed > 0, 'the platform was analysed again');
      assert.deepEqual(await t.db.query(q, [gh]), before, 'same provisions, same ids, same texts');
      assert.deepEqual(await t.db.query('SELECT count(*)::int AS n FROM provision_texts'), texts, 'no new provision texts');
    } finally {
      await t.drop();
    }
  });
}
