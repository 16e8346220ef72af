import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MerkleLog } from '../../src/evidence/log.ts';
import { consistencyProof, emptyRoot, inclusionProof, leafHash, rootFromLeafHashes, verifyConsistency, verifyInclusion } from '../../src/evidence/merkle.ts';
import { MemoryNodeStore } from '../../src/evidence/node-store.ts';
import type { NodeStore, StoredNode } from '../../src/evidence/node-store.ts';
import type { NodeKey } from '../../src/evidence/tree-shape.ts';
import { hex, rng } from './oracle.ts';

/** Counts the nodes read, to check the O(log n) claims. */
class CountingStore implements NodeStore {
  reads = 0;
  constructor(private readonly inner: MemoryNodeStore) {}
  get(level: number, index: number): Buffer | undefined {
    this.reads++;
    return this.inner.get(level, index);
  }
  getMany(keys: readonly NodeKey[]): (Buffer | undefined)[] {
    this.reads += keys.length;
    return this.inner.getMany(keys);
  }
  put(nodes: readonly StoredNode[]): void {
    this.inner.put(nodes);
  }
  size(): number {
    return this.inner.size();
  }
}

/** A store that answers asynchronously and has no batch read, as a simple database adapter might. */
class AsyncStore implements NodeStore {
  private readonly inner = new MemoryNodeStore();
  async get(level: number, index: number): Promise<Buffer | undefined> {
    await new Promise((r) => setImmediate(r));
    return this.inner.get(level, index);
  }
  async put(nodes: readonly StoredNode[]): Promise<void> {
    await new Promise((r) => setImmediate(r));
    this.inner.put(nodes);
  }
  async size(): Promise<number> {
    return this.inner.size();
  }
}

const data = (i: number): Buffer => Buffer.from(`leaf ${i}`);
const ceilLog2 = (n: number): number => (n <= 1 ? 0 : Math.ceil(Math.log2(n)));

describe('MerkleLog', () => {
  it('starts empty with the empty-tree root', async () => {
    const log = new MerkleLog(new MemoryNodeStore());
    assert.equal(await log.size(), 0);
    assert.equal(hex(await log.root()), hex(emptyRoot()));
    assert.deepEqual(await log.consistencyProof(0, 0), []);
  });

  it('appends at consecutive indices and keeps the root of every earlier size', async () => {
    const log = new MerkleLog(new MemoryNodeStore());
    const hashes: Buffer[] = [];
    for (let i = 0; i < 130; i++) {
      const r = await log.append(data(i));
      assert.equal(r.index, i);
      assert.equal(hex(r.leafHash), hex(leafHash(data(i))));
      hashes.push(r.leafHash);
    }
    assert.equal(await log.size(), 130);
    for (let n = 0; n <= 130; n++) assert.equal(hex(await log.root(n)), hex(rootFromLeafHashes(hashes.slice(0, n))), `root at ${n}`);
    assert.equal(hex(await log.leafHash(77)), hex(hashes[77]!));
  });

  it('matches the pure proof functions for proofs at earlier sizes', async () => {
    const log = new MerkleLog(new MemoryNodeStore());
    const hashes: Buffer[] = [];
    for (let i = 0; i < 200; i++) hashes.push((await log.append(data(i))).leafHash);
    const rand = rng(9162);
    for (let t = 0; t < 300; t++) {
      const n = 1 + Math.floor(rand() * 200);
      const i = Math.floor(rand() * n);
      const m = Math.floor(rand() * (n + 1));
      assert.deepEqual((await log.inclusionProof(i, n)).map(hex), inclusionProof(i, n, hashes).map(hex), `inclusion ${i} of ${n}`);
      assert.deepEqual((await log.consistencyProof(m, n)).map(hex), consistencyProof(m, n, hashes).map(hex), `consistency ${m} → ${n}`);
    }
  });

  it('reads O(log n) nodes per append and per proof', async () => {
    const store = new CountingStore(new MemoryNodeStore());
    const log = new MerkleLog(store);
    let maxAppendReads = 0;
    const N = 5000;
    for (let i = 0; i < N; i++) {
      store.reads = 0;
      await log.append(data(i));
      maxAppendReads = Math.max(maxAppendReads, store.reads);
    }
    assert.ok(maxAppendReads <= ceilLog2(N), `an append read ${maxAppendReads} nodes`);
    const rand = rng(1);
    for (let t = 0; t < 500; t++) {
      const n = 1 + Math.floor(rand() * N);
      const i = Math.floor(rand() * n);
      const m = 1 + Math.floor(rand() * n);
      store.reads = 0;
      const p = await log.inclusionProof(i, n);
      assert.ok(store.reads <= 2 * ceilLog2(n), `inclusion ${i} of ${n} read ${store.reads} nodes`);
      assert.ok(p.length <= ceilLog2(n), `inclusion proof of ${p.length} hashes for size ${n}`);
      store.reads = 0;
      await log.consistencyProof(m, n);
      assert.ok(store.reads <= 2 * ceilLog2(n) + 1, `consistency ${m} → ${n} read ${store.reads} nodes`);
      store.reads = 0;
      await log.root(n);
      assert.ok(store.reads <= ceilLog2(n) + 1, `root ${n} read ${store.reads} nodes`);
    }
  });

  it('works over an asynchronous store without batch reads', async () => {
    const log = new MerkleLog(new AsyncStore());
    const hashes: Buffer[] = [];
    for (let i = 0; i < 40; i++) hashes.push((await log.append(data(i))).leafHash);
    const root = await log.root();
    assert.equal(hex(root), hex(rootFromLeafHashes(hashes)));
    for (let i = 0; i < 40; i++) assert.ok(verifyInclusion(hashes[i]!, i, 40, await log.inclusionProof(i), root), `leaf ${i}`);
    assert.ok(verifyConsistency(13, 40, await log.consistencyProof(13), await log.root(13), root), '13 → 40');
  });

  it('serialises concurrent appends on one instance', async () => {
    const log = new MerkleLog(new AsyncStore());
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(data(i))));
    assert.deepEqual(
      results.map((r) => r.index),
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.equal(hex(await log.root()), hex(rootFromLeafHashes(results.map((r) => r.leafHash))));
  });

  it('continues where it left off when reopened on the same store', async () => {
    const store = new MemoryNodeStore();
    const first = new MerkleLog(store);
    for (let i = 0; i < 10; i++) await first.append(data(i));
    const second = new MerkleLog(store);
    assert.equal((await second.append(data(10))).index, 10);
    const hashes = Array.from({ length: 11 }, (_, i) => leafHash(data(i)));
    assert.equal(hex(await first.root()), hex(rootFromLeafHashes(hashes)));
  });

  it('reports the nodes an append wrote, leaf first', async () => {
    const log = new MerkleLog(new MemoryNodeStore());
    for (let i = 0; i < 7; i++) await log.append(data(i));
    const r = await log.append(data(7)); // index 7 closes subtrees at levels 1, 2 and 3
    assert.deepEqual(
      r.nodes.map((n) => [n.level, n.index]),
      [[0, 7], [1, 3], [2, 1], [3, 0]],
    );
  });

  it('refuses sizes and indices outside the log, and a store with holes', async () => {
    const store = new MemoryNodeStore();
    const log = new MerkleLog(store);
    for (let i = 0; i < 5; i++) await log.append(data(i));
    await assert.rejects(log.root(6), /larger than the log/);
    await assert.rejects(log.inclusionProof(5, 5), /outside a tree of size 5/);
    await assert.rejects(log.consistencyProof(4, 9), /larger than the log/);
    await assert.rejects(log.consistencyProof(5, 4), /larger than new tree size/);
    await assert.rejects(log.appendLeafHash(Buffer.alloc(31)), /32 bytes/);
    const holey: NodeStore = { get: () => undefined, put: () => undefined, size: () => 4 };
    await assert.rejects(new MerkleLog(holey).root(), /no valid hash for node \(level 2, index 0\)/);
  });
});

describe('MemoryNodeStore', () => {
  it('never rewrites a stored node and never leaves gaps', () => {
    const s = new MemoryNodeStore();
    const h = (b: number): Buffer => Buffer.alloc(32, b);
    s.put([{ level: 0, index: 0, hash: h(1) }]);
    s.put([{ level: 0, index: 0, hash: h(1) }]); // identical rewrite is harmless
    assert.throws(() => s.put([{ level: 0, index: 0, hash: h(2) }]), /never rewrites history/);
    assert.throws(() => s.put([{ level: 0, index: 2, hash: h(2) }]), /gap/);
    assert.throws(() => s.put([{ level: 0, index: 1, hash: h(2) }, { level: 1, index: 0, hash: Buffer.alloc(3) }]), /32 bytes/);
    assert.equal(s.size(), 1, 'a rejected batch writes nothing');
  });

  it('returns copies, so callers cannot alter the log', () => {
    const s = new MemoryNodeStore();
    s.put([{ level: 0, index: 0, hash: Buffer.alloc(32, 7) }]);
    s.get(0, 0)!.fill(0);
    assert.equal(s.get(0, 0)![0], 7);
    assert.equal(s.get(0, 1), undefined);
    assert.equal(s.get(5, 0), undefined);
  });
});
