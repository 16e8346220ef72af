// A word lexicon learned from unlabelled in-domain text (scripts/build-lexicon.ts): for each frequent word,
// keyed by the same 32-bit hash the feature extractor computes for it, cluster ids at a few granularities
// and an int8 word vector. Rare paraphrases of a clause then share features with the wording the labelled
// data happens to use. Loaded once per file and process; lookups are an open-addressing probe, no strings.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { REPO_ROOT } from '../taxonomy.ts';
import { decodeVarintDeltas } from './model.ts';

export const LEXICON_FORMAT = 'clausewatch-word-lexicon';

export interface LexiconFile {
  format: typeof LEXICON_FORMAT;
  version: number;
  licence: string;
  attribution: string[];
  /** How it was built (corpus counts, parameters): provenance, not read at run time. */
  build: Record<string, unknown>;
  /** varint deltas of the ascending word hashes, base64 */
  hashes: string;
  /** per granularity (number of clusters): uint16 cluster id per word, in hash order, base64 */
  clusters: Record<string, string>;
  dims: number;
  /** int8 word vectors (row-major, words × dims), base64; value = q / 127 of a unit vector */
  vectors: string;
}

export interface Lexicon {
  /** The file's licence and attribution, carried into any model trained with it. */
  licence: string;
  attribution: string[];
  size: number;
  dims: number;
  /** open-addressing table: slot → word hash, and slot → word index + 1 (0 = empty) */
  keys: Uint32Array;
  slots: Int32Array;
  mask: number;
  clusters: Map<number, Uint16Array>;
  vectors: Int8Array;
}

export function lexiconFromFile(f: LexiconFile): Lexicon {
  if (f?.format !== LEXICON_FORMAT) throw new Error('not a Clausewatch word lexicon');
  const hashes = decodeVarintDeltas(f.hashes);
  const size = hashes.length;
  let cap = 1;
  while (cap < 2 * size) cap <<= 1;
  const keys = new Uint32Array(cap);
  const slots = new Int32Array(cap);
  const mask = cap - 1;
  for (let i = 0; i < size; i++) {
    const h = hashes[i]! >>> 0;
    let s = h & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    keys[s] = h;
    slots[s] = i + 1;
  }
  const clusters = new Map<number, Uint16Array>();
  for (const [k, b64] of Object.entries(f.clusters)) {
    const buf = Buffer.from(b64, 'base64');
    clusters.set(Number(k), new Uint16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length)));
  }
  const vb = Buffer.from(f.vectors, 'base64');
  return { licence: f.licence, attribution: f.attribution, size, dims: f.dims, keys, slots, mask, clusters, vectors: new Int8Array(vb.buffer.slice(vb.byteOffset, vb.byteOffset + vb.length)) };
}

/** Word index of a 32-bit word hash, or -1. */
export function lookupWord(lx: Lexicon, h: number): number {
  let s = h & lx.mask;
  for (;;) {
    const v = lx.slots[s]!;
    if (v === 0) return -1;
    if (lx.keys[s] === h) return v - 1;
    s = (s + 1) & lx.mask;
  }
}

const cache = new Map<string, Lexicon>();

/** Loads models/<file> (gzip or plain JSON), cached per process. */
export function loadLexicon(file: string): Lexicon {
  let lx = cache.get(file);
  if (!lx) {
    let buf = readFileSync(path.isAbsolute(file) ? file : path.join(REPO_ROOT, 'models', file));
    if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
    lx = lexiconFromFile(JSON.parse(buf.toString('utf8')) as LexiconFile);
    cache.set(file, lx);
  }
  return lx;
}
