// Clause analysis stored in the database, through the real pipeline, on both drivers: replayed snapshots,
// returns to an earlier text, re-extractions, another language, a failed analysis, idempotence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { CORPUS } from '../helpers/cli.ts';
import { recordText } from '../../src/record/capture.ts';
import { upsertDocument, upsertPlatform } from '../../src/record/registry.ts';
import { listSnapshotFiles, replaySnapshots } from '../../src/jobs/replay.ts';
import { logKind } from '../../src/evidence/log-kinds.ts';
import type { Db } from '../../src/store/db.ts';
import { recordId } from '../../src/domain/record-id.ts';
import {
  analysePending,
  clauseAnalyser,
  platformSummary,
  provisionRecord,
  versionAnalysis,
  type ClauseAnalyser,
} from '../../src/analyse/store/index.ts';

const MURF = path.join(CORPUS, 'snapshots/Murf/Terms of Service');

const rows = <T>(db: Db, sql: string, params: unknown[] = []) => db.query<T & Record<string, unknown>>(sql, params);
const ref = (v: number) => recordId('version', v);
const count = async (db: Db, sql: string, params: unknown[] = []) => Number((await db.query<{ n: number }>(sql, params))[0]!.n);

/** Every provision leaf reads exactly as its record rebuilt from the stored rows (what verification checks). */
async function assertProvisionLeaves(db: Db): Promise<void> {
  const leaves = await rows<{ record_id: number; leaf_data: string }>(db, "SELECT record_id, leaf_data FROM evidence_leaves WHERE kind = 'provision' ORDER BY leaf_index");
  assert.equal(leaves.length, await count(db, 'SELECT count(*)::int AS n FROM provision_texts'), 'one leaf per provision text');
  const built = await logKind('provision')!.build(db, leaves.map((l) => Number(l.record_id)));
  for (const l of leaves) {
    const r = built.get(Number(l.record_id));
    assert.ok(r, `provision text ${l.record_id} is rebuilt`);
    const leaf = JSON.parse(l.leaf_data);
    assert.equal(leaf.id, r.id, 'leaf names the provision');
    assert.equal(leaf.sha256, r.sha256, 'leaf commits to the text');
    assert.equal(leaf.parentId, r.parentId, 'leaf names the version');
  }
}

for (const driver of DRIVERS) {
  test(`${driver}: replaying Murf's terms analyses each version once, with stable provision ids`, async () => {
    const t = await openTestDb(driver);
    try {
      const meta = JSON.parse(readFileSync(path.join(MURF, 'meta.json'), 'utf8'));
      const d = meta.declarations[0].source_document;
      const pl = await upsertPlatform(t.db, { slug: 'murf', name: 'Murf' });
      const doc = await upsertDocument(t.db, pl.id, 'terms-of-service', 'Terms of Service');
      const events = await replaySnapshots(t.db, {
        documentId: doc.id,
        files: listSnapshotFiles(MURF).files,
        url: d.fetch,
        rulesAt: () => ({ pages: [{ url: d.fetch, select: d.select }] }),
        origin: 'replay',
      });
      const versions = events.filter((e) => e.result.versionId && e.result.outcome !== 'unchanged').map((e) => e.result.versionId!);
      assert.equal(versions.length, 9, 'nine versions recorded');
      const analysed = await rows<{ version_id: number; status: string; summary: string; material: boolean | null }>(
        t.db,
        'SELECT version_id, status, summary, material FROM version_analysis ORDER BY version_id',
      );
      assert.deepEqual(analysed.map((a) => Number(a.version_id)), versions, 'the replay analysed every version it recorded');
      assert.ok(analysed.every((a) => a.status === 'analysed'), 'all English');
      assert.match(analysed[0]!.summary, /^First version: \d+ provisions, \d+ with clause types$/);

      // 2024-12-04: section 9 (API terms) removed.
      const dec = events.find((e) => e.file.includes('2024-12-04'))!.result.versionId!;
      const decA = (await versionAnalysis(t.db, dec))!;
      assert.match(decA.summary, /Removes section “9\. API Terms” \(11 provisions\)/);
      assert.equal(decA.material, true, 'removing a section is material');
      const removed = await count(t.db, 'SELECT count(*)::int AS n FROM provisions WHERE removed_version_id = $1', [dec]);
      assert.ok(removed >= 11, `the section's provisions are marked removed (${removed})`);
      assert.equal((await versionAnalysis(t.db, versions.at(-1)!))!.material, false, 'the last change is cosmetic');

      // "1.4 Change" is the same provision in every version, with one text, classified once.
      const change = await rows<{ provision_id: number; n: number }>(
        t.db,
        `SELECT vp.provision_id, count(*)::int AS n FROM version_provisions vp JOIN provision_texts pt ON pt.id = vp.text_id
         WHERE pt.section[array_length(pt.section, 1)] = '1.4 Change' GROUP BY vp.provision_id`,
      );
      assert.equal(change.length, 1, 'one provision');
      assert.equal(change[0]!.n, 9, 'in all nine versions');
      const rec = (await provisionRecord(t.db, Number(change[0]!.provision_id)))!;
      assert.equal(rec.texts.length, 1, 'one distinct text');
      assert.equal(rec.texts[0]!.versions.length, 9, 'held by nine versions');
      assert.ok(rec.current!.types.some((x) => x.id === 'terms-change-unilateral'), `typed: ${JSON.stringify(rec.current!.types)}`);
      assert.equal(rec.current!.severity, 'high');
      const classified = await count(t.db, 'SELECT sum(classified)::int AS n FROM version_analysis');
      assert.ok(classified <= (await count(t.db, 'SELECT count(DISTINCT text_sha256)::int AS n FROM provision_texts')), 'no text classified twice');

      const again = await analysePending(t.db);
      assert.equal(again.versions, 0, 'a second run finds everything done');
      await assertProvisionLeaves(t.db);

      const s = (await platformSummary(t.db, pl.id, new Date('2024-12-20T00:00:00Z')))!;
      assert.equal(s.stale, false, 'facts recomputed after the replay');
      assert.ok(s.grade && /^[A-E]$/.test(s.grade.grade), 'graded');
      assert.ok(s.grade!.reasons.some((r) => /material change/.test(r)), `recent changes count: ${s.grade!.reasons.join('; ')}`);
      assert.deepEqual(s.recentChanges.map((c) => c.version), [ref(dec)], 'the December change is recent as of 2024-12-20');
      assert.ok(s.clauseCounts.high > 0, 'high-severity clauses found');
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: a return reuses the earlier analysis; re-extractions, other languages and failures are marked`, async () => {
    const t = await openTestDb(driver);
    try {
      const pl = await upsertPlatform(t.db, { slug: 'nimbus', name: 'Nimbus' });
      const doc = (await upsertDocument(t.db, pl.id, 'terms-of-service', 'Terms')).id;
      let day = 0;
      const record = async (text: string, reextraction = false) => {
        day++;
        const r = await recordText(t.db, { documentId: doc, capturedAt: new Date(Date.UTC(2025, 0, day)), origin: 'replay', originRef: `v${day}` }, text, { reextraction });
        assert.ok(r.versionId && r.outcome !== 'unchanged' && r.outcome !== 'suspect', `day ${day} recorded a version (${r.outcome})`);
        return r.versionId!;
      };
      const v1 = await record(TERMS_A);
      const v2 = await record(TERMS_B);

      // A failing classifier: nothing of the version is kept, it is marked failed, and a retry completes it.
      const broken: ClauseAnalyser = { ...clauseAnalyser(), classify: () => { throw new Error('model exploded'); } };
      const failed = await analysePending(t.db, { analyser: broken });
      assert.equal(failed.failed, 2, 'both versions failed');
      assert.equal(await count(t.db, 'SELECT count(*)::int AS n FROM version_provisions'), 0, 'a failed analysis leaves no rows');
      assert.equal((await analysePending(t.db)).versions, 0, 'automatic runs leave failed versions alone');
      // Two drains at once: each version is analysed exactly once.
      const [a, b] = await Promise.all([analysePending(t.db, { retryFailed: true }), analysePending(t.db, { retryFailed: true })]);
      assert.equal(await count(t.db, "SELECT count(*)::int AS n FROM version_analysis WHERE status = 'analysed'"), 2, `analysed once: ${a.analysed}+${b.analysed}`);

      const d2 = (await versionAnalysis(t.db, v2))!;
      assert.match(d2.summary, /Team plan no longer listed among plans whose data is not used for training/);
      assert.equal(d2.material, true);
      const arbitration = d2.changes.find((c) => c.kind === 'removed' && c.types.includes('binding-arbitration'));
      assert.ok(arbitration, `arbitration removal typed: ${JSON.stringify(d2.changes)}`);

      const v3 = await record(TERMS_A);
      const v4 = await record(TERMS_A.replace('Last updated: January 5, 2025', 'Last updated: 5 January 2025'), true);
      const v5 = await record(TERMS_FR);
      await analysePending(t.db);

      const d3 = (await versionAnalysis(t.db, v3))!;
      assert.equal(d3.reusedFrom, ref(v1), 'the return reuses the first version');
      assert.equal((await rows<{ classified: number }>(t.db, 'SELECT classified FROM version_analysis WHERE version_id = $1', [v3]))[0]!.classified, 0, 'no re-classification');
      const ids = async (v: number) => (await rows<{ p: number }>(t.db, 'SELECT provision_id AS p FROM version_provisions WHERE version_id = $1 ORDER BY ordinal', [v])).map((r) => Number(r.p));
      assert.deepEqual(await ids(v3), await ids(v1), 'the same provisions, the same ids');
      const back = d3.changes.find((c) => c.provision === arbitration!.provision);
      assert.ok(back && back.kind === 'added' && back.returned, `the arbitration clause comes back as itself: ${JSON.stringify(back)}`);
      const arb = (await provisionRecord(t.db, Number(arbitration!.provision.slice(5))))!;
      // Its history: removed in v2, back in v3, gone again when the document turned French (v5).
      assert.deepEqual(arb.history.map((h) => [h.kind, h.version]), [['removed', ref(v2)], ['added', ref(v3)], ['removed', ref(v5)]]);
      assert.equal(arb.removed.version, ref(v5), 'removed as of the latest version');

      const d4 = (await versionAnalysis(t.db, v4))!;
      assert.equal(d4.sourceChange, false, 'a re-extraction is not a change at the source');
      assert.match(d4.summary, /^Re-extraction, not a change at the source: No material change/);

      const d5 = (await versionAnalysis(t.db, v5))!;
      assert.equal(d5.status, 'not-analysed');
      assert.equal(d5.language, 'fr');
      assert.equal(d5.note, 'not analysed: French');
      assert.equal(d5.typedProvisions, 0, 'nothing guessed');

      const s = (await platformSummary(t.db, pl.id, new Date('2025-01-10T00:00:00Z')))!;
      assert.equal(s.documents[0]!.note, 'not analysed: French');
      assert.deepEqual(s.aiTraining?.plans, [], 'no facts read from a French text');
      await assertProvisionLeaves(t.db);
      // An edited provision text no longer matches its leaf.
      await t.db.query("UPDATE provision_texts SET body = body || ' (edited)' WHERE id = 1");
      const leaf = JSON.parse((await rows<{ leaf_data: string }>(t.db, "SELECT leaf_data FROM evidence_leaves WHERE kind = 'provision' AND record_id = 1"))[0]!.leaf_data);
      assert.notEqual((await logKind('provision')!.build(t.db, [1])).get(1)!.sha256, leaf.sha256, 'verification sees the edit');
    } finally {
      await t.drop();
    }
  });
}

const TERMS_A = `# Terms of Service

Last updated: January 5, 2025

## Your content

We may use your content to train and improve our AI models. Users of the Free and Pro plans can opt out at any time in Settings > Data Controls.

Users of the Team and Enterprise plans are excluded from training by default.

## Disputes

Any dispute will be resolved by binding arbitration, and you waive your right to participate in a class action.

## Termination

We may suspend or terminate your account at any time without notice at our sole discretion.

## Changes

We may modify these terms at any time. Your continued use of the service means you accept the changes.`;

const TERMS_B = TERMS_A.replace('Users of the Team and Enterprise plans are excluded from training by default.', 'Users of the Enterprise plan are excluded from training by default.')
  .replace('Any dispute will be resolved by binding arbitration, and you waive your right to participate in a class action.', 'You may bring claims in the courts of your country of residence.');

const TERMS_FR = `# Conditions d'utilisation

Dernière mise à jour : 5 janvier 2025

## Votre contenu

Nous pouvons utiliser votre contenu pour entraîner et améliorer nos modèles. Les utilisateurs des offres Free et Pro peuvent s'y opposer à tout moment dans les paramètres.

Les utilisateurs des offres Team et Enterprise sont exclus de l'entraînement par défaut.

## Litiges

Tout litige sera soumis à un arbitrage obligatoire et vous renoncez à toute action collective.

## Résiliation

Nous pouvons suspendre ou résilier votre compte à tout moment sans préavis et à notre seule discrétion.

## Modifications

Nous pouvons modifier ces conditions à tout moment. L'utilisation continue du service vaut acceptation des modifications.`;
