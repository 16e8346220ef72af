// An append-only RFC 9162 Merkle log over a NodeStore. Appending writes the leaf hash and the
// complete subtrees it closes (O(log n) worst case, O(1) amortised); every root, inclusion proof and
// consistency proof, for the current size or any earlier one, is assembled from O(log n) stored
// nodes, because any range of an RFC 6962 tree splits into at most log2(n) complete subtrees.

import { emptyRoot, foldSubtrees, HASH_SIZE, leafHash as hashLeaf, nodeHash } from './merkle.ts';
import type { NodeStore, StoredNode } from './node-store.ts';
import { completeSubtrees, consistencyRanges, inclusionRanges } from './tree-shape.ts';
import type { LeafRange, NodeKey } from './tree-shape.ts';

export interface AppendResult {
  index: number;
  leafHash: Buffer;
  /** The nodes this append wrote (leaf first), for callers that mirror them elsewhere. */
  nodes: StoredNode[];
}

export class MerkleLog {
  // Appends on one instance are chained so that two concurrent calls cannot both claim the same
  // index. Writers in other processes need the store's own lock (see docs/evidence-format.md).
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly store: NodeStore) {}

  async size(): Promise<number> {
    return await this.store.size();
  }

  /** Hashes leafData as an RFC 6962 leaf and appends it. */
  append(leafData: Uint8Array): Promise<AppendResult> {
    return this.appendLeafHash(hashLeaf(leafData));
  }

  /** Appends an already computed leaf hash (SHA-256(0x00 || leaf)). */
  appendLeafHash(leaf: Uint8Array): Promise<AppendResult> {
    if (!(leaf instanceof Uint8Array) || leaf.length !== HASH_SIZE) {
      return Promise.reject(new RangeError(`a leaf hash is ${HASH_SIZE} bytes`));
    }
    const run = this.tail.then(() => this.doAppend(Buffer.from(leaf)));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async doAppend(leaf: Buffer): Promise<AppendResult> {
    const index = await this.store.size();
    // Each trailing 1-bit of the index closes one complete subtree whose left half is stored.
    const lefts: NodeKey[] = [];
    for (let level = 0, i = index; i % 2 === 1; level++, i = (i - 1) / 2) lefts.push({ level, index: i - 1 });
    const leftHashes = await this.fetch(lefts);
    const nodes: StoredNode[] = [{ level: 0, index, hash: leaf }];
    let cur = leaf;
    let i = index;
    for (const [level, left] of leftHashes.entries()) {
      cur = nodeHash(left, cur);
      i = (i - 1) / 2;
      nodes.push({ level: level + 1, index: i, hash: cur });
    }
    await this.store.put(nodes);
    return { index, leafHash: leaf, nodes };
  }

  /** MTH of the first `size` leaves (default: all of them). */
  async root(size?: number): Promise<Buffer> {
    const n = await this.checkedSize(size);
    if (n === 0) return emptyRoot();
    return (await this.rangeHashes([{ start: 0, end: n }]))[0]!;
  }

  async leafHash(index: number): Promise<Buffer> {
    const n = await this.store.size();
    if (!Number.isSafeInteger(index) || index < 0 || index >= n) throw new RangeError(`leaf index ${index} is outside a log of size ${n}`);
    return (await this.fetch([{ level: 0, index }]))[0]!;
  }

  /** PATH(index, D[0:size]) of RFC 9162 §2.1.3.1 (default size: the current size). */
  async inclusionProof(index: number, size?: number): Promise<Buffer[]> {
    const n = await this.checkedSize(size);
    return this.rangeHashes(inclusionRanges(index, n));
  }

  /** PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1 between two sizes (default n: the current size). */
  async consistencyProof(m: number, n?: number): Promise<Buffer[]> {
    const nn = await this.checkedSize(n);
    return this.rangeHashes(consistencyRanges(m, nn));
  }

  private async checkedSize(size: number | undefined): Promise<number> {
    const current = await this.store.size();
    if (size === undefined) return current;
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`tree size must be a non-negative integer, got ${String(size)}`);
    if (size > current) throw new RangeError(`tree size ${size} is larger than the log (${current} leaves)`);
    return size;
  }

  private async rangeHashes(ranges: LeafRange[]): Promise<Buffer[]> {
    const parts = ranges.map(completeSubtrees);
    const hashes = await this.fetch(parts.flat());
    let at = 0;
    return parts.map((p) => {
      const slice = hashes.slice(at, at + p.length);
      at += p.length;
      return foldSubtrees(slice);
    });
  }

  private async fetch(keys: NodeKey[]): Promise<Buffer[]> {
    if (keys.length === 0) return [];
    const got = this.store.getMany
      ? await this.store.getMany(keys)
      : await Promise.all(keys.map((k) => this.store.get(k.level, k.index)));
    return keys.map((k, i) => {
      const h = got[i];
      if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
        throw new Error(`the node store has no valid hash for node (level ${k.level}, index ${k.index}): the store is incomplete or corrupt`);
      }
      return Buffer.from(h.buffer, h.byteOffset, h.length);
    });
  }
}
