// The shipped model file: format, compact encoding (varint bucket deltas, int16 weights, base64) and the
// runtime scorer, an inverted index bucket → (type, weight) so one pass over a provision's features scores
// every type at once.
import type { FeatureConfig } from './features.ts';
import type { LinearModel, Platt } from './linear.ts';

export const MODEL_FORMAT = 'clausewatch-clause-classifier';
export const MODEL_VERSION = 1;

export interface EncodedLinear {
  bias: number;
  /** varint-encoded deltas of ascending bucket indices, base64 */
  buckets: string;
  /** int16 little-endian weights, base64; weight = q * scale */
  weights: string;
  scale: number;
}

export interface EncodedType extends EncodedLinear {
  id: string;
  platt: Platt;
  threshold: number;
  positives: number;
  /** Out-of-fold F1 on the training data at the chosen threshold (a tuning diagnostic, not a test score). */
  oofF1: number;
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: number;
  licence: string;
  attribution: string[];
  trainedOn: { file: string; sha256: string; examples: number }[];
  patternsSha256: string;
  features: FeatureConfig;
  idf: { defaultIdf: number; buckets: string; values: string; scale: number };
  types: EncodedType[];
  fairness: { clearlyUnfair: EncodedLinear & { platt: Platt }; clearlyFair: EncodedLinear & { platt: Platt } } | null;
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function encodeVarintDeltas(sorted: ArrayLike<number>): string {
  const bytes: number[] = [];
  let prev = 0;
  for (let i = 0; i < sorted.length; i++) {
    let d = sorted[i]! - prev;
    prev = sorted[i]!;
    while (d >= 0x80) {
      bytes.push((d & 0x7f) | 0x80);
      d >>>= 7;
    }
    bytes.push(d);
  }
  return Buffer.from(bytes).toString('base64');
}

export function decodeVarintDeltas(b64: string): Int32Array {
  const buf = Buffer.from(b64, 'base64');
  const out: number[] = [];
  let prev = 0;
  let i = 0;
  while (i < buf.length) {
    let d = 0;
    let shift = 0;
    let b: number;
    do {
      b = buf[i++]!;
      d |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80 && i < buf.length);
    prev += d;
    out.push(prev);
  }
  return Int32Array.from(out);
}

function encodeInt16(values: ArrayLike<number>, scale: number): string {
  const buf = Buffer.alloc(values.length * 2);
  for (let i = 0; i < values.length; i++) buf.writeInt16LE(Math.max(-32767, Math.min(32767, Math.round(values[i]! / scale))), i * 2);
  return buf.toString('base64');
}

function decodeInt16(b64: string, scale: number): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = buf.readInt16LE(i * 2) * scale;
  return out;
}

/** Keeps the `topK` largest weights by magnitude (ties by bucket) and encodes them. */
export function encodeLinear(m: LinearModel, topK: number): EncodedLinear {
  let keep = Array.from(m.idx.keys());
  if (keep.length > topK) {
    keep.sort((a, b) => Math.abs(m.val[b]!) - Math.abs(m.val[a]!) || m.idx[a]! - m.idx[b]!);
    keep = keep.slice(0, topK).sort((a, b) => m.idx[a]! - m.idx[b]!);
  }
  let max = 0;
  for (const k of keep) max = Math.max(max, Math.abs(m.val[k]!));
  const scale = max > 0 ? max / 32767 : 1;
  return {
    bias: r6(m.bias),
    buckets: encodeVarintDeltas(keep.map((k) => m.idx[k]!)),
    weights: encodeInt16(keep.map((k) => m.val[k]!), scale),
    scale: Number(scale.toPrecision(9)),
  };
}

export function decodeLinear(e: EncodedLinear): LinearModel {
  return { idx: decodeVarintDeltas(e.buckets), val: decodeInt16(e.weights, e.scale), bias: e.bias };
}

export function encodeIdf(idf: Float32Array, defaultIdf: number): ModelFile['idf'] {
  const buckets: number[] = [];
  const vals: number[] = [];
  for (let k = 0; k < idf.length; k++) {
    if (idf[k] !== defaultIdf && Math.abs(idf[k]! - defaultIdf) > 1e-6) {
      buckets.push(k);
      vals.push(idf[k]!);
    }
  }
  const scale = 1 / 2000; // idf lies in [1, ~12]: 1/2000 resolution fits uint16 comfortably
  const buf = Buffer.alloc(vals.length * 2);
  vals.forEach((v, i) => buf.writeUInt16LE(Math.min(65535, Math.round(v / scale)), i * 2));
  return { defaultIdf: r6(defaultIdf), buckets: encodeVarintDeltas(buckets), values: buf.toString('base64'), scale };
}

export function decodeIdf(e: ModelFile['idf'], bits: number): Float32Array {
  const idf = new Float32Array(1 << bits).fill(e.defaultIdf);
  const b = decodeVarintDeltas(e.buckets);
  const buf = Buffer.from(e.values, 'base64');
  for (let i = 0; i < b.length; i++) idf[b[i]!] = buf.readUInt16LE(i * 2) * e.scale;
  return idf;
}

/**
 * Bucket-major sparse weights (CSR): for each bucket any model uses, the (model, int8 weight) pairs of the
 * models that use it. Rows are numbered by bucket frequency (low idf first) so the rows most provisions
 * touch sit together in memory; int8 keeps them small. Scoring is memory-bound, so both matter.
 */
export interface InvertedIndex {
  /** bucket → row, or -1 */
  rowOf: Int32Array;
  start: Int32Array;
  cols: Uint8Array;
  q: Int8Array;
  /** weight = q * scales[model] */
  scales: Float64Array;
  width: number;
  biases: Float64Array;
  acc: Float64Array;
}

export function buildIndex(models: LinearModel[], bits: number, idf?: Float32Array): InvertedIndex {
  if (models.length > 255) throw new Error('at most 255 models fit the index');
  const size = 1 << bits;
  const rowOf = new Int32Array(size).fill(-1);
  const used: number[] = [];
  const count = new Int32Array(size);
  for (const m of models) {
    for (let k = 0; k < m.idx.length; k++) {
      const b = m.idx[k]!;
      if (count[b] === 0) used.push(b);
      count[b]!++;
    }
  }
  if (idf) used.sort((a, b) => idf[a]! - idf[b]! || a - b);
  else used.sort((a, b) => a - b);
  const start = new Int32Array(used.length + 1);
  used.forEach((b, r) => {
    rowOf[b] = r;
    start[r + 1] = start[r]! + count[b]!;
  });
  const total = start[used.length]!;
  const cols = new Uint8Array(total);
  const q = new Int8Array(total);
  const fill = start.slice(0, used.length);
  const width = models.length;
  const scales = new Float64Array(width);
  models.forEach((m, r) => {
    let max = 0;
    for (let k = 0; k < m.val.length; k++) max = Math.max(max, Math.abs(m.val[k]!));
    const scale = max > 0 ? max / 127 : 1;
    scales[r] = scale;
    for (let k = 0; k < m.idx.length; k++) {
      const p = fill[rowOf[m.idx[k]!]!]!++;
      cols[p] = r;
      q[p] = Math.round(m.val[k]! / scale);
    }
  });
  return { rowOf, start, cols, q, scales, width, biases: Float64Array.from(models, (m) => m.bias), acc: new Float64Array(width) };
}

/** Decision values of every model row for one sparse vector. */
export function scoreAll(ix: InvertedIndex, idx: Int32Array, val: Float32Array, out: Float64Array): void {
  const { rowOf, start, cols, q, width, acc, scales, biases } = ix;
  acc.fill(0);
  for (let k = 0; k < idx.length; k++) {
    const r = rowOf[idx[k]!]!;
    if (r < 0) continue;
    const x = val[k]!;
    for (let p = start[r]!, e = start[r + 1]!; p < e; p++) acc[cols[p]!]! += q[p]! * x;
  }
  for (let t = 0; t < width; t++) out[t] = biases[t]! + acc[t]! * scales[t]!;
}
