// Linear one-vs-rest learning: an L2-regularised, L2-loss (squared hinge) SVM solved by dual coordinate
// descent (Hsieh et al. 2008, as in LIBLINEAR), Platt scaling of its decision values, and F1-optimal
// thresholds. Everything is deterministic: a seeded permutation, fixed iteration caps, no wall-clock checks.
import type { SparseVec } from './features.ts';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
  return xs;
}

export interface LinearModel {
  /** Sparse weights, bucket indices ascending. */
  idx: Int32Array;
  val: Float32Array;
  bias: number;
}

export interface SvmOptions {
  C: number;
  /** Relative C for positives (class balance). */
  posWeight: number;
  maxEpochs: number;
  eps: number;
  seed: number;
}

export const DEFAULT_SVM: SvmOptions = { C: 0.5, posWeight: 1, maxEpochs: 40, eps: 0.1, seed: 1 };

/** A training set re-indexed to dense local ids, most frequent features first, so the hot part of the weight
 * vector stays in cache (hash buckets scatter over megabytes otherwise). */
export interface CompactSet {
  xs: SparseVec[];
  /** local id → hash bucket */
  toBucket: Int32Array;
}

export function compact(xs: readonly SparseVec[], bits: number): CompactSet {
  const df = new Int32Array(1 << bits);
  for (const x of xs) for (let k = 0; k < x.idx.length; k++) df[x.idx[k]!]!++;
  const used: number[] = [];
  for (let j = 0; j < df.length; j++) if (df[j]! > 0) used.push(j);
  used.sort((a, b) => df[b]! - df[a]! || a - b);
  const local = new Int32Array(1 << bits).fill(-1);
  used.forEach((j, t) => (local[j] = t));
  const out = xs.map((x) => {
    const idx = new Int32Array(x.idx.length);
    for (let k = 0; k < idx.length; k++) idx[k] = local[x.idx[k]!]!;
    return { idx, val: x.val };
  });
  return { xs: out, toBucket: Int32Array.from(used) };
}

/**
 * Trains one binary model on a compact set: `rows` selects the examples, `y` ±1 and `w` per-sample weights
 * (scaling C) are aligned with `rows`. Returns weights over hash buckets, sorted by bucket.
 */
export function trainSvm(set: CompactSet, rows: ArrayLike<number>, y: Int8Array, w: Float32Array, opt: SvmOptions): LinearModel {
  const n = rows.length;
  const W = new Float64Array(set.toBucket.length);
  let bias = 0;
  const B = 1; // bias feature value
  const alpha = new Float64Array(n);
  const Dii = new Float64Array(n);
  const Qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const Ci = opt.C * w[i]! * (y[i]! > 0 ? opt.posWeight : 1);
    Dii[i] = 0.5 / Ci;
    let q = B * B;
    const v = set.xs[rows[i]!]!.val;
    for (let k = 0; k < v.length; k++) q += v[k]! * v[k]!;
    Qii[i] = q + Dii[i]!;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  const rand = mulberry32(opt.seed);
  for (let epoch = 0; epoch < opt.maxEpochs; epoch++) {
    shuffle(order, rand);
    let pgMax = -Infinity;
    let pgMin = Infinity;
    for (let o = 0; o < n; o++) {
      const i = order[o]!;
      const x = set.xs[rows[i]!]!;
      const xi = x.idx;
      const xv = x.val;
      const yi = y[i]!;
      let dot = bias * B;
      for (let k = 0; k < xi.length; k++) dot += W[xi[k]!]! * xv[k]!;
      const G = yi * dot - 1 + Dii[i]! * alpha[i]!;
      const PG = alpha[i] === 0 ? Math.min(G, 0) : G;
      if (PG > pgMax) pgMax = PG;
      if (PG < pgMin) pgMin = PG;
      if (Math.abs(PG) > 1e-12) {
        const old = alpha[i]!;
        const nw = Math.max(old - G / Qii[i]!, 0);
        alpha[i] = nw;
        const d = (nw - old) * yi;
        if (d !== 0) {
          for (let k = 0; k < xi.length; k++) W[xi[k]!]! += d * xv[k]!;
          bias += d * B;
        }
      }
    }
    if (pgMax - pgMin < opt.eps) break;
  }
  const pairs: [number, number][] = [];
  for (let t = 0; t < W.length; t++) if (W[t] !== 0) pairs.push([set.toBucket[t]!, W[t]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  return { idx: Int32Array.from(pairs, (p) => p[0]), val: Float32Array.from(pairs, (p) => p[1]), bias };
}

/** Scatters a sparse model into a dense weight array over hash buckets, for fast scoring. */
export function densify(m: LinearModel, bits: number): Float32Array {
  const W = new Float32Array(1 << bits);
  for (let k = 0; k < m.idx.length; k++) W[m.idx[k]!] = m.val[k]!;
  return W;
}

/** Decision value of dense weights on a sparse vector. */
export function decision(W: Float32Array, bias: number, x: SparseVec): number {
  let s = bias;
  const xi = x.idx;
  const xv = x.val;
  for (let k = 0; k < xi.length; k++) s += W[xi[k]!]! * xv[k]!;
  return s;
}

export interface Platt {
  a: number;
  b: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function applyPlatt(p: Platt, f: number): number {
  return sigmoid(p.a * f + p.b);
}

/** Platt scaling with Lin, Lin & Weng's (2007) Newton method and target smoothing. */
export function fitPlatt(f: ArrayLike<number>, y: ArrayLike<number>): Platt {
  const n = f.length;
  let prior1 = 0;
  for (let i = 0; i < n; i++) if (y[i]! > 0) prior1++;
  const prior0 = n - prior1;
  const hi = (prior1 + 1) / (prior1 + 2);
  const lo = 1 / (prior0 + 2);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = y[i]! > 0 ? hi : lo;
  // parameterised as p = 1 / (1 + exp(A f + B)); we return a = -A, b = -B for sigmoid(a f + b)
  let A = 0;
  let B = Math.log((prior0 + 1) / (prior1 + 1));
  const fval = (A_: number, B_: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const fApB = f[i]! * A_ + B_;
      s += fApB >= 0 ? t[i]! * fApB + Math.log(1 + Math.exp(-fApB)) : (t[i]! - 1) * fApB + Math.log(1 + Math.exp(fApB));
    }
    return s;
  };
  let fv = fval(A, B);
  for (let it = 0; it < 100; it++) {
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const fApB = f[i]! * A + B;
      const p = fApB >= 0 ? Math.exp(-fApB) / (1 + Math.exp(-fApB)) : 1 / (1 + Math.exp(fApB));
      const q = 1 - p;
      const d2 = p * q;
      h11 += f[i]! * f[i]! * d2;
      h22 += d2;
      h21 += f[i]! * d2;
      const d1 = t[i]! - p;
      g1 += f[i]! * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    let moved = false;
    while (step >= 1e-10) {
      const nA = A + step * dA;
      const nB = B + step * dB;
      const nf = fval(nA, nB);
      if (nf < fv + 1e-4 * step * gd) {
        A = nA;
        B = nB;
        fv = nf;
        moved = true;
        break;
      }
      step /= 2;
    }
    if (!moved) break;
  }
  return { a: -A, b: -B };
}

/** Threshold on probabilities maximising (weighted) F1; falls back to 0.5 without positives. */
export function bestThreshold(p: ArrayLike<number>, y: ArrayLike<number>, w?: ArrayLike<number>, lo = 0.15, hi = 0.95): { threshold: number; f1: number } {
  const n = p.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b]! - p[a]! || a - b);
  let totalPos = 0;
  for (let i = 0; i < n; i++) if (y[i]! > 0) totalPos += w ? w[i]! : 1;
  if (totalPos === 0) return { threshold: 0.5, f1: 0 };
  let tp = 0;
  let fp = 0;
  let best = { threshold: 0.5, f1: -1 };
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    const wi = w ? w[i]! : 1;
    if (y[i]! > 0) tp += wi;
    else fp += wi;
    const next = r + 1 < n ? p[order[r + 1]!]! : 0;
    if (next === p[i]) continue; // only cut between distinct scores
    const thr = (p[i]! + next) / 2;
    if (thr < lo || thr > hi) continue;
    const f1 = (2 * tp) / (2 * tp + fp + (totalPos - tp));
    if (f1 > best.f1) best = { threshold: thr, f1 };
  }
  if (best.f1 < 0) return { threshold: 0.5, f1: 0 };
  return best;
}

/**
 * L2-regularised logistic regression by dual coordinate descent (Yu, Huang & Lin 2011, as in LIBLINEAR):
 * each 1-D sub-problem in α_i ∈ (0, C_i) is solved by a safeguarded Newton method. Same contract as trainSvm.
 */
export function trainLr(set: CompactSet, rows: ArrayLike<number>, y: Int8Array, w: Float32Array, opt: SvmOptions): LinearModel {
  const n = rows.length;
  const W = new Float64Array(set.toBucket.length);
  let bias = 0;
  const alpha = new Float64Array(n);
  const Ci = new Float64Array(n);
  const Qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    Ci[i] = opt.C * w[i]! * (y[i]! > 0 ? opt.posWeight : 1);
    let q = 1;
    const v = set.xs[rows[i]!]!.val;
    for (let k = 0; k < v.length; k++) q += v[k]! * v[k]!;
    Qii[i] = q;
    alpha[i] = Math.min(0.001 * Ci[i]!, 1e-8);
    const x = set.xs[rows[i]!]!;
    const d = y[i]! * alpha[i]!;
    for (let k = 0; k < x.idx.length; k++) W[x.idx[k]!]! += d * x.val[k]!;
    bias += d;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  const rand = mulberry32(opt.seed);
  for (let epoch = 0; epoch < opt.maxEpochs; epoch++) {
    shuffle(order, rand);
    let gmax = 0;
    for (let o = 0; o < n; o++) {
      const i = order[o]!;
      const x = set.xs[rows[i]!]!;
      const xi = x.idx;
      const xv = x.val;
      const yi = y[i]!;
      let dot = bias;
      for (let k = 0; k < xi.length; k++) dot += W[xi[k]!]! * xv[k]!;
      const a = Qii[i]!;
      const b = yi * dot;
      const C = Ci[i]!;
      const old = alpha[i]!;
      // minimise 0.5 a (z-old)^2 + b (z-old) + z log z + (C-z) log(C-z) over z in (0, C)
      const grad = (z: number) => a * (z - old) + b + Math.log(z / (C - z));
      let lo = 0;
      let hi = C;
      let z = old;
      if (z <= 0 || z >= C) z = C / 2;
      for (let it = 0; it < 30; it++) {
        const g = grad(z);
        if (Math.abs(g) < 1e-8) break;
        if (g > 0) hi = z;
        else lo = z;
        let nz = z - g / (a + C / (z * (C - z)));
        if (!(nz > lo && nz < hi)) nz = (lo + hi) / 2;
        if (Math.abs(nz - z) < 1e-12 * C) {
          z = nz;
          break;
        }
        z = nz;
      }
      const g0 = Math.abs(grad(old));
      if (g0 > gmax) gmax = g0;
      const d = (z - old) * yi;
      alpha[i] = z;
      if (d !== 0) {
        for (let k = 0; k < xi.length; k++) W[xi[k]!]! += d * xv[k]!;
        bias += d;
      }
    }
    if (gmax < opt.eps) break;
  }
  const pairs: [number, number][] = [];
  for (let t = 0; t < W.length; t++) if (W[t] !== 0) pairs.push([set.toBucket[t]!, W[t]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  return { idx: Int32Array.from(pairs, (p) => p[0]), val: Float32Array.from(pairs, (p) => p[1]), bias };
}
