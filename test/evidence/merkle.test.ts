import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkConsistency,
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  nodeHash,
  rootFromInclusionProof,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../../src/evidence/merkle.ts';
import { MemoryNodeStore } from '../../src/evidence/node-store.ts';
import { MerkleLog } from '../../src/evidence/log.ts';
import { completeSubtrees, splitPoint } from '../../src/evidence/tree-shape.ts';
import { hex, mth, path, proof, rng, unhex } from './oracle.ts';

// RFC 6962 test vectors as used by certificate-transparency-go, Trillian and transparency-dev/merkle.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const INCLUSION: { index: number; size: number; proof: string[] }[] = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const CONSISTENCY: { m: number; n: number; proof: string[] }[] = [
  { m: 1, n: 1, proof: [] },
  {
    m: 1,
    n: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    m: 6,
    n: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    m: 2,
    n: 5,
    proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'],
  },
  {
    m: 2,
    n: 8,
    proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'],
  },
];

const leafHashes = LEAVES.map(leafHash);

describe('RFC 6962 test vectors', () => {
  it('hashes the empty tree as SHA-256 of the empty string', () => {
    assert.equal(hex(emptyRoot()), EMPTY);
    assert.equal(hex(rootFromLeafHashes([])), EMPTY);
  });

  it('gives the published root for every size 1..8, as the naive oracle does', () => {
    for (let n = 1; n <= 8; n++) {
      assert.equal(hex(rootFromLeafHashes(leafHashes.slice(0, n))), ROOTS[n - 1], `size ${n}`);
      assert.equal(hex(mth(LEAVES.slice(0, n))), ROOTS[n - 1], `oracle, size ${n}`);
    }
  });

  it('uses the 0x00 leaf and 0x01 node prefixes', () => {
    assert.equal(hex(leafHash(new Uint8Array())), ROOTS[0]);
    assert.equal(hex(nodeHash(leafHashes[0]!, leafHashes[1]!)), ROOTS[1]);
  });

  it('produces and verifies the published inclusion proofs', () => {
    for (const v of INCLUSION) {
      const got = inclusionProof(v.index, v.size, leafHashes).map(hex);
      assert.deepEqual(got, v.proof, `leaf ${v.index} of ${v.size}`);
      assert.deepEqual(path(v.index, LEAVES.slice(0, v.size)).map(hex), v.proof, 'oracle');
      assert.ok(verifyInclusion(leafHashes[v.index]!, v.index, v.size, v.proof.map(unhex), unhex(ROOTS[v.size - 1]!)), 'the published proof verifies');
    }
  });

  it('produces and verifies the published consistency proofs', () => {
    for (const v of CONSISTENCY) {
      assert.deepEqual(consistencyProof(v.m, v.n, leafHashes).map(hex), v.proof, `${v.m} → ${v.n}`);
      if (v.m < v.n) assert.deepEqual(proof(v.m, LEAVES.slice(0, v.n)).map(hex), v.proof, 'oracle');
      assert.ok(verifyConsistency(v.m, v.n, v.proof.map(unhex), unhex(ROOTS[v.m - 1]!), unhex(ROOTS[v.n - 1]!)), `${v.m} → ${v.n}`);
    }
  });

  it('accepts leaf-hash getters as well as arrays', () => {
    const got = inclusionProof(5, 8, (i) => leafHashes[i]!).map(hex);
    assert.deepEqual(got, INCLUSION[2]!.proof);
  });
});

describe('tree shape', () => {
  it('splits at the largest power of two below n, exactly up to 2^53', () => {
    const cases: [number, number][] = [[2, 1], [3, 2], [4, 2], [5, 4], [8, 4], [9, 8], [1000, 512], [2 ** 40, 2 ** 39], [2 ** 40 + 1, 2 ** 40], [Number.MAX_SAFE_INTEGER, 2 ** 52]];
    for (const [n, k] of cases) assert.equal(splitPoint(n), k, `n=${n}`);
    assert.throws(() => splitPoint(1));
  });

  it('decomposes a tree prefix into the binary digits of its size', () => {
    assert.deepEqual(completeSubtrees({ start: 0, end: 13 }), [
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    assert.throws(() => completeSubtrees({ start: 1, end: 3 }), /not a subtree/);
  });
});

describe('properties over random trees of size 1..300', () => {
  const rand = rng(6962);
  const N = 300;
  const data = Array.from({ length: N }, (_, i) => {
    const b = Buffer.alloc(1 + Math.floor(rand() * 40));
    for (let j = 0; j < b.length; j++) b[j] = Math.floor(rand() * 256);
    b[0] = i & 0xff; // distinct leaves, so a wrong index never verifies by coincidence
    return b;
  });
  const hashes = data.map(leafHash);
  const roots = [emptyRoot(), ...Array.from({ length: N }, (_, i) => rootFromLeafHashes(hashes.slice(0, i + 1)))];

  const flip = (h: Buffer, bit: number): Buffer => {
    const c = Buffer.from(h);
    c[bit >> 3]! ^= 1 << (bit & 7);
    return c;
  };

  it('computes the same roots as the naive MTH for every size', () => {
    for (let n = 0; n <= N; n++) assert.equal(hex(roots[n]!), hex(mth(data.slice(0, n))), `size ${n}`);
  });

  it('every inclusion proof verifies, equals the oracle, and the log produces the same one', async () => {
    const log = new MerkleLog(new MemoryNodeStore());
    for (const d of data) await log.append(d);
    let count = 0;
    for (let n = 1; n <= N; n++) {
      for (let i = 0; i < n; i++) {
        const p = await log.inclusionProof(i, n);
        assert.ok(verifyInclusion(hashes[i]!, i, n, p, roots[n]!), `leaf ${i} of ${n}`);
        count++;
      }
      // The pure, array-based generator and the oracle agree with the log on a sample.
      const i = Math.floor(rand() * n);
      const p = await log.inclusionProof(i, n);
      assert.deepEqual(inclusionProof(i, n, hashes).map(hex), p.map(hex));
      if (n <= 100 || n % 17 === 0) assert.deepEqual(path(i, data.slice(0, n)).map(hex), p.map(hex), `oracle ${i} of ${n}`);
    }
    assert.equal(count, (N * (N + 1)) / 2);
  });

  it('every consistency proof m < n verifies and the log matches the pure generator', async () => {
    const log = new MerkleLog(new MemoryNodeStore());
    for (const d of data) await log.append(d);
    for (let n = 1; n <= N; n++) {
      for (let m = 0; m <= n; m++) {
        const p = await log.consistencyProof(m, n);
        const check = checkConsistency(m, n, p, roots[m]!, roots[n]!);
        assert.ok(check.ok, `${m} → ${n}: ${check.ok ? '' : check.reason}`);
      }
      const m = 1 + Math.floor(rand() * n);
      assert.deepEqual(consistencyProof(m, n, hashes).map(hex), (await log.consistencyProof(m, n)).map(hex));
      if (m < n && (n <= 100 || n % 17 === 0)) assert.deepEqual(proof(m, data.slice(0, n)).map(hex), (await log.consistencyProof(m, n)).map(hex), `oracle ${m} → ${n}`);
    }
  });

  it('rejects tampered inclusion proofs, roots, indices, sizes and leaves', () => {
    for (let n = 1; n <= N; n++) {
      const i = Math.floor(rand() * n);
      const p = inclusionProof(i, n, hashes);
      const leaf = hashes[i]!;
      const root = roots[n]!;
      assert.ok(verifyInclusion(leaf, i, n, p, root), 'the untampered proof verifies');
      for (let k = 0; k < p.length; k++) {
        const bad = p.slice();
        bad[k] = flip(p[k]!, Math.floor(rand() * 256));
        assert.ok(!verifyInclusion(leaf, i, n, bad, root), `flipped proof[${k}], leaf ${i} of ${n}`);
      }
      assert.ok(!verifyInclusion(leaf, i, n, p, flip(root, Math.floor(rand() * 256))), 'tampered root');
      assert.ok(!verifyInclusion(flip(leaf, 3), i, n, p, root), 'tampered leaf');
      if (n > 1) {
        const j = (i + 1 + Math.floor(rand() * (n - 1))) % n;
        assert.ok(!verifyInclusion(leaf, j, n, p, root), `wrong index ${j} for leaf ${i} of ${n}`);
        assert.ok(!verifyInclusion(hashes[j]!, i, n, p, root), 'another leaf');
        assert.ok(!verifyInclusion(leaf, i, n, p.slice(0, -1), root), 'truncated proof');
      }
      assert.ok(!verifyInclusion(leaf, i, n, [...p, leaf], root), 'extended proof');
      // A size only means something with its own root (a checkpoint signs both): the same path
      // shape can serve two sizes, but never two roots.
      if (n < N) assert.ok(!verifyInclusion(leaf, i, n + 1, p, roots[n + 1]!), 'size + 1 with its root');
      if (n > i + 1) assert.ok(!verifyInclusion(leaf, i, n - 1, p, roots[n - 1]!), 'size - 1 with its root');
      assert.ok(!verifyInclusion(leaf, n, n, p, root), 'index = size');
      assert.ok(!verifyInclusion(leaf, -1, n, p, root), 'negative index');
      assert.ok(!verifyInclusion(leaf, i + 0.5, n, p, root), 'fractional index');
      assert.ok(!verifyInclusion(leaf, i, n, p, root.subarray(1)), 'short root');
    }
  });

  it('rejects tampered consistency proofs and roots', () => {
    for (let n = 2; n <= N; n++) {
      const m = 1 + Math.floor(rand() * (n - 1));
      const p = consistencyProof(m, n, hashes);
      const [oldRoot, newRoot] = [roots[m]!, roots[n]!];
      assert.ok(verifyConsistency(m, n, p, oldRoot, newRoot), 'the untampered proof verifies');
      for (let k = 0; k < p.length; k++) {
        const bad = p.slice();
        bad[k] = flip(p[k]!, Math.floor(rand() * 256));
        assert.ok(!verifyConsistency(m, n, bad, oldRoot, newRoot), `flipped proof[${k}], ${m} → ${n}`);
      }
      assert.ok(!verifyConsistency(m, n, p, flip(oldRoot, 7), newRoot), 'old root');
      assert.ok(!verifyConsistency(m, n, p, oldRoot, flip(newRoot, 9)), 'new root');
      assert.ok(!verifyConsistency(m, n, p, newRoot, oldRoot), 'swapped roots');
      assert.ok(!verifyConsistency(m, n, p.slice(1), oldRoot, newRoot), 'truncated');
      assert.ok(!verifyConsistency(m, n, [...p, newRoot], oldRoot, newRoot), 'extended');
      assert.ok(!verifyConsistency(n, m, p, newRoot, oldRoot), 'm > n');
      if (m > 1) assert.ok(!verifyConsistency(m - 1, n, p, roots[m - 1]!, newRoot), 'wrong old size');
      if (n < N) assert.ok(!verifyConsistency(m, n + 1, p, oldRoot, roots[n + 1]!), 'wrong new size');
      assert.ok(!verifyConsistency(m, n, [], oldRoot, newRoot), 'empty proof for m < n');
    }
  });

  it('handles the edge sizes outside the RFC algorithm: m = 0 and m = n', () => {
    assert.ok(verifyConsistency(0, 5, [], emptyRoot(), roots[5]!), '0 → 5 with the empty root');
    assert.ok(!verifyConsistency(0, 5, [], roots[1]!, roots[5]!), '0 → 5 with a non-empty old root');
    assert.ok(!verifyConsistency(0, 5, [roots[1]!], emptyRoot(), roots[5]!), '0 → 5 with a non-empty proof');
    assert.ok(verifyConsistency(7, 7, [], roots[7]!, roots[7]!), '7 → 7 with equal roots');
    assert.ok(!verifyConsistency(7, 7, [], roots[7]!, roots[6]!), '7 → 7 with different roots');
    assert.ok(!verifyConsistency(7, 7, [roots[7]!], roots[7]!, roots[7]!), '7 → 7 with a non-empty proof');
  });

  it('explains why a proof gives no root', () => {
    const r = rootFromInclusionProof(hashes[0]!, 0, 8, inclusionProof(0, 4, hashes));
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, /needs exactly 3/);
    const c = checkConsistency(3, 8, consistencyProof(3, 8, hashes), roots[3]!, roots[7]!);
    assert.equal(c.ok, false);
    if (!c.ok) assert.match(c.reason, /new root/);
  });
});
