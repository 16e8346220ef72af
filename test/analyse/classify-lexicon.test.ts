import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { countTerms, DEFAULT_FEATURES, fitIdf, makeExtractor, vectorise, type FeatureConfig } from '../../src/analyse/classify/features.ts';
import { LEXICON_FORMAT, loadLexicon, lookupWord, type LexiconFile } from '../../src/analyse/classify/lexicon.ts';
import { encodeVarintDeltas } from '../../src/analyse/classify/model.ts';
import { REPO_ROOT } from '../../src/analyse/taxonomy.ts';

const { lexicon: _shipped, ...PLAIN } = DEFAULT_FEATURES;

/** The extractor's 32-bit hash of each word of `text` (stemmed as the model stems). */
function wordHashes(text: string): number[] {
  const ex = makeExtractor(PLAIN);
  countTerms(ex, text);
  return Array.from(ex.words.subarray(0, ex.nWords));
}

/** A two-word-cluster lexicon: "arbitration" and "arbitrator" share cluster 1, "court" is cluster 0. */
function writeLexicon(dir: string): string {
  const words = ['arbitration', 'arbitrator', 'court'];
  const cluster = new Map([['arbitration', 1], ['arbitrator', 1], ['court', 0]]);
  const byHash = words.map((w) => ({ w, h: wordHashes(w)[0]! })).sort((a, b) => a.h - b.h);
  const file: LexiconFile = {
    format: LEXICON_FORMAT,
    version: 1,
    licence: 'test',
    attribution: [],
    build: {},
    hashes: encodeVarintDeltas(byHash.map((x) => x.h)),
    clusters: { '2': Buffer.from(Uint16Array.from(byHash, (x) => cluster.get(x.w)!).buffer).toString('base64') },
    dims: 2,
    vectors: Buffer.from(Int8Array.from(byHash.flatMap((x) => (cluster.get(x.w) === 1 ? [127, 0] : [0, 127]))).buffer).toString('base64'),
  };
  const p = path.join(dir, 'lexicon.json.gz');
  writeFileSync(p, gzipSync(JSON.stringify(file)));
  return p;
}

test('a lexicon maps the extractor word hashes (full 32 bits, stemmed) to its words, and nothing else', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-lexicon-test-'));
  try {
    const lx = loadLexicon(writeLexicon(dir));
    assert.equal(lx.size, 3);
    const [arb, courts, other] = wordHashes('arbitration courts elsewhere');
    assert.ok(lookupWord(lx, arb!) >= 0);
    assert.ok(lookupWord(lx, courts!) >= 0, 'courts stems to court');
    assert.equal(lookupWord(lx, other!), -1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cluster features let words of one cluster share a feature; none without a lexicon', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-lexicon-test-'));
  try {
    const cfg: FeatureConfig = { ...PLAIN, lexicon: { file: writeLexicon(dir), clusterLevels: [2], clusterBigrams: false, clusterWeight: 1, denseWeight: 0 } };
    const texts = ['binding arbitration', 'an arbitrator decides', 'the court decides'];
    const vz = fitIdf(texts, cfg);
    const plain = fitIdf(texts, PLAIN);
    const buckets = (t: string, v = vz) => new Set(vectorise(t, v).idx);
    const shared = (a: string, b: string, v = vz) => [...buckets(a, v)].filter((k) => buckets(b, v).has(k)).length;
    // "arbitration" and "arbitrator" have char 4-grams in common anyway; the cluster adds one shared bucket
    assert.equal(shared('arbitration', 'arbitrator'), shared('arbitration', 'arbitrator', plain) + 1);
    assert.equal(shared('arbitration', 'court'), shared('arbitration', 'court', plain));
    assert.deepEqual(vectorise('binding arbitration', vz), vectorise('binding arbitration', vz), 'deterministic');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the shipped lexicon loads, has the configured cluster level, and the shipped model carries its attribution', () => {
  const lx = loadLexicon(DEFAULT_FEATURES.lexicon!.file);
  assert.ok(lx.size > 1000);
  for (const level of DEFAULT_FEATURES.lexicon!.clusterLevels) assert.equal(lx.clusters.get(level)?.length, lx.size);
  assert.ok(lx.attribution.some((a) => a.includes('Open Terms Archive') && a.includes('ODC-By')));
  const model = JSON.parse(gunzipSync(readFileSync(path.join(REPO_ROOT, 'models/clause-classifier.json.gz'))).toString('utf8')) as { attribution: string[]; licence: string; features: FeatureConfig };
  assert.deepEqual(model.features.lexicon, DEFAULT_FEATURES.lexicon);
  assert.ok(model.attribution.some((a) => a.includes('Open Terms Archive')));
  assert.match(model.licence, /ODC-By/);
});
