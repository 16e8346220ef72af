// Bundles exported from a real database: snapshots and versions, a new checkpoint when none covers
// the record yet, and the bad-input cases a recipient may meet (a proof for another tree, another
// key, an edited record) failing with their reasons.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { exportEvidence, ExportError } from '../../src/evidence/export.ts';
import { makeCheckpoint, listCheckpoints } from '../../src/evidence/checkpoint-store.ts';
import { verifyBundle } from '../../src/evidence/bundle.ts';
import { loadSigner } from '../../src/evidence/config.ts';
import { recordText } from '../../src/record/capture.ts';
import { recordHistory, tempConfig } from './db-fixture.ts';

const S = (id: number) => `CW-S-${String(id).padStart(6, '0')}`;
const V = (id: number) => `CW-V-${String(id).padStart(6, '0')}`;

for (const driver of DRIVERS) {
  test(`${driver}: exported bundles verify offline, and fail for the right reason when misused`, async () => {
    const t = await openTestDb(driver);
    try {
      const config = tempConfig();
      const signer = loadSigner(config);
      const h = await recordHistory(t.db);

      // No checkpoint yet: the export signs one.
      const snap = await exportEvidence(t.db, S(h.snapshots[0]!), signer);
      assert.equal(snap.signedNow, true);
      assert.equal(snap.bundle.record.kind, 'snapshot');
      assert.match(Buffer.from(snap.bundle.content.snapshot!, 'base64').toString('utf8'), /<h1>Privacy Policy<\/h1>/);
      const r = verifyBundle(snap.bundle, { trustedKey: signer.verifierKey, origin: config.origin });
      assert.equal(r.ok, true, JSON.stringify(r.checks));

      // A version carries its text and its source snapshot's bytes.
      const ver = await exportEvidence(t.db, V(h.versions[0]!), signer);
      assert.equal(ver.signedNow, false, 'the existing checkpoint covers it');
      assert.ok(ver.bundle.content.version && ver.bundle.content.snapshot, 'text and snapshot');
      assert.deepEqual(verifyBundle(ver.bundle).checks.map((c) => c.name), ['bundle', 'record', 'content.snapshot', 'content.version', 'leaf', 'public-key', 'checkpoint', 'signature', 'inclusion']);
      assert.equal(ver.bundle.record.parentId, S(h.snapshots[0]!));

      // Recorded after the latest checkpoint: a new one is signed for the export.
      const late = await recordText(t.db, { documentId: h.documentId, capturedAt: new Date(Date.UTC(2024, 5, 1)), origin: 'ota-versions', originRef: 'late' }, `# Privacy Policy\n\n${'Entirely new terms. '.repeat(40)}`);
      assert.ok(late.versionId, late.outcome);
      const lateBundle = await exportEvidence(t.db, V(late.versionId), signer);
      assert.equal(lateBundle.signedNow, true);
      assert.equal((await listCheckpoints(t.db)).length, 2);

      // A proof for another tree: the old bundle's proof against the newer checkpoint.
      const mixed = verifyBundle({ ...ver.bundle, checkpoint: lateBundle.bundle.checkpoint });
      assert.equal(mixed.ok, false);
      assert.match(mixed.checks.find((c) => c.name === 'inclusion')!.detail, /fails because the proof has \d+ hashes|fails because the proof leads from leaf/);
      // Another key, and a record edited after export.
      const other = loadSigner(tempConfig());
      const wrongKey = verifyBundle(ver.bundle, { trustedKey: other.verifierKey });
      assert.match(wrongKey.checks.find((c) => c.name === 'trusted-key')!.detail, /fails because the bundle's key/);
      const edited = verifyBundle({ ...ver.bundle, record: { ...ver.bundle.record, time: '2020-01-01T00:00:00.000Z' } });
      assert.match(edited.checks.find((c) => c.name === 'leaf')!.detail, /fails because the record serialises to a leaf with hash/);
      const truncated = verifyBundle(JSON.stringify(ver.bundle).slice(0, 300));
      assert.equal(truncated.ok, false);
      assert.match(truncated.checks[0]!.detail, /not valid JSON/);

      // What cannot be exported says why.
      await assert.rejects(exportEvidence(t.db, 'CW-D-000001', signer), (e: Error) => e instanceof ExportError && /snapshots \(CW-S-…\) and versions/.test(e.message));
      await assert.rejects(exportEvidence(t.db, 'CW-V-999999', signer), /no record CW-V-999999/);
      await assert.rejects(exportEvidence(t.db, 'hello', signer), /not a record id/);
      // A tampered store gives an error, never a bundle.
      await t.db.query(`UPDATE texts SET body = body || '!' WHERE sha256 = (SELECT text_sha256 FROM versions WHERE id = $1)`, [h.versions[0]]);
      await assert.rejects(exportEvidence(t.db, V(h.versions[0]!), signer), /does not verify, so no bundle is made[\s\S]*content.version: fails because/);
      // And a checkpoint is never signed by a key that did not sign the previous ones.
      await assert.rejects(makeCheckpoint(t.db, other), /refusing to sign: checkpoint #\d+ does not verify with the log key/);
    } finally {
      await t.drop();
    }
  });
}
