// Tampering with a real database, as someone with SQL access would, on both drivers: every change
// must make `verify` fail and name what was changed. The log key lives outside the database, so the
// attacker can rewrite rows but not sign.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliCompressSync } from 'node:zlib';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import type { TestDb } from '../helpers/db.ts';
import { verifyStore } from '../../src/record/verify.ts';
import type { Mismatch } from '../../src/record/verify.ts';
import { recordText } from '../../src/record/capture.ts';
import { makeCheckpoint } from '../../src/evidence/checkpoint-store.ts';
import { signCheckpoint } from '../../src/evidence/checkpoint.ts';
import { loadSigner } from '../../src/evidence/config.ts';
import { leafOf } from '../../src/evidence/db-log.ts';
import { leafData, parseLeafData, sha256Hex } from '../../src/evidence/leaf.ts';
import { getBlob } from '../../src/record/blobs.ts';
import { analysePending } from '../../src/analyse/store/index.ts';
import { recordHistory, rewriteLeafAndTree, tempConfig } from './db-fixture.ts';
import type { History } from './db-fixture.ts';

// verifyStore finds the key where the application does: from the environment.
const config = tempConfig();
process.env.CLAUSEWATCH_LOG_KEY = config.keyPath;
process.env.CLAUSEWATCH_LOG_ORIGIN = config.origin;
const signer = loadSigner(config);

const S = (id: number) => `CW-S-${String(id).padStart(6, '0')}`;
const V = (id: number) => `CW-V-${String(id).padStart(6, '0')}`;

interface Setup {
  t: TestDb;
  h: History;
  /** Size of the first checkpoint; a second one covers a later text. */
  firstSize: number;
  lateVersion: number;
}

async function setup(driver: (typeof DRIVERS)[number]): Promise<Setup> {
  const t = await openTestDb(driver);
  const h = await recordHistory(t.db);
  const first = await makeCheckpoint(t.db, signer);
  const late = await recordText(t.db, { documentId: h.documentId, capturedAt: new Date(Date.UTC(2024, 2, 1)), origin: 'ota-versions', originRef: 'late' }, `# Privacy Policy\n\n${'A later text of the policy, entirely rewritten. '.repeat(20)}`);
  assert.ok(late.versionId, `the later text is a version (${late.outcome})`);
  await makeCheckpoint(t.db, signer);
  assert.deepEqual((await verifyStore(t.db)).mismatches, [], 'clean before tampering');
  return { t, h, firstSize: first.checkpoint.size, lateVersion: late.versionId };
}

function named(ms: Mismatch[], record: string, what?: RegExp): boolean {
  return ms.some((m) => m.record.includes(record) && (what === undefined || what.test(`${m.what} ${m.actual}`)));
}

const show = (ms: Mismatch[]) => JSON.stringify(ms, null, 1);

async function dropFk(t: TestDb, table: string, column: string): Promise<void> {
  // Names come from the catalogue, not from input; quoted anyway.
  const rows = await t.db.query<{ name: string }>(
    `SELECT con.conname AS name FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
     JOIN pg_attribute att ON att.attrelid = rel.oid AND att.attnum = ANY(con.conkey)
     WHERE con.contype = 'f' AND rel.relname = $1 AND att.attname = $2`,
    [table, column],
  );
  for (const r of rows) await t.db.query(`ALTER TABLE ${table} DROP CONSTRAINT "${r.name.replace(/"/g, '')}"`);
}

for (const driver of DRIVERS) {
  test(`${driver}: a changed byte in a stored snapshot is named, also when its hashes are rewritten to match`, async () => {
    const { t, h } = await setup(driver);
    try {
      const id = h.snapshots[0]!;
      await t.db.query(
        `UPDATE blobs SET data = set_byte(data, 5, (get_byte(data, 5) + 1) % 256) WHERE sha256 = (SELECT blob_sha256 FROM snapshots WHERE id = $1)`,
        [id],
      );
      const plain = (await verifyStore(t.db)).mismatches;
      assert.ok(named(plain, S(id)), show(plain));

      // The careful attacker: new bytes stored under their own hash, and the snapshot pointed at them.
      const t2 = await setup(driver);
      try {
        const sid = t2.h.snapshots[2]!;
        const row = (await t2.t.db.query<{ blob_sha256: string }>('SELECT blob_sha256 FROM snapshots WHERE id = $1', [sid]))[0]!;
        const bytes = (await getBlob(t2.t.db, row.blob_sha256))!;
        const altered = Buffer.from(bytes.toString('utf8').replace('Clause 3', 'Clause 4'));
        const sha = sha256Hex(altered);
        await t2.t.db.query(`INSERT INTO blobs (sha256, size, encoding, data) VALUES ($1, $2, 'br', $3)`, [sha, altered.length, brotliCompressSync(altered)]);
        await t2.t.db.query('UPDATE snapshots SET blob_sha256 = $2 WHERE id = $1', [sid, sha]);
        const ms = (await verifyStore(t2.t.db)).mismatches;
        assert.ok(named(ms, S(sid), /differs from its log leaf \d+ in sha256/), show(ms));
      } finally {
        await t2.t.drop();
      }
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: a changed version text is named, also when its hashes are rewritten to match`, async () => {
    const { t, h } = await setup(driver);
    try {
      const id = h.versions[1]!;
      await t.db.query(`UPDATE texts SET body = replace(body, 'Clause 1', 'Clause one') WHERE sha256 = (SELECT text_sha256 FROM versions WHERE id = $1)`, [id]);
      const ms = (await verifyStore(t.db)).mismatches;
      assert.ok(named(ms, V(id), /version text/), show(ms));

      const vid = h.versions[h.versions.length - 1]!;
      const text = '# Terms\n\nImported text, quietly improved.\n';
      await t.db.query('INSERT INTO texts (sha256, body, chars) VALUES ($1, $2, $3)', [sha256Hex(text), text, text.length]);
      await t.db.query('UPDATE versions SET text_sha256 = $2 WHERE id = $1', [vid, sha256Hex(text)]);
      const ms2 = (await verifyStore(t.db)).mismatches;
      assert.ok(named(ms2, V(vid), /differs from its log leaf \d+ in sha256/), show(ms2));
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: a deleted version is named, and so is a deleted snapshot whose leaf was deleted too`, async () => {
    const { t, h } = await setup(driver);
    try {
      const id = h.versions[1]!;
      await dropFk(t, 'captures', 'version_id');
      await dropFk(t, 'versions', 'previous_id');
      await dropFk(t, 'versions', 'returns_to_id');
      await t.db.query('DELETE FROM versions WHERE id = $1', [id]);
      const ms = (await verifyStore(t.db)).mismatches;
      assert.ok(named(ms, V(id), /version record deleted/), show(ms));

      // Record and leaf both gone: the hole in the log is found, and the signed root no longer holds.
      const sid = h.snapshots[h.snapshots.length - 1]!;
      const leaf = (await leafOf(t.db, 'snapshot', sid))!;
      await t.db.query('DELETE FROM snapshots WHERE id = $1', [sid]);
      await t.db.query('DELETE FROM evidence_leaves WHERE leaf_index = $1', [leaf.index]);
      const ms2 = (await verifyStore(t.db)).mismatches;
      assert.ok(named(ms2, `leaf #${leaf.index}`, /log leaf missing/), show(ms2));
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: a rewritten log leaf is named by its record, even with the tree above it recomputed`, async () => {
    const { t, h, firstSize, lateVersion } = await setup(driver);
    try {
      // Only the leaf row: it no longer hashes into its parent node, nor matches its record.
      const id = h.versions[0]!;
      const leaf = (await leafOf(t.db, 'version', id))!;
      const rec = parseLeafData(leaf.leafData);
      assert.ok(rec.ok, 'the stored leaf parses');
      const forged = leafData({ ...rec.record, time: '2023-12-31T00:00:00.000Z' }).toString('utf8');
      await t.db.query('UPDATE evidence_leaves SET leaf_data = $2, leaf_hash = $3 WHERE leaf_index = $1', [leaf.index, forged, (await import('../../src/evidence/merkle.ts')).leafHash(Buffer.from(forged))]);
      const ms = (await verifyStore(t.db)).mismatches;
      assert.ok(named(ms, V(id), /differs from its log leaf \d+ in time/), show(ms));
      assert.ok(named(ms, V(id), /not the hash of its children|no longer have the root/), show(ms));

      // A whole consistent history rewrite after the first checkpoint: text, version, leaf and every
      // node agree with each other; only the signed root shows it, and the change is located
      // between the two checkpoints.
      const late = (await leafOf(t.db, 'version', lateVersion))!;
      const text = '# Privacy Policy\n\nWe never keep anything.\n';
      await t.db.query('INSERT INTO texts (sha256, body, chars) VALUES ($1, $2, $3)', [sha256Hex(text), text, text.length]);
      await t.db.query('UPDATE versions SET text_sha256 = $2 WHERE id = $1', [lateVersion, sha256Hex(text)]);
      const lr = parseLeafData(late.leafData);
      assert.ok(lr.ok, 'the late leaf parses');
      await t.db.query('UPDATE evidence_leaves SET leaf_data = $2, leaf_hash = $3 WHERE leaf_index = $1', [leaf.index, leaf.leafData, leaf.leafHash]);
      await rewriteLeafAndTree(t.db, late.index, leafData({ ...lr.record, sha256: sha256Hex(text) }).toString('utf8'));
      const ms2 = (await verifyStore(t.db)).mismatches;
      assert.ok(!named(ms2, V(lateVersion), /differs from its log leaf/), 'the rewrite is internally consistent');
      assert.ok(named(ms2, V(lateVersion), /history rewritten/), show(ms2));
      assert.ok(ms2.some((m) => m.record.includes(`leaves ${firstSize}`)), `located after the first checkpoint: ${show(ms2)}`);
      assert.ok(!ms2.some((m) => /checkpoint #1\b/.test(m.what)), 'the first checkpoint still holds');
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: a replaced tree re-signed with another key is detected`, async () => {
    const { t, lateVersion } = await setup(driver);
    try {
      const late = (await leafOf(t.db, 'version', lateVersion))!;
      const lr = parseLeafData(late.leafData);
      assert.ok(lr.ok, 'the late leaf parses');
      const text = '# Privacy Policy\n\nWe never keep anything.\n';
      await t.db.query('INSERT INTO texts (sha256, body, chars) VALUES ($1, $2, $3)', [sha256Hex(text), text, text.length]);
      await t.db.query('UPDATE versions SET text_sha256 = $2 WHERE id = $1', [lateVersion, sha256Hex(text)]);
      await rewriteLeafAndTree(t.db, late.index, leafData({ ...lr.record, sha256: sha256Hex(text) }).toString('utf8'));
      // Re-sign every checkpoint with the attacker's own key, same origin, same times.
      const forger = loadSigner(tempConfig(config.origin));
      const { dbLog } = await import('../../src/evidence/db-log.ts');
      const cps = await t.db.query<{ id: number; tree_size: unknown; signed_at: Date }>('SELECT id, tree_size, signed_at FROM evidence_checkpoints');
      for (const cp of cps) {
        const root = await dbLog(t.db).root(Number(cp.tree_size));
        const note = signCheckpoint({ origin: config.origin, size: Number(cp.tree_size), root, time: cp.signed_at }, forger.privateKey);
        await t.db.query('UPDATE evidence_checkpoints SET note = $2, root = $3, key_id = $4 WHERE id = $1', [cp.id, note, root, forger.keyId]);
      }
      const report = await verifyStore(t.db);
      const ms = report.mismatches;
      for (const cp of cps) assert.ok(named(ms, `checkpoint #${cp.id}`, /wrong key/), show(ms));
      assert.equal(report.log?.latestCheckpoint, undefined, 'no checkpoint vouches for the log any more');
      // And the operator's next checkpoint refuses to sign over it.
      await assert.rejects(makeCheckpoint(t.db, signer), /refusing to sign/);
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: a rolled-back log head and a truncated log are detected`, async () => {
    const { t } = await setup(driver);
    try {
      const last = (await t.db.query<{ leaf_data: string }>('SELECT leaf_data FROM evidence_leaves ORDER BY leaf_index DESC LIMIT 1'))[0]!;
      const lastId = (JSON.parse(last.leaf_data) as { id: string }).id;
      await t.db.query('UPDATE evidence_log SET size = size - 1');
      const ms = (await verifyStore(t.db)).mismatches;
      assert.ok(named(ms, lastId, /beyond the log's size/), show(ms));
      assert.ok(ms.some((m) => m.what === 'log truncated'), show(ms));
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: a changed byte in a provision text, and a deleted provision text, are named by their CW-P- id`, async () => {
    const t = await openTestDb(driver);
    try {
      await recordHistory(t.db);
      assert.equal((await analysePending(t.db)).failed, 0);
      await makeCheckpoint(t.db, signer);
      assert.deepEqual((await verifyStore(t.db)).mismatches, [], 'clean before tampering');
      const texts = await t.db.query<{ id: number; provision_id: number }>('SELECT id, provision_id FROM provision_texts ORDER BY id LIMIT 2');
      const P = (id: number) => `CW-P-${String(id).padStart(6, '0')}`;
      const [edited, deleted] = texts.map((r) => ({ id: Number(r.id), name: P(Number(r.provision_id)) }));
      // One byte of the stored text (the leaf's hash is recomputed from the text, not read from a column).
      await t.db.query(`UPDATE provision_texts SET body = overlay(body placing 'X' from 2 for 1), text_sha256 = 'f' || substr(text_sha256, 2) WHERE id = $1`, [edited!.id]);
      const ms = (await verifyStore(t.db)).mismatches;
      assert.ok(named(ms, edited!.name, /provision differs from its log leaf \d+ in sha256/), show(ms));
      for (const [table, column] of [['version_provisions', 'text_id'], ['provisions', 'current_text_id'], ['provision_changes', 'before_text_id'], ['provision_changes', 'after_text_id']] as const) await dropFk(t, table, column);
      await t.db.query('DELETE FROM provision_texts WHERE id = $1', [deleted!.id]);
      const ms2 = (await verifyStore(t.db)).mismatches;
      assert.ok(named(ms2, deleted!.name, /provision record deleted/), show(ms2));
    } finally {
      await t.drop();
    }
  });
}
