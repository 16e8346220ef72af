// Where a MerkleLog keeps its hashes. The log stores the hash of every complete subtree, keyed by
// (level, index): level 0 holds leaf hashes, and node (l, i) covers leaves [i·2^l, (i+1)·2^l).
// Those nodes never change once written, so a database can keep them in an append-only table
// nodes(level, idx, hash) written in the same transaction as the record whose leaf they cover.

import type { NodeKey } from './tree-shape.ts';

export type MaybePromise<T> = T | Promise<T>;

export interface StoredNode extends NodeKey {
  hash: Buffer;
}

export interface NodeStore {
  /** The hash of complete subtree (level, index), or undefined if it has not been written. */
  get(level: number, index: number): MaybePromise<Buffer | undefined>;
  /**
   * Optional batch read, same order as keys. A proof needs O(log n) nodes known in advance, so a
   * database can answer them in one query instead of one query per node.
   */
  getMany?(keys: readonly NodeKey[]): MaybePromise<(Buffer | undefined)[]>;
  /**
   * Writes the nodes created by one append (the leaf first, then its new ancestors bottom-up).
   * Must be atomic: all of them or none, so a crash cannot leave a leaf without its parents.
   */
  put(nodes: readonly StoredNode[]): MaybePromise<void>;
  /** Number of leaves, i.e. the number of level-0 nodes written. */
  size(): MaybePromise<number>;
}

const HASH = 32;

/**
 * NodeStore in memory: one contiguous Buffer per level (32 bytes a slot, capacity doubling), so a
 * million-leaf log costs about 64 MB rather than two million Buffer objects.
 */
export class MemoryNodeStore implements NodeStore {
  private readonly levels: Buffer[] = [];
  private readonly counts: number[] = [];

  get(level: number, index: number): Buffer | undefined {
    const count = this.counts[level];
    if (count === undefined || !Number.isSafeInteger(index) || index < 0 || index >= count) return undefined;
    // A copy, so that no caller can rewrite the log's history through a returned view.
    return Buffer.from(this.levels[level]!.subarray(index * HASH, (index + 1) * HASH));
  }

  getMany(keys: readonly NodeKey[]): (Buffer | undefined)[] {
    return keys.map((k) => this.get(k.level, k.index));
  }

  put(nodes: readonly StoredNode[]): void {
    // Validate everything first so that a bad batch writes nothing.
    const pending = new Map<number, number>();
    for (const n of nodes) {
      if (!Number.isInteger(n.level) || n.level < 0 || n.level > 63) throw new RangeError(`bad node level ${n.level}`);
      if (!Number.isSafeInteger(n.index) || n.index < 0) throw new RangeError(`bad node index ${n.index}`);
      if (!(n.hash instanceof Uint8Array) || n.hash.length !== HASH) throw new RangeError(`node (${n.level}, ${n.index}) hash is not ${HASH} bytes`);
      const next = pending.get(n.level) ?? this.counts[n.level] ?? 0;
      if (n.index < next) {
        const existing = this.get(n.level, n.index);
        if (existing === undefined || !existing.equals(n.hash)) {
          throw new Error(`node (${n.level}, ${n.index}) already holds a different hash: a log never rewrites history`);
        }
        continue;
      }
      if (n.index !== next) throw new RangeError(`node (${n.level}, ${n.index}) would leave a gap after index ${next - 1}`);
      pending.set(n.level, next + 1);
    }
    for (const n of nodes) {
      const count = this.counts[n.level] ?? 0;
      if (n.index < count) continue;
      this.ensureCapacity(n.level, n.index + 1);
      this.levels[n.level]!.set(n.hash, n.index * HASH);
      this.counts[n.level] = n.index + 1;
    }
  }

  size(): number {
    return this.counts[0] ?? 0;
  }

  private ensureCapacity(level: number, slots: number): void {
    while (this.levels.length <= level) {
      this.levels.push(Buffer.alloc(0));
      this.counts.push(0);
    }
    const buf = this.levels[level]!;
    if (buf.length >= slots * HASH) return;
    let capacity = Math.max(16, buf.length / HASH);
    while (capacity < slots) capacity *= 2;
    const grown = Buffer.alloc(capacity * HASH);
    buf.copy(grown, 0, 0, (this.counts[level] ?? 0) * HASH);
    this.levels[level] = grown;
  }
}
