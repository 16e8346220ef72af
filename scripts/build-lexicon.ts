// Builds models/word-lexicon.json.gz from the unlabelled Open Terms Archive histories in shared/corpus:
// every Markdown line ever recorded in the pga-versions and demo-versions bundles, cut into sentences,
// deduplicated, English only, and with every sentence that also occurs in CLAUDETTE removed (so no fold's
// test sentences are seen, even unlabelled). Words are keyed by the feature extractor's own 32-bit hashes
// (stemmed as the model stems them). Then: windowed co-occurrence counts → PPMI (context smoothing 0.75)
// → truncated SVD by seeded randomized subspace iteration → unit word vectors (int8) → spherical k-means
// at a few granularities (cluster ids). Deterministic: sorted inputs, fixed seeds, no parallelism.
// Usage: node --import tsx scripts/build-lexicon.ts [--out models/word-lexicon.json.gz] [--dims 64]
//   [--levels 64,256,1024] [--min-count 5] [--with-quotes] [--no-vectors]
// The shipped file: --levels 1024 --no-vectors (the defaults otherwise).
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { REPO_ROOT, loadTaxonomy } from '../src/analyse/taxonomy.ts';
import { loadClaudette, loadPrivacySpy, loadTosdr } from '../src/analyse/classify/data.ts';
import { corpusSentences, CORPUS_BUNDLES, normaliseSentence } from '../src/analyse/classify/corpus.ts';
import { countTerms, DEFAULT_FEATURES, makeExtractor } from '../src/analyse/classify/features.ts';
import { mulberry32 } from '../src/analyse/classify/linear.ts';
import { encodeVarintDeltas } from '../src/analyse/classify/model.ts';
import { LEXICON_FORMAT, type LexiconFile } from '../src/analyse/classify/lexicon.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : def);
const OUT = path.resolve(REPO_ROOT, arg('--out', 'models/word-lexicon.json.gz'));
const DIMS = Number(arg('--dims', '64'));
const VOCAB = Number(arg('--vocab', '20000'));
const MIN_COUNT = Number(arg('--min-count', '5'));
const WITH_QUOTES = args.includes('--with-quotes');
// the shipped classifier uses cluster ids only: leave the vectors out of the file (they still drive k-means)
const WITH_VECTORS = !args.includes('--no-vectors');
const WINDOW = 5;
const LEVELS = arg('--levels', '64,256,1024').split(',').map(Number);
const SEED = 20240601;
const t0 = Date.now();
const log = (s: string) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${s}`);

const tax = loadTaxonomy();
const claudette = loadClaudette(tax);
const { sentences: corpus, leftOut: dropped } = corpusSentences(new Set(claudette.map((e) => normaliseSentence(e.text))));
// the labelled sets' other sources are in-domain text too (CLAUDETTE is left out: its folds are test data)
const sentences = [...corpus, ...(WITH_QUOTES ? [...loadTosdr(tax), ...loadPrivacySpy(tax)].map((e) => e.text) : [])];
log(`${corpus.length} distinct English corpus sentences (${dropped} also in CLAUDETTE, left out), ${sentences.length} texts in all`);

// 2. word-hash sequences, vocabulary by frequency
const ex = makeExtractor(DEFAULT_FEATURES);
const seqs: Uint32Array[] = [];
const freq = new Map<number, number>();
let tokens = 0;
for (const s of sentences) {
  countTerms(ex, s);
  ex.wordAcc.clear();
  ex.charAcc.clear();
  const seq = ex.words.slice(0, ex.nWords);
  seqs.push(seq);
  tokens += seq.length;
  for (const h of seq) freq.set(h, (freq.get(h) ?? 0) + 1);
}
const vocab = [...freq.entries()].filter(([, c]) => c >= MIN_COUNT).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, VOCAB).map(([h]) => h);
const V = vocab.length;
const index = new Map(vocab.map((h, i) => [h, i]));
log(`${tokens} tokens, ${freq.size} word types, vocabulary ${V} (count ≥ ${MIN_COUNT})`);

// 3. co-occurrence (weight 1/distance within WINDOW), then PPMI as CSR rows
const co: Map<number, number>[] = Array.from({ length: V }, () => new Map());
for (const seq of seqs) {
  const ids = Array.from(seq, (h) => index.get(h) ?? -1);
  for (let i = 0; i < ids.length; i++) {
    const a = ids[i]!;
    if (a < 0) continue;
    for (let d = 1; d <= WINDOW && i + d < ids.length; d++) {
      const b = ids[i + d]!;
      if (b < 0) continue;
      co[a]!.set(b, (co[a]!.get(b) ?? 0) + 1 / d);
      co[b]!.set(a, (co[b]!.get(a) ?? 0) + 1 / d);
    }
  }
}
const rowSum = new Float64Array(V);
const colPow = new Float64Array(V);
let total = 0;
co.forEach((m, a) => m.forEach((c, b) => ((rowSum[a]! += c), (colPow[b]! += c), (total += c))));
let colPowSum = 0;
for (let b = 0; b < V; b++) colPowSum += (colPow[b] = colPow[b]! ** 0.75);
const rowStart = new Int32Array(V + 1);
const cols: number[] = [];
const vals: number[] = [];
for (let a = 0; a < V; a++) {
  for (const [b, c] of [...co[a]!.entries()].sort((x, y) => x[0] - y[0])) {
    const pmi = Math.log((c * colPowSum) / (rowSum[a]! * colPow[b]!));
    if (pmi > 0) cols.push(b), vals.push(pmi);
  }
  rowStart[a + 1] = cols.length;
  co[a] = new Map();
}
const colIdx = Int32Array.from(cols);
const values = Float64Array.from(vals);
log(`PPMI: ${values.length} non-zeros`);

// 4. randomized SVD (Halko et al.): Q spans M Ω after power iterations; SVD of the small Q^T M
const L = DIMS + 16;
type Block = Float64Array[]; // L columns of length V
const matMul = (X: Block): Block => {
  // M is symmetric up to the smoothing; M X and M^T X are both approximated by the CSR rows (M X)
  const Y = X.map(() => new Float64Array(V));
  for (let a = 0; a < V; a++) {
    for (let p = rowStart[a]!; p < rowStart[a + 1]!; p++) {
      const b = colIdx[p]!;
      const v = values[p]!;
      for (let j = 0; j < X.length; j++) Y[j]![a]! += v * X[j]![b]!;
    }
  }
  return Y;
};
const orthonormalise = (Y: Block): Block => {
  for (let j = 0; j < Y.length; j++) {
    const y = Y[j]!;
    for (let r = 0; r < 2; r++) {
      for (let i = 0; i < j; i++) {
        const q = Y[i]!;
        let dot = 0;
        for (let k = 0; k < V; k++) dot += q[k]! * y[k]!;
        for (let k = 0; k < V; k++) y[k]! -= dot * q[k]!;
      }
    }
    let n = 0;
    for (let k = 0; k < V; k++) n += y[k]! * y[k]!;
    n = Math.sqrt(n) || 1;
    for (let k = 0; k < V; k++) y[k]! /= n;
  }
  return Y;
};
const rand = mulberry32(SEED);
const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
let Q = orthonormalise(matMul(Array.from({ length: L }, () => Float64Array.from({ length: V }, gauss))));
for (let it = 0; it < 3; it++) Q = orthonormalise(matMul(Q));
// the symmetric PPMI matrix: B = Q^T M Q (L × L), eigen-decomposed by cyclic Jacobi
const MQ = matMul(Q);
const B = Array.from({ length: L }, (_, i) => Float64Array.from({ length: L }, (_, j) => {
  let s = 0;
  for (let k = 0; k < V; k++) s += Q[i]![k]! * MQ[j]![k]!;
  return s;
}));
for (let i = 0; i < L; i++) for (let j = 0; j < i; j++) B[i]![j] = B[j]![i] = (B[i]![j]! + B[j]![i]!) / 2;
const E = Array.from({ length: L }, (_, i) => Float64Array.from({ length: L }, (_, j) => (i === j ? 1 : 0)));
for (let sweep = 0; sweep < 30; sweep++) {
  let off = 0;
  for (let p = 0; p < L; p++) for (let q = p + 1; q < L; q++) off += B[p]![q]! ** 2;
  if (off < 1e-18) break;
  for (let p = 0; p < L; p++) {
    for (let q = p + 1; q < L; q++) {
      const apq = B[p]![q]!;
      if (Math.abs(apq) < 1e-15) continue;
      const theta = (B[q]![q]! - B[p]![p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < L; k++) {
        const bkp = B[k]![p]!;
        const bkq = B[k]![q]!;
        B[k]![p] = c * bkp - s * bkq;
        B[k]![q] = s * bkp + c * bkq;
      }
      for (let k = 0; k < L; k++) {
        const bpk = B[p]![k]!;
        const bqk = B[q]![k]!;
        B[p]![k] = c * bpk - s * bqk;
        B[q]![k] = s * bpk + c * bqk;
      }
      for (let k = 0; k < L; k++) {
        const ekp = E[k]![p]!;
        const ekq = E[k]![q]!;
        E[k]![p] = c * ekp - s * ekq;
        E[k]![q] = s * ekp + c * ekq;
      }
    }
  }
}
const order = Array.from({ length: L }, (_, i) => i).sort((a, b) => Math.abs(B[b]![b]!) - Math.abs(B[a]![a]!) || a - b).slice(0, DIMS);
log(`top eigenvalues ${order.slice(0, 5).map((i) => B[i]![i]!.toFixed(1)).join(', ')} … ${B[order[DIMS - 1]!]![order[DIMS - 1]!]!.toFixed(1)}`);
// word vectors: U √|λ| (eigenvalue weighting 0.5), unit length
const vec = new Float64Array(V * DIMS);
for (let a = 0; a < V; a++) {
  let n = 0;
  for (let d = 0; d < DIMS; d++) {
    const e = order[d]!;
    let u = 0;
    for (let i = 0; i < L; i++) u += Q[i]![a]! * E[i]![e]!;
    const x = u * Math.sqrt(Math.abs(B[e]![e]!));
    vec[a * DIMS + d] = x;
    n += x * x;
  }
  n = Math.sqrt(n) || 1;
  for (let d = 0; d < DIMS; d++) vec[a * DIMS + d]! /= n;
}
log('word vectors done');

// 5. spherical k-means per granularity (seeded: the first centroids are words drawn by frequency rank)
function kmeans(k: number): Uint16Array {
  const r = mulberry32(SEED + k);
  const picks = new Set<number>();
  while (picks.size < k) picks.add(Math.floor(r() * V));
  const C = new Float64Array(k * DIMS);
  [...picks].forEach((w, c) => C.set(vec.subarray(w * DIMS, (w + 1) * DIMS), c * DIMS));
  const assign = new Uint16Array(V);
  for (let it = 0; it < 20; it++) {
    let moved = 0;
    for (let a = 0; a < V; a++) {
      let best = 0;
      let bestDot = -Infinity;
      for (let c = 0; c < k; c++) {
        let dot = 0;
        for (let d = 0; d < DIMS; d++) dot += vec[a * DIMS + d]! * C[c * DIMS + d]!;
        if (dot > bestDot) (bestDot = dot), (best = c);
      }
      if (assign[a] !== best || it === 0) moved++;
      assign[a] = best;
    }
    C.fill(0);
    for (let a = 0; a < V; a++) for (let d = 0; d < DIMS; d++) C[assign[a]! * DIMS + d]! += vec[a * DIMS + d]!;
    for (let c = 0; c < k; c++) {
      let n = 0;
      for (let d = 0; d < DIMS; d++) n += C[c * DIMS + d]! ** 2;
      n = Math.sqrt(n) || 1;
      for (let d = 0; d < DIMS; d++) C[c * DIMS + d]! /= n;
    }
    if (moved === 0) break;
  }
  log(`k-means ${k} done`);
  return assign;
}

// 6. the file, words in ascending hash order
const byHash = Array.from({ length: V }, (_, i) => i).sort((a, b) => vocab[a]! - vocab[b]!);
const clusters: Record<string, string> = {};
for (const k of LEVELS) {
  const assign = kmeans(k);
  const ids = Uint16Array.from(byHash, (a) => assign[a]!);
  clusters[String(k)] = Buffer.from(ids.buffer).toString('base64');
}
const q = new Int8Array(V * DIMS);
byHash.forEach((a, i) => {
  for (let d = 0; d < DIMS; d++) q[i * DIMS + d] = Math.round(vec[a * DIMS + d]! * 127);
});
const file: LexiconFile = {
  format: LEXICON_FORMAT,
  version: 1,
  licence: 'ODC-By 1.0 (derived from Open Terms Archive data)',
  attribution: [
    'Data: Open Terms Archive (https://opentermsarchive.org), ODC-By 1.0.',
    'Platform Governance Archive collection (pga-versions): Open Terms Archive with contributions from the Platform Governance Archive, Lab Platform Governance, Media and Technology (ZeMKI), University of Bremen.',
    'Demo collection (demo-versions): Open Terms Archive.',
    ...(WITH_QUOTES ? ['ToS;DR quotes (tosdr/tosdr.org, January 2021), ToS;DR contributors, CC BY-SA 3.0', 'PrivacySpy quotes (Politiwatch/privacyspy), CC BY 4.0'] : []),
  ],
  build: { script: 'scripts/build-lexicon.ts', bundles: CORPUS_BUNDLES, corpusSentences: corpus.length, labelledQuotes: sentences.length - corpus.length, claudetteSentencesLeftOut: dropped, tokens, vocabulary: V, minCount: MIN_COUNT, window: WINDOW, dims: DIMS, levels: LEVELS, seed: SEED },
  hashes: encodeVarintDeltas(byHash.map((a) => vocab[a]!)),
  clusters,
  dims: WITH_VECTORS ? DIMS : 0,
  vectors: WITH_VECTORS ? Buffer.from(q.buffer).toString('base64') : '',
};
writeFileSync(OUT, gzipSync(JSON.stringify(file) + '\n', { level: 9 }));
log(`wrote ${path.relative(REPO_ROOT, OUT)}`);
