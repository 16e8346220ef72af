// Appending records to the log inside the caller's transaction, so that a record and its leaf are
// committed together or not at all. The log row is locked by the UPDATE that reserves the leaf
// indices and stays locked until the caller commits, so concurrent writers (two trackers on one
// PostgreSQL server) take turns for this last step only; PGlite has a single connection anyway.
// An append writes one leaf row and the complete subtrees it closes: O(log n) rows at worst, two on
// average, after reading only the O(log n) left siblings it needs.

import type { Queryable } from '../store/db.ts';
import { DbNodeStore } from './db-store.ts';
import { leafData } from './leaf.ts';
import type { EvidenceRecord } from './leaf.ts';
import { MerkleLog } from './log.ts';
import { leafHash, nodeHash } from './merkle.ts';
import type { StoredNode } from './node-store.ts';
import type { NodeKey } from './tree-shape.ts';
import { captureRecords } from './log-kinds.ts';

export interface LogEntry {
  kind: string;
  /** The record's serial id in its table. */
  recordId: number;
  record: EvidenceRecord;
}

export interface LoggedLeaf {
  index: number;
  kind: string;
  recordId: number;
  leafHash: Buffer;
}

/** Time spent logging since start, for benchmarks that report what logging adds to a capture. */
export const logTimer = { appends: 0, leaves: 0, appendNs: 0n, buildNs: 0n };

/** Appends the records as consecutive leaves, within the transaction tx (which must be one). */
export async function appendToLog(tx: Queryable, entries: readonly LogEntry[]): Promise<LoggedLeaf[]> {
  if (entries.length === 0) return [];
  const started = process.hrtime.bigint();
  // Serialise and hash before taking the lock: a bad record fails without holding anyone up.
  const prepared = entries.map((e) => {
    if (e.record.kind !== e.kind) throw new Error(`record ${e.record.id} has kind "${e.record.kind}", logged as "${e.kind}"`);
    if (!Number.isSafeInteger(e.recordId) || e.recordId < 1) throw new Error(`record id ${e.recordId} is not a serial id`);
    const data = leafData(e.record);
    return { ...e, data: data.toString('utf8'), hash: leafHash(data) };
  });
  const rows = await tx.query<{ size: unknown }>('UPDATE evidence_log SET size = size + $1 WHERE id = 1 RETURNING size', [prepared.length]);
  if (!rows[0]) throw new Error('the evidence log is not initialised (migration 010 missing)');
  const start = Number(rows[0].size) - prepared.length;

  // Left siblings that predate this batch are read in one query; those made by it are in memory.
  const made = new Map<string, Buffer>();
  const older: NodeKey[] = [];
  for (let t = 0; t < prepared.length; t++) {
    for (let level = 0, i = start + t; i % 2 === 1; level++, i = (i - 1) / 2) {
      if (i * 2 ** level <= start) older.push({ level, index: i - 1 });
    }
  }
  const store = new DbNodeStore(tx);
  const olderHashes = await store.getMany(older);
  older.forEach((k, n) => {
    const h = olderHashes[n];
    if (!h) throw new Error(`the log is missing node (${k.level}, ${k.index}) below size ${start}: the store is incomplete or corrupt`);
    made.set(`${k.level}:${k.index}`, h);
  });
  const nodes: StoredNode[] = [];
  const out: LoggedLeaf[] = [];
  prepared.forEach((p, t) => {
    const index = start + t;
    made.set(`0:${index}`, p.hash);
    let cur = p.hash;
    for (let level = 0, i = index; i % 2 === 1; level++, i = (i - 1) / 2) {
      cur = nodeHash(made.get(`${level}:${i - 1}`)!, cur);
      made.set(`${level + 1}:${(i - 1) / 2}`, cur);
      nodes.push({ level: level + 1, index: (i - 1) / 2, hash: cur });
    }
    out.push({ index, kind: p.kind, recordId: p.recordId, leafHash: p.hash });
  });
  // Leaves and nodes in one statement: one round trip fewer per append. (Reading the siblings must
  // stay a separate statement after the UPDATE: only a new statement sees what the writer we
  // waited for committed.)
  await tx.query(
    `WITH leaves AS (
       INSERT INTO evidence_leaves (leaf_index, kind, record_id, leaf_hash, leaf_data)
       SELECT i, k, r, decode(h, 'hex'), d FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[]) AS t(i, k, r, h, d)
     )
     INSERT INTO evidence_nodes (level, idx, hash)
     SELECT l, i, decode(h, 'hex') FROM unnest($6::smallint[], $7::bigint[], $8::text[]) AS t(l, i, h)`,
    [
      out.map((o) => o.index),
      prepared.map((p) => p.kind),
      prepared.map((p) => p.recordId),
      prepared.map((p) => p.hash.toString('hex')),
      prepared.map((p) => p.data),
      nodes.map((n) => n.level),
      nodes.map((n) => n.index),
      nodes.map((n) => n.hash.toString('hex')),
    ],
  );
  logTimer.appends++;
  logTimer.leaves += prepared.length;
  logTimer.appendNs += process.hrtime.bigint() - started;
  return out;
}

/**
 * Logs what one capture recorded (its snapshots, and the version it created, if any). Called by
 * src/record/capture.ts as the last step of the capture's own transaction.
 */
export async function appendCaptureToLog(tx: Queryable, captureId: number): Promise<LoggedLeaf[]> {
  const started = process.hrtime.bigint();
  const entries = await captureRecords(tx, captureId);
  // Building the records is part of what logging costs a capture.
  logTimer.buildNs += process.hrtime.bigint() - started;
  return appendToLog(tx, entries);
}

/** The log over the database, for roots and proofs (reads only). */
export function dbLog(q: Queryable): MerkleLog {
  return new MerkleLog(new DbNodeStore(q));
}

export interface LeafRow {
  index: number;
  kind: string;
  recordId: number;
  leafHash: Buffer;
  leafData: string;
  loggedAt: Date;
}

/** The leaf that logs a record, if it has been logged. */
export async function leafOf(q: Queryable, kind: string, recordId: number): Promise<LeafRow | undefined> {
  const rows = await q.query<{ leaf_index: unknown; kind: string; record_id: unknown; leaf_hash: Buffer; leaf_data: string; logged_at: Date }>(
    'SELECT leaf_index, kind, record_id, leaf_hash, leaf_data, logged_at FROM evidence_leaves WHERE kind = $1 AND record_id = $2',
    [kind, recordId],
  );
  const r = rows[0];
  return r && { index: Number(r.leaf_index), kind: r.kind, recordId: Number(r.record_id), leafHash: Buffer.from(r.leaf_hash), leafData: r.leaf_data, loggedAt: r.logged_at };
}

export async function logSize(q: Queryable): Promise<number> {
  return new DbNodeStore(q).size();
}
