// The shape of an RFC 9162 Merkle tree, without any hashing: which leaf ranges a proof needs, and
// which stored complete subtrees make up each range. Proof generation asks this module for the
// nodes it needs first, so a database-backed store can fetch all of them in a single round trip.

/** A half-open leaf range [start, end). */
export interface LeafRange {
  start: number;
  end: number;
}

/** A complete subtree of 2^level leaves starting at leaf index * 2^level. Level 0 is a leaf. */
export interface NodeKey {
  level: number;
  index: number;
}

/** Largest power of two strictly smaller than n (n >= 2): the RFC 6962 split point. */
export function splitPoint(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError(`splitPoint needs an integer n >= 2, got ${n}`);
  // Bit operations stop at 2^31, so the search is done with multiplication to stay exact up to 2^53.
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  if (!Number.isSafeInteger(n) || n < 1) return false;
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

export function assertTreeSize(size: number, what = 'tree size'): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${String(size)}`);
}

/**
 * The ranges whose Merkle tree hashes form PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, in proof
 * order (the sibling nearest the leaf first).
 */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  assertTreeSize(size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`leaf index ${String(index)} is outside a tree of size ${size}`);
  }
  const out: LeafRange[] = [];
  let start = 0;
  let end = size;
  let m = index;
  // Walk from the root down, then reverse: the RFC lists the path from the leaf up.
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (m < k) {
      out.push({ start: start + k, end });
      end = start + k;
    } else {
      out.push({ start, end: start + k });
      start += k;
      m -= k;
    }
  }
  return out.reverse();
}

/**
 * The ranges whose hashes form PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true) of RFC 9162 §2.1.4.1,
 * in proof order. Empty when m == n or m == 0 (nothing to prove).
 */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  assertTreeSize(m, 'old tree size');
  assertTreeSize(n, 'new tree size');
  if (m > n) throw new RangeError(`old tree size ${m} is larger than new tree size ${n}`);
  if (m === 0 || m === n) return [];
  const out: LeafRange[] = [];
  let start = 0;
  let end = n;
  let mm = m;
  let whole = true;
  for (;;) {
    const size = end - start;
    if (mm === size) {
      if (!whole) out.push({ start, end });
      break;
    }
    const k = splitPoint(size);
    if (mm <= k) {
      out.push({ start: start + k, end });
      end = start + k;
    } else {
      out.push({ start, end: start + k });
      start += k;
      mm -= k;
      whole = false;
    }
  }
  return out.reverse();
}

/**
 * The complete subtrees, left to right, whose hashes combine (right to left) into the hash of a
 * range that occurs in an RFC 6962 tree. Such a range always starts at a multiple of every power
 * of two not larger than its length, so the binary decomposition of its length is aligned.
 */
export function completeSubtrees(range: LeafRange): NodeKey[] {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) {
    throw new RangeError(`not a non-empty leaf range: [${String(start)}, ${String(end)})`);
  }
  const out: NodeKey[] = [];
  let pos = start;
  let remaining = end - start;
  while (remaining > 0) {
    let size = 1;
    let level = 0;
    while (size * 2 <= remaining) {
      size *= 2;
      level++;
    }
    if (pos % size !== 0) throw new RangeError(`range [${start}, ${end}) is not a subtree of an RFC 6962 tree`);
    out.push({ level, index: pos / size });
    pos += size;
    remaining -= size;
  }
  return out;
}
