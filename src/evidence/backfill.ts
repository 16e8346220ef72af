// A database that held records before the log existed gets them appended once, oldest first.
// Only records up to the ids noted when the log was created qualify: a newer record without a leaf
// was not written through the recording path, and verification reports it instead of logging it.

import type { Db, Queryable } from '../store/db.ts';
import { appendToLog } from './db-log.ts';
import { snapshotKind, versionKind } from './log-kinds.ts';

const BATCH = 500;

interface Pending {
  kind: 'snapshot' | 'version';
  id: number;
}

async function pendingBatch(q: Queryable, limit: number): Promise<Pending[]> {
  const rows = await q.query<{ kind: 'snapshot' | 'version'; id: number; t: Date }>(
    `SELECT * FROM (
       SELECT 'snapshot' AS kind, s.id, s.fetched_at AS t FROM snapshots s, evidence_log g
       WHERE g.id = 1 AND s.id <= g.backfill_snapshot_max
         AND NOT EXISTS (SELECT 1 FROM evidence_leaves l WHERE l.kind = 'snapshot' AND l.record_id = s.id)
       UNION ALL
       SELECT 'version', v.id, v.recorded_at FROM versions v, evidence_log g
       WHERE g.id = 1 AND v.id <= g.backfill_version_max
         AND NOT EXISTS (SELECT 1 FROM evidence_leaves l WHERE l.kind = 'version' AND l.record_id = v.id)
     ) p ORDER BY t, kind, id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ kind: r.kind, id: Number(r.id) }));
}

/** Number of pre-log records not yet appended. */
export async function pendingBackfill(q: Queryable): Promise<number> {
  const rows = await q.query<{ n: unknown }>(
    `SELECT (SELECT count(*) FROM snapshots s, evidence_log g WHERE g.id = 1 AND s.id <= g.backfill_snapshot_max
               AND NOT EXISTS (SELECT 1 FROM evidence_leaves l WHERE l.kind = 'snapshot' AND l.record_id = s.id))
          + (SELECT count(*) FROM versions v, evidence_log g WHERE g.id = 1 AND v.id <= g.backfill_version_max
               AND NOT EXISTS (SELECT 1 FROM evidence_leaves l WHERE l.kind = 'version' AND l.record_id = v.id)) AS n`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Appends every pre-log record that has no leaf yet; returns how many were appended. */
export async function backfillLog(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      // Lock first, then choose: two processes backfilling at once must not log a record twice.
      await tx.query('SELECT size FROM evidence_log WHERE id = 1 FOR UPDATE');
      const batch = await pendingBatch(tx, BATCH);
      if (batch.length === 0) return 0;
      const snaps = await snapshotKind.build(tx, batch.filter((b) => b.kind === 'snapshot').map((b) => b.id));
      const vers = await versionKind.build(tx, batch.filter((b) => b.kind === 'version').map((b) => b.id));
      const entries = batch.map((b) => {
        const record = (b.kind === 'snapshot' ? snaps : vers).get(b.id);
        if (!record) throw new Error(`backfill: ${b.kind} ${b.id} disappeared`);
        return { kind: b.kind, recordId: b.id, record };
      });
      await appendToLog(tx, entries);
      return entries.length;
    });
    total += n;
    if (n < BATCH) return total;
  }
}
