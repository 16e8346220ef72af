// The log's NodeStore in the database: level 0 (leaf hashes) lives in evidence_leaves beside the
// record each leaf logs, levels >= 1 in evidence_nodes, the size in the one evidence_log row.
// Reads of any O(log n) set of nodes are one query; see db-log.ts for appends.

import type { Queryable } from '../store/db.ts';
import { HASH_SIZE } from './merkle.ts';
import type { NodeStore, StoredNode } from './node-store.ts';
import type { NodeKey } from './tree-shape.ts';

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export class DbNodeStore implements NodeStore {
  constructor(private readonly q: Queryable) {}

  async size(): Promise<number> {
    const rows = await this.q.query<{ size: unknown }>('SELECT size FROM evidence_log WHERE id = 1');
    if (!rows[0]) throw new Error('the evidence log is not initialised (migration 010 missing)');
    return Number(rows[0].size);
  }

  async get(level: number, index: number): Promise<Buffer | undefined> {
    return (await this.getMany([{ level, index }]))[0];
  }

  // LATERAL makes each key a primary-key lookup whatever the planner guesses about unnest(): a
  // hash join would read the whole table, and proofs must cost O(log n) at any size.
  async getMany(keys: readonly NodeKey[]): Promise<(Buffer | undefined)[]> {
    if (keys.length === 0) return [];
    const leafIdx = keys.filter((k) => k.level === 0).map((k) => k.index);
    const upper = keys.filter((k) => k.level > 0);
    const rows = await this.q.query<{ level: unknown; idx: unknown; hash: Buffer }>(
      `SELECT 0 AS level, leaf_index AS idx, leaf_hash AS hash FROM evidence_leaves WHERE leaf_index = ANY($1::bigint[])
       UNION ALL
       SELECT k.level, k.idx, n.hash FROM unnest($2::smallint[], $3::bigint[]) AS k(level, idx)
         CROSS JOIN LATERAL (SELECT hash FROM evidence_nodes WHERE level = k.level AND idx = k.idx) n`,
      [leafIdx, upper.map((k) => k.level), upper.map((k) => k.index)],
    );
    const found = new Map<string, Buffer>();
    for (const r of rows) found.set(`${Number(r.level)}:${Number(r.idx)}`, Buffer.from(r.hash));
    return keys.map((k) => found.get(`${k.level}:${k.index}`));
  }

  /**
   * Writes the nodes of one or more appends. Level-0 nodes are leaf rows, which db-log.ts inserts
   * together with their record, so here they must already exist with the same hash; levels >= 1
   * are inserted, and the size advances to cover the highest leaf. Runs inside the caller's
   * transaction, which holds the log row lock.
   */
  async put(nodes: readonly StoredNode[]): Promise<void> {
    for (const n of nodes) {
      if (!(n.hash instanceof Uint8Array) || n.hash.length !== HASH_SIZE) throw new RangeError(`node (${n.level}, ${n.index}) hash is not ${HASH_SIZE} bytes`);
    }
    const leaves = nodes.filter((n) => n.level === 0);
    if (leaves.length > 0) {
      const have = await this.getMany(leaves);
      leaves.forEach((n, i) => {
        if (!have[i]?.equals(n.hash)) throw new Error(`leaf ${n.index} has no row with this hash: leaves are inserted with their record (appendToLog)`);
      });
    }
    const upper = nodes.filter((n) => n.level > 0);
    if (upper.length > 0) {
      // ON CONFLICT DO NOTHING plus a check afterwards would cost a read; a plain insert fails on
      // any attempt to write an existing node, which is exactly the guarantee we want.
      await this.q.query(
        `INSERT INTO evidence_nodes (level, idx, hash)
         SELECT l, i, decode(h, 'hex') FROM unnest($1::smallint[], $2::bigint[], $3::text[]) AS t(l, i, h)`,
        [upper.map((n) => n.level), upper.map((n) => n.index), upper.map((n) => hex(n.hash))],
      );
    }
    if (leaves.length > 0) {
      const top = Math.max(...leaves.map((n) => n.index)) + 1;
      await this.q.query('UPDATE evidence_log SET size = GREATEST(size, $1::bigint) WHERE id = 1', [top]);
    }
  }
}
