// Merkle tree hashing and proofs exactly as RFC 6962 §2.1 / RFC 9162 §2.1, so that any
// Certificate-Transparency-style verifier agrees with ours. This module is pure and synchronous;
// MerkleLog (log.ts) produces the same proofs from stored nodes.

import { createHash } from 'node:crypto';
import { consistencyRanges, inclusionRanges, isPowerOfTwo, splitPoint } from './tree-shape.ts';
import type { LeafRange } from './tree-shape.ts';

export const HASH_SIZE = 32;
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({}) = SHA-256 of the empty string. */
export function emptyRoot(): Buffer {
  return createHash('sha256').digest();
}

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** Where proof generation reads leaf hashes from: an array, or a function of the leaf index. */
export type LeafHashSource = readonly Uint8Array[] | ((index: number) => Uint8Array);

function leafAt(source: LeafHashSource, index: number): Uint8Array {
  const h = typeof source === 'function' ? source(index) : source[index];
  if (h === undefined || h.length !== HASH_SIZE) throw new RangeError(`no ${HASH_SIZE}-byte leaf hash for index ${index}`);
  return h;
}

function rangeHash(source: LeafHashSource, start: number, end: number): Buffer {
  if (end - start === 1) return Buffer.from(leafAt(source, start));
  const k = splitPoint(end - start);
  return nodeHash(rangeHash(source, start, start + k), rangeHash(source, start + k, end));
}

/** MTH of a list of leaf hashes (already hashed with leafHash). O(n) hashes, O(log n) stack. */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) return emptyRoot();
  return rangeHash(hashes, 0, hashes.length);
}

/** Combines the hashes of the complete subtrees of a range (left to right) into the range's hash. */
export function foldSubtrees(hashes: readonly Uint8Array[]): Buffer {
  const last = hashes[hashes.length - 1];
  if (last === undefined) throw new RangeError('a range has at least one subtree');
  let acc: Buffer = Buffer.from(last);
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i]!, acc);
  return acc;
}

function hashRanges(ranges: LeafRange[], source: LeafHashSource): Buffer[] {
  return ranges.map((r) => rangeHash(source, r.start, r.end));
}

/** PATH(index, D[0:treeSize]) of RFC 9162 §2.1.3.1: sibling hashes from the leaf up. */
export function inclusionProof(index: number, treeSize: number, source: LeafHashSource): Buffer[] {
  return hashRanges(inclusionRanges(index, treeSize), source);
}

/** PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1. Empty when m == 0 or m == n. */
export function consistencyProof(m: number, n: number, source: LeafHashSource): Buffer[] {
  return hashRanges(consistencyRanges(m, n), source);
}

function isHash(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array && x.length === HASH_SIZE;
}

function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Result of recomputing a root from an inclusion proof: the root, or why no root comes out. */
export type RootComputation = { ok: true; root: Buffer } | { ok: false; reason: string };

/**
 * The root an inclusion proof leads to, per RFC 9162 §2.1.3.2 steps 1–5 (without the final
 * comparison), with a reason when the proof cannot lead to any root of that size.
 */
export function rootFromInclusionProof(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): RootComputation {
  if (!Number.isSafeInteger(treeSize) || treeSize < 1) return { ok: false, reason: `tree size ${String(treeSize)} is not a positive integer` };
  if (!Number.isSafeInteger(index) || index < 0) return { ok: false, reason: `leaf index ${String(index)} is not a non-negative integer` };
  if (index >= treeSize) return { ok: false, reason: `leaf index ${index} is not below tree size ${treeSize}` };
  if (!isHash(leaf)) return { ok: false, reason: `the leaf hash is not ${HASH_SIZE} bytes` };
  const expectedLength = inclusionRanges(index, treeSize).length;
  if (proof.length !== expectedLength) {
    return { ok: false, reason: `the proof has ${proof.length} hashes, and leaf ${index} of a tree of size ${treeSize} needs exactly ${expectedLength}` };
  }
  // fn/sn may exceed 2^31, so shifts are divisions.
  let fn = index;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const [i, p] of proof.entries()) {
    if (!isHash(p)) return { ok: false, reason: `proof hash #${i} is not ${HASH_SIZE} bytes` };
    if (sn === 0) return { ok: false, reason: 'the proof is longer than the path to the root' };
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return { ok: false, reason: 'the proof is shorter than the path to the root' };
  return { ok: true, root: r };
}

/** RFC 9162 §2.1.3.2: true iff the proof shows leafHash at index in the tree of treeSize with root. */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(root)) return false;
  const got = rootFromInclusionProof(leaf, index, treeSize, proof);
  return got.ok && sameHash(got.root, root);
}

/** Why a consistency proof fails, or ok. */
export type ConsistencyCheck = { ok: true } | { ok: false; reason: string };

/** RFC 9162 §2.1.4.2, with the reason a proof fails. */
export function checkConsistency(
  m: number,
  n: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): ConsistencyCheck {
  if (!Number.isSafeInteger(m) || m < 0) return { ok: false, reason: `old size ${String(m)} is not a non-negative integer` };
  if (!Number.isSafeInteger(n) || n < 0) return { ok: false, reason: `new size ${String(n)} is not a non-negative integer` };
  if (m > n) return { ok: false, reason: `old size ${m} is larger than new size ${n}` };
  if (!isHash(oldRoot) || !isHash(newRoot)) return { ok: false, reason: `a root is not ${HASH_SIZE} bytes` };
  if (m === n) {
    // Outside the RFC's algorithm (which needs m < n): equal sizes are consistent iff the roots match.
    if (proof.length !== 0) return { ok: false, reason: 'a proof between equal sizes must be empty' };
    return sameHash(oldRoot, newRoot) ? { ok: true } : { ok: false, reason: 'equal sizes with different roots' };
  }
  if (m === 0) {
    // Every tree extends the empty tree; its root is fixed.
    if (proof.length !== 0) return { ok: false, reason: 'a proof from the empty tree must be empty' };
    return sameHash(oldRoot, emptyRoot()) ? { ok: true } : { ok: false, reason: 'the old root is not the empty-tree hash' };
  }
  const expectedLength = consistencyRanges(m, n).length;
  if (proof.length !== expectedLength) {
    return { ok: false, reason: `the proof has ${proof.length} hashes, and sizes ${m} → ${n} need exactly ${expectedLength}` };
  }
  for (const [i, p] of proof.entries()) if (!isHash(p)) return { ok: false, reason: `proof hash #${i} is not ${HASH_SIZE} bytes` };
  // Step 1 of §2.1.4.2: an empty path fails (expectedLength > 0 here, so this is already excluded).
  const path: Uint8Array[] = isPowerOfTwo(m) ? [oldRoot, ...proof] : [...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0) return { ok: false, reason: 'the proof is longer than the path to the root' };
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return { ok: false, reason: 'the proof is shorter than the path to the root' };
  if (!sameHash(fr, oldRoot)) return { ok: false, reason: 'the proof does not lead to the old root' };
  if (!sameHash(sr, newRoot)) return { ok: false, reason: 'the proof does not lead to the new root' };
  return { ok: true };
}

/** RFC 9162 §2.1.4.2: true iff the tree with newRoot at size n extends the tree with oldRoot at size m. */
export function verifyConsistency(
  m: number,
  n: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): boolean {
  return checkConsistency(m, n, proof, oldRoot, newRoot).ok;
}
