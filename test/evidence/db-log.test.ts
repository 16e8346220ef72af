// The log in the database, on both drivers: every record gets its leaf in its own transaction, the
// tree equals the in-memory reference, appends are atomic and serialised, old data is backfilled
// once, and checkpoints refuse to bless a rewritten history.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { openDb } from '../../src/store/db.ts';
import { recordText } from '../../src/record/capture.ts';
import { verifyStore } from '../../src/record/verify.ts';
import { appendToLog, dbLog, leafOf, logSize } from '../../src/evidence/db-log.ts';
import { backfillLog, pendingBackfill } from '../../src/evidence/backfill.ts';
import { checkpointAfterRun, latestCheckpoint, listCheckpoints, makeCheckpoint, proveConsistency } from '../../src/evidence/checkpoint-store.ts';
import { verifyLog } from '../../src/evidence/verify-log.ts';
import { leafData, sha256Hex } from '../../src/evidence/leaf.ts';
import type { EvidenceRecord } from '../../src/evidence/leaf.ts';
import { MerkleLog } from '../../src/evidence/log.ts';
import { MemoryNodeStore } from '../../src/evidence/node-store.ts';
import { verifyConsistency, verifyInclusion } from '../../src/evidence/merkle.ts';
import { verifyCheckpoint } from '../../src/evidence/checkpoint.ts';
import { loadSigner } from '../../src/evidence/config.ts';
import { recordHistory, rewriteLeafAndTree, tempConfig } from './db-fixture.ts';

async function leafRows(db: { query: <T>(s: string, p?: unknown[]) => Promise<T[]> }) {
  return (await db.query<{ leaf_index: unknown; kind: string; record_id: unknown; leaf_data: string }>('SELECT leaf_index, kind, record_id, leaf_data FROM evidence_leaves ORDER BY leaf_index')).map((r) => ({
    index: Number(r.leaf_index),
    kind: r.kind,
    id: Number(r.record_id),
    data: r.leaf_data,
  }));
}

const rec = (i: number): EvidenceRecord => ({ kind: 'test-item', id: `item-${i}`, sha256: sha256Hex(`item ${i}`), time: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString() });

for (const driver of DRIVERS) {
  test(`${driver}: every snapshot and version is a leaf, written with it, and the tree is the RFC 9162 tree`, async () => {
    const t = await openTestDb(driver);
    try {
      const h = await recordHistory(t.db);
      const leaves = await leafRows(t.db);
      const snaps = leaves.filter((l) => l.kind === 'snapshot').map((l) => l.id).sort((a, b) => a - b);
      const vers = leaves.filter((l) => l.kind === 'version').map((l) => l.id).sort((a, b) => a - b);
      assert.deepEqual(snaps, h.snapshots, 'each snapshot has exactly one leaf');
      assert.deepEqual(vers, [...h.versions].sort((a, b) => a - b), 'each version has exactly one leaf');
      assert.deepEqual(leaves.map((l) => l.index), leaves.map((_, i) => i), 'indices are 0..n-1');
      assert.equal(await logSize(t.db), leaves.length);

      // A version's leaf comes after its snapshot's, and names it.
      const v1 = JSON.parse(leaves.find((l) => l.kind === 'version')!.data) as EvidenceRecord;
      assert.equal(v1.id, `CW-V-${String(h.versions[0]).padStart(6, '0')}`);
      assert.equal(v1.parentId, `CW-S-${String(h.snapshots[0]).padStart(6, '0')}`);
      assert.equal(v1.url, 'https://acme.test/privacy');
      assert.equal(v1.time, '2024-01-01T12:00:00.123Z');
      assert.match(v1.snapshotSha256 ?? '', /^[0-9a-f]{64}$/);
      const multi = leaves.filter((l) => l.kind === 'version').map((l) => JSON.parse(l.data) as EvidenceRecord).find((r) => r.parentId?.startsWith('CW-C-'));
      assert.ok(multi, 'a two-page version names its capture');
      assert.equal(multi.snapshotSha256, undefined);

      const mem = new MerkleLog(new MemoryNodeStore());
      for (const l of leaves) await mem.append(Buffer.from(l.data, 'utf8'));
      const log = dbLog(t.db);
      for (let n = 0; n <= leaves.length; n++) assert.ok((await log.root(n)).equals(await mem.root(n)), `root at size ${n}`);
      const root = await log.root();
      for (let i = 0; i < leaves.length; i++) {
        const proof = await log.inclusionProof(i);
        assert.deepEqual(proof, await mem.inclusionProof(i), `proof ${i}`);
        assert.ok(verifyInclusion(await log.leafHash(i), i, leaves.length, proof, root), `proof ${i} verifies`);
      }
      const cp = await log.consistencyProof(3, leaves.length);
      assert.ok(verifyConsistency(3, leaves.length, cp, await log.root(3), root), 'consistency 3 → n');
      const report = await verifyStore(t.db);
      assert.deepEqual(report.mismatches, [], 'a clean store verifies');
      assert.equal(report.log?.leaves, leaves.length);
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: batched appends build the same nodes as one-by-one appends`, async () => {
    const t = await openTestDb(driver);
    try {
      const mem = new MerkleLog(new MemoryNodeStore());
      let next = 1;
      for (const batch of [1, 1, 2, 5, 1, 16, 3, 31, 64, 7, 1, 100]) {
        const entries = Array.from({ length: batch }, () => ({ kind: 'test-item', recordId: next, record: rec(next++) }));
        const out = await t.db.transaction((tx) => appendToLog(tx, entries));
        for (const e of entries) await mem.append(leafData(e.record));
        assert.equal(out[0]!.index, (await mem.size()) - batch, 'indices continue the log');
      }
      const log = dbLog(t.db);
      const n = await mem.size();
      for (let m = 0; m <= n; m += 7) assert.ok((await log.root(m)).equals(await mem.root(m)), `root at ${m}`);
      const nodes = await t.db.query<{ level: number; idx: unknown; hash: Buffer }>('SELECT level, idx, hash FROM evidence_nodes');
      for (const r of nodes) assert.ok((await mem.store.get(Number(r.level), Number(r.idx)))?.equals(Buffer.from(r.hash)), `node (${r.level}, ${r.idx})`);
      const expected = Array.from({ length: 12 }, (_, l) => Math.floor(n / 2 ** (l + 1))).reduce((a, b) => a + b, 0);
      assert.equal(nodes.length, expected, 'exactly the complete subtrees are stored');
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: a failed transaction leaves neither record nor leaf, and a record is never logged twice`, async () => {
    const t = await openTestDb(driver);
    try {
      const h = await recordHistory(t.db);
      const before = await logSize(t.db);
      const boom = new Error('crash after the append');
      await assert.rejects(
        t.db.transaction(async (tx) => {
          await appendToLog(tx, [{ kind: 'test-item', recordId: 1, record: rec(1) }]);
          throw boom;
        }),
        /crash after the append/,
      );
      assert.equal(await logSize(t.db), before, 'size rolled back');
      assert.equal((await t.db.query('SELECT 1 FROM evidence_leaves WHERE kind = $1', ['test-item'])).length, 0, 'leaf rolled back');
      const v = await leafOf(t.db, 'version', h.versions[0]!);
      assert.ok(v, 'the version is logged');
      const again = { kind: 'version', recordId: h.versions[0]!, record: JSON.parse(v.leafData) as EvidenceRecord };
      await assert.rejects(t.db.transaction((tx) => appendToLog(tx, [again])), 'the same record twice is refused');
      // A capture whose transaction fails (here: a text that violates a constraint) logs nothing.
      const versionsBefore = (await t.db.query('SELECT id FROM versions')).length;
      await assert.rejects(recordText(t.db, { documentId: 999_999, capturedAt: new Date(), origin: 'live' }, 'orphan text'));
      assert.equal((await t.db.query('SELECT id FROM versions')).length, versionsBefore);
      assert.equal(await logSize(t.db), before, 'nothing appended');
      assert.deepEqual((await verifyLog(t.db)).problems, []);
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: concurrent writers take turns and never corrupt the tree`, async () => {
    const t = await openTestDb(driver);
    // On PostgreSQL, two separate pools: two trackers in two processes.
    const other = driver === 'postgres' ? await openDb({ url: t.url! }) : t.db;
    try {
      let next = 1;
      const writer = (db: typeof t.db, rounds: number) =>
        Promise.all(
          Array.from({ length: rounds }, async () => {
            const entries = Array.from({ length: 1 + (next % 3) }, () => ({ kind: 'test-item', recordId: next, record: rec(next++) }));
            await db.transaction(async (tx) => {
              await tx.query('SELECT 1'); // interleave with the other writer before the append
              await appendToLog(tx, entries);
            });
          }),
        );
      await Promise.all([writer(t.db, 30), writer(other, 30)]);
      const leaves = await leafRows(t.db);
      assert.equal(leaves.length, next - 1, 'every append landed');
      assert.deepEqual(leaves.map((l) => l.index), leaves.map((_, i) => i), 'no index claimed twice, no gap');
      assert.equal(await logSize(t.db), leaves.length);
      const mem = new MerkleLog(new MemoryNodeStore());
      for (const l of leaves) await mem.append(Buffer.from(l.data, 'utf8'));
      assert.ok((await dbLog(t.db).root()).equals(await mem.root()), 'the stored tree is the tree of the stored leaves');
      assert.deepEqual((await verifyLog(t.db)).problems, []);
    } finally {
      if (other !== t.db) await other.close();
      await t.drop();
    }
  });

  test(`${driver}: records from before the log are backfilled once, oldest first; later strays are reported`, async () => {
    const t = await openTestDb(driver);
    try {
      const h = await recordHistory(t.db);
      // The state of a database migrated to the log after it had recorded all this.
      await t.db.query('DELETE FROM evidence_leaves');
      await t.db.query('DELETE FROM evidence_nodes');
      await t.db.query(`UPDATE evidence_log SET size = 0, backfill_snapshot_max = (SELECT max(id) FROM snapshots), backfill_version_max = (SELECT max(id) FROM versions)`);
      const total = h.snapshots.length + h.versions.length;
      assert.equal(await pendingBackfill(t.db), total);
      const before = await verifyLog(t.db);
      assert.deepEqual(before.problems, [], 'records awaiting the backfill are not anomalies');
      assert.equal(before.pendingBackfill, total);
      assert.equal(await backfillLog(t.db), total);
      assert.equal(await backfillLog(t.db), 0, 'idempotent');
      const leaves = await leafRows(t.db);
      const times = leaves.map((l) => (JSON.parse(l.data) as EvidenceRecord).time);
      assert.deepEqual(times, [...times].sort(), 'oldest first');
      assert.deepEqual((await verifyStore(t.db)).mismatches, []);
      // A row inserted behind the recorder's back is not backfilled: it is reported.
      await t.db.query(`INSERT INTO versions (document_id, recorded_at, text_sha256, kind, origin) SELECT document_id, now(), text_sha256, 'change', 'forged' FROM versions ORDER BY id LIMIT 1`);
      const forged = Number((await t.db.query<{ id: unknown }>('SELECT max(id) AS id FROM versions'))[0]!.id);
      assert.equal(await backfillLog(t.db), 0);
      const after = await verifyLog(t.db);
      assert.ok(after.problems.some((p) => p.record === `CW-V-${String(forged).padStart(6, '0')}` && /not in the log/.test(p.what)), JSON.stringify(after.problems));
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: checkpoints are signed, made only when the log grew, provably consistent, and never over a rewritten log`, async () => {
    const t = await openTestDb(driver);
    try {
      const config = tempConfig();
      const signer = loadSigner(config);
      assert.deepEqual(await checkpointAfterRun(t.db, config), { created: false }, 'nothing to sign on an empty log');
      await recordHistory(t.db);
      const first = await checkpointAfterRun(t.db, config);
      assert.equal(first.created, true, first.error);
      const again = await checkpointAfterRun(t.db, config);
      assert.equal(again.created, false, 'the log did not grow');
      assert.equal(again.checkpoint?.id, first.checkpoint?.id);
      const v = verifyCheckpoint(first.checkpoint!.note, signer.publicKey, { origin: config.origin });
      assert.ok(v.ok, 'signed by the key under the origin');
      assert.equal(v.checkpoint.size, await logSize(t.db));

      await t.db.transaction((tx) => appendToLog(tx, [{ kind: 'test-item', recordId: 1, record: rec(1) }]));
      const second = await makeCheckpoint(t.db, signer, { onlyIfGrown: true });
      assert.equal(second.created, true);
      const forced = await makeCheckpoint(t.db, signer);
      assert.equal(forced.created, true, 'on demand, a checkpoint is made even without growth');
      assert.equal((await listCheckpoints(t.db)).length, 3);
      assert.equal((await latestCheckpoint(t.db))?.id, forced.checkpoint.id);
      const c = await proveConsistency(t.db, second.checkpoint, first.checkpoint!, signer.publicKey);
      assert.equal(c.ok, true, JSON.stringify(c.checks));
      assert.equal(c.from.id, first.checkpoint!.id, 'ordered by size');
      const wrongKey = await proveConsistency(t.db, first.checkpoint!, second.checkpoint, loadSigner(tempConfig()).publicKey);
      assert.equal(wrongKey.ok, false);
      assert.match(wrongKey.checks[0]!.detail, /fails because wrong key/);

      // Rewrite the first leaf and every node above it: a consistent-looking tree with another root.
      const row = (await t.db.query<{ leaf_data: string }>('SELECT leaf_data FROM evidence_leaves WHERE leaf_index = 0'))[0]!;
      const forgedData = row.leaf_data.replace(/"sha256":"[0-9a-f]{64}"/, `"sha256":"${sha256Hex('forged')}"`);
      await rewriteLeafAndTree(t.db, 0, forgedData);
      await assert.rejects(makeCheckpoint(t.db, signer), /refusing to sign: the stored log no longer has the root/);
      const after = await checkpointAfterRun(t.db, config);
      assert.equal(after.created, false);
      assert.match(after.error ?? '', /refusing to sign/);
    } finally {
      await t.drop();
    }
  });
}
