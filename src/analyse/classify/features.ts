// Text → hashed sparse feature vector (word uni/bi-grams, word-bounded character n-grams, shape flags and
// named extras such as pattern hits). Hashing keeps vocabulary strings out of the shipped model, and the
// extractor works on char codes in preallocated buffers (no substrings, no Maps) because it runs for every
// provision of every document: it must stay linear in the text length and fast.

import { loadLexicon, lookupWord, type Lexicon } from './lexicon.ts';

export interface FeatureConfig {
  /** log2 of the number of hash buckets. */
  bits: number;
  charMin: number;
  charMax: number;
  /** Relative weight of the character block against the word block (each block is L2-normalised first). */
  charWeight: number;
  /** Weight of each named extra feature (pattern hits, shape flags). */
  extraWeight: number;
  /** Longest text considered, in characters: keeps huge "provisions" bounded. */
  maxChars: number;
  /** Word trigrams too (absent: uni- and bigrams only). */
  trigrams?: boolean;
  /** Light suffix stripping of words before word n-grams are hashed (absent: off). */
  stem?: boolean;
  /** Word lexicon learned from unlabelled text (models/<file>): cluster ids and/or dense sentence vectors. */
  lexicon?: LexiconFeatures;
}

export interface LexiconFeatures {
  /** File name under models/. */
  file: string;
  /** Cluster granularities (numbers of clusters, as in the file) whose ids become features; [] = none. */
  clusterLevels: number[];
  /** Cluster-id bigrams too. */
  clusterBigrams: boolean;
  /** Weight of the L2-normalised cluster block (0 = off). */
  clusterWeight: number;
  /** Weight of the L2-normalised idf-weighted mean word vector (0 = off). */
  denseWeight: number;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  bits: 19,
  charMin: 4,
  charMax: 4,
  charWeight: 1,
  extraWeight: 0.5,
  maxChars: 3000,
  trigrams: true,
  stem: true,
  // 1,024 word clusters from the Open Terms Archive corpus (scripts/build-lexicon.ts --levels 1024 --no-vectors)
  lexicon: { file: 'word-lexicon.json.gz', clusterLevels: [1024], clusterBigrams: true, clusterWeight: 1, denseWeight: 0 },
};

export interface SparseVec {
  idx: Int32Array;
  val: Float32Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashStr(seed: number, s: string): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

const SEED_WORD = hashStr(FNV_OFFSET, 'w:');
const SEED_BIGRAM = hashStr(FNV_OFFSET, 'b:');
const SEED_CHAR = hashStr(FNV_OFFSET, 'c:');
const SEED_TRIGRAM = hashStr(FNV_OFFSET, 't:');

/** Light English suffix stripping on buf[s..e): returns the new end. -ies→y, -es/-s (not -ss), -ing, -ed, -ly.
 * Written without closures: it runs for every word of every provision. */
function stemEnd(buf: Uint16Array, s: number, e: number): number {
  const len = e - s;
  if (len <= 3) return e;
  const c1 = buf[e - 1]!;
  const c2 = buf[e - 2]!;
  const c3 = buf[e - 3]!;
  if (len > 4 && c3 === 105 && c2 === 101 && c1 === 115) {
    buf[e - 3] = 121;
    return e - 2; // -ies → -y
  }
  if (len > 5 && c3 === 105 && c2 === 110 && c1 === 103) return e - 3; // -ing
  if (len > 4 && c2 === 101 && c1 === 100) return e - 2; // -ed
  if (len > 4 && c2 === 108 && c1 === 121) return e - 2; // -ly
  if (c1 === 115 && c2 !== 115 && c2 !== 117 && c2 !== 105) return e - 1; // -s, not -ss/-us/-is
  return e;
}

const SEED_EXTRA = hashStr(FNV_OFFSET, 'x:');

const extraCache = new Map<string, number>();

/** Hash bucket of a named extra feature (pattern hits, shape flags); the few distinct names are cached. */
export function extraFeatureHash(name: string, bits: number): number {
  let h = extraCache.get(name);
  if (h === undefined) {
    h = hashStr(SEED_EXTRA, name);
    if (extraCache.size < 10_000) extraCache.set(name, h);
  }
  return h & ((1 << bits) - 1);
}

/** Maps a UTF-16 code unit to its normalised form, or 0 for a separator. Lowercase, digits → '0', ’ → '. */
function normChar(c: number): number {
  if (c >= 97 && c <= 122) return c;
  if (c >= 65 && c <= 90) return c + 32;
  if (c >= 48 && c <= 57) return 48;
  if (c === 39 || c === 0x2019) return 39;
  if (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) return c >= 0xc0 && c <= 0xde ? c + 32 : c;
  return 0;
}

/** Reusable buffers of one extractor (one per bucket size; classification is single-threaded). */
class Accumulator {
  readonly counts: Float64Array;
  readonly touched: Int32Array;
  n = 0;
  constructor(size: number, cap: number) {
    this.counts = new Float64Array(size);
    this.touched = new Int32Array(cap);
  }
  add(k: number, x: number): void {
    if (this.counts[k] === 0) {
      if (this.n < this.touched.length) this.touched[this.n++] = k;
      else return; // cannot happen with cap sized for maxChars; stay safe rather than grow
    }
    this.counts[k]! += x;
  }
  clear(): void {
    for (let i = 0; i < this.n; i++) this.counts[this.touched[i]!] = 0;
    this.n = 0;
  }
}

export interface Extractor {
  cfg: FeatureConfig;
  wordAcc: Accumulator;
  charAcc: Accumulator;
  outAcc: Accumulator;
  buf: Uint16Array;
  /** Full 32-bit hashes of the (stemmed) words of the last text, in order: the lexicon's keys. */
  words: Uint32Array;
  nWords: number;
  lexicon: Lexicon | null;
  clusterAcc: Accumulator;
  dense: Float64Array;
}

export function makeExtractor(cfg: FeatureConfig): Extractor {
  const size = 1 << cfg.bits;
  const cap = cfg.maxChars * (cfg.charMax - cfg.charMin + 3) + 64;
  const lexicon = cfg.lexicon ? loadLexicon(cfg.lexicon.file) : null;
  return {
    cfg,
    wordAcc: new Accumulator(size, cap),
    charAcc: new Accumulator(size, cap),
    outAcc: new Accumulator(size, 3 * cap + 64 + (lexicon?.dims ?? 0)),
    buf: new Uint16Array(2 * cfg.maxChars + 8),
    words: new Uint32Array(cfg.maxChars + 8),
    nWords: 0,
    lexicon,
    clusterAcc: new Accumulator(size, lexicon ? cap : 1),
    dense: new Float64Array(lexicon?.dims ?? 0),
  };
}

/** Fills ex.wordAcc / ex.charAcc with raw term counts of `text`. Caller clears them. */
export function countTerms(ex: Extractor, text: string): void {
  const { cfg, buf, wordAcc, charAcc } = ex;
  const mask = (1 << cfg.bits) - 1;
  const n = Math.min(text.length, cfg.maxChars);
  ex.nWords = 0;
  let prevWord = 0;
  let prev2 = 0;
  let havePrev = false;
  let havePrev2 = false;
  let i = 0;
  while (i < n) {
    // find next word
    while (i < n && normChar(text.charCodeAt(i)) === 0) i++;
    if (i >= n) break;
    let len = 0;
    buf[len++] = 32;
    while (i < n) {
      const c = normChar(text.charCodeAt(i));
      if (c === 0) break;
      buf[len++] = c;
      i++;
    }
    // strip apostrophes at the edges
    let s = 1;
    let e = len;
    while (s < e && buf[s] === 39) s++;
    while (e > s && buf[e - 1] === 39) e--;
    if (s >= e) continue;
    let hw = SEED_WORD;
    if (cfg.stem) {
      // stem a copy past the word (the char n-grams below read the unstemmed word)
      const off = e - s + 2;
      for (let k = s; k < e; k++) buf[k + off] = buf[k]!;
      const se = stemEnd(buf, s + off, e + off);
      for (let k = s + off; k < se; k++) hw = Math.imul(hw ^ buf[k]!, FNV_PRIME);
    } else {
      for (let k = s; k < e; k++) hw = Math.imul(hw ^ buf[k]!, FNV_PRIME);
    }
    hw >>>= 0;
    ex.words[ex.nWords++] = hw;
    wordAcc.add(hw & mask, 1);
    if (havePrev) wordAcc.add(((Math.imul(prevWord ^ SEED_BIGRAM, FNV_PRIME) ^ hw) >>> 0) & mask, 1);
    if (cfg.trigrams && havePrev2) wordAcc.add(((Math.imul(Math.imul(prev2 ^ SEED_TRIGRAM, FNV_PRIME) ^ prevWord, FNV_PRIME) ^ hw) >>> 0) & mask, 1);
    prev2 = prevWord;
    havePrev2 = havePrev;
    prevWord = hw;
    havePrev = true;
    // character n-grams over " word "
    buf[s - 1] = 32;
    buf[e] = 32;
    const from = s - 1;
    const L = e - s + 2;
    for (let g = cfg.charMin; g <= cfg.charMax && g <= L; g++) {
      for (let st = from; st + g <= from + L; st++) {
        let h = Math.imul(SEED_CHAR ^ g, FNV_PRIME);
        for (let k = st; k < st + g; k++) h = Math.imul(h ^ buf[k]!, FNV_PRIME);
        charAcc.add((h >>> 0) & mask, 1);
      }
    }
  }
}

const SEED_CLUSTER = hashStr(FNV_OFFSET, 'k:');
const SEED_CLUSTER2 = hashStr(FNV_OFFSET, 'K:');
const NO_CLUSTER = 0xffff;

/** Fills ex.clusterAcc with counts of the lexicon cluster ids (and id bigrams) of the words countTerms saw. */
export function countClusters(ex: Extractor): void {
  const lx = ex.lexicon;
  const lc = ex.cfg.lexicon;
  if (!lx || !lc || lc.clusterWeight <= 0) return;
  const mask = (1 << ex.cfg.bits) - 1;
  for (const level of lc.clusterLevels) {
    const ids = lx.clusters.get(level);
    if (!ids) throw new Error(`lexicon has no ${level}-cluster level`);
    const s1 = Math.imul(SEED_CLUSTER ^ level, FNV_PRIME);
    const s2 = Math.imul(SEED_CLUSTER2 ^ level, FNV_PRIME);
    let prev = NO_CLUSTER;
    for (let t = 0; t < ex.nWords; t++) {
      const w = lookupWord(lx, ex.words[t]!);
      const id = w < 0 ? NO_CLUSTER : ids[w]!;
      if (id !== NO_CLUSTER) ex.clusterAcc.add((Math.imul(s1 ^ id, FNV_PRIME) >>> 0) & mask, 1);
      if (lc.clusterBigrams && t > 0 && (id !== NO_CLUSTER || prev !== NO_CLUSTER)) ex.clusterAcc.add((Math.imul(Math.imul(s2 ^ prev, FNV_PRIME) ^ id, FNV_PRIME) >>> 0) & mask, 1);
      prev = id;
    }
  }
}

const denseBuckets = new Map<number, Int32Array>();

/** Bucket of each dense dimension (named extras d:0, d:1, …), per bucket size. */
function denseBucketsFor(dims: number, bits: number): Int32Array {
  const key = dims * 64 + bits;
  let b = denseBuckets.get(key);
  if (!b) denseBuckets.set(key, (b = Int32Array.from({ length: dims }, (_, i) => extraFeatureHash(`d:${i}`, bits))));
  return b;
}

/** The idf-weighted mean of the lexicon vectors of the words countTerms saw, L2-normalised × weight, into out. */
function addDense(ex: Extractor, idf: Float32Array, out: Accumulator, dense: Float64Array): void {
  const lx = ex.lexicon!;
  const weight = ex.cfg.lexicon!.denseWeight;
  const mask = (1 << ex.cfg.bits) - 1;
  const d = lx.dims;
  dense.fill(0);
  let any = false;
  for (let t = 0; t < ex.nWords; t++) {
    const h = ex.words[t]!;
    const w = lookupWord(lx, h);
    if (w < 0) continue;
    const f = idf[h & mask]!;
    const base = w * d;
    for (let k = 0; k < d; k++) dense[k]! += f * lx.vectors[base + k]!;
    any = true;
  }
  if (!any) return;
  let ss = 0;
  for (let k = 0; k < d; k++) ss += dense[k]! * dense[k]!;
  if (ss === 0) return;
  const inv = weight / Math.sqrt(ss);
  const buckets = denseBucketsFor(d, ex.cfg.bits);
  for (let k = 0; k < d; k++) if (dense[k] !== 0) out.add(buckets[k]!, dense[k]! * inv);
}

/** Shape flags that lowercasing loses but that mark legal boilerplate (SHOUTED disclaimers, headings). */
export function shapeFlags(text: string, maxChars: number): string[] {
  const n = Math.min(text.length, maxChars);
  let upper = 0;
  let letters = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      upper++;
      letters++;
    } else if (c >= 97 && c <= 122) letters++;
  }
  const flags: string[] = [];
  if (letters > 20 && upper / letters > 0.6) flags.push('shape:allcaps');
  if (n < 40) flags.push('shape:short');
  else if (n > 400) flags.push('shape:long');
  return flags;
}

/** idf per bucket as a dense array (absent buckets hold `defaultIdf`). */
export interface Vectoriser {
  cfg: FeatureConfig;
  idf: Float32Array;
  defaultIdf: number;
  ex: Extractor;
}

function pushBlock(acc: Accumulator, idf: Float32Array, scale: number, out: Accumulator): void {
  let ss = 0;
  for (let t = 0; t < acc.n; t++) {
    const k = acc.touched[t]!;
    const x = (1 + Math.log(acc.counts[k]!)) * idf[k]!;
    acc.counts[k] = x;
    ss += x * x;
  }
  if (ss === 0) return;
  const inv = scale / Math.sqrt(ss);
  for (let t = 0; t < acc.n; t++) {
    const k = acc.touched[t]!;
    out.add(k, acc.counts[k]! * inv);
  }
}

/** Sublinear tf-idf, word and character blocks each L2-normalised, plus named extras. Indices sorted, unique. */
export function vectorise(text: string, v: Vectoriser, extras: readonly string[] = []): SparseVec {
  const { ex, idf, cfg } = v;
  const out = ex.outAcc;
  ex.wordAcc.clear();
  ex.charAcc.clear();
  out.clear();
  countTerms(ex, text);
  countClusters(ex);
  pushBlock(ex.wordAcc, idf, 1, out);
  pushBlock(ex.charAcc, idf, cfg.charWeight, out);
  if (ex.clusterAcc.n) pushBlock(ex.clusterAcc, idf, cfg.lexicon!.clusterWeight, out);
  if (ex.lexicon && cfg.lexicon!.denseWeight > 0) addDense(ex, idf, out, ex.dense);
  ex.wordAcc.clear();
  ex.charAcc.clear();
  ex.clusterAcc.clear();
  for (const e of shapeFlags(text, cfg.maxChars)) out.add(extraFeatureHash(e, cfg.bits), cfg.extraWeight);
  for (const e of extras) out.add(extraFeatureHash(e, cfg.bits), cfg.extraWeight);
  const idx = out.touched.slice(0, out.n).sort();
  const val = new Float32Array(idx.length);
  for (let i = 0; i < idx.length; i++) val[i] = out.counts[idx[i]!]!;
  out.clear();
  return { idx, val };
}

/** Document frequencies over a corpus → smooth idf, log((N+1)/(df+1)) + 1. */
export function fitIdf(texts: readonly string[], cfg: FeatureConfig): Vectoriser {
  const ex = makeExtractor(cfg);
  const size = 1 << cfg.bits;
  const df = new Float64Array(size);
  for (const t of texts) {
    countTerms(ex, t);
    countClusters(ex);
    for (const acc of [ex.wordAcc, ex.charAcc, ex.clusterAcc]) {
      for (let i = 0; i < acc.n; i++) df[acc.touched[i]!]!++;
      acc.clear();
    }
  }
  const N = texts.length;
  const defaultIdf = Math.log(N + 1) + 1;
  const idf = new Float32Array(size);
  for (let k = 0; k < size; k++) idf[k] = df[k]! > 0 ? Math.log((N + 1) / (df[k]! + 1)) + 1 : defaultIdf;
  return { cfg, idf, defaultIdf, ex };
}
