import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadTaxonomy, REPO_ROOT } from '../../src/analyse/taxonomy.ts';
import { loadClaudette, loadPrivacySpy, loadTosdr } from '../../src/analyse/classify/data.ts';
import { chunks, loadPatterns, matchPatterns, parsePatterns } from '../../src/analyse/classify/patterns.ts';
import { DEFAULT_TRAIN, groupFolds, serialiseModel, trainClassifier } from '../../src/analyse/classify/train.ts';
import { classifierFromModel, classify } from '../../src/analyse/classify/index.ts';
import { bestThreshold, compact, fitPlatt, applyPlatt, decision, densify, DEFAULT_SVM, trainLr } from '../../src/analyse/classify/linear.ts';
import { countTerms, DEFAULT_FEATURES, makeExtractor, type SparseVec } from '../../src/analyse/classify/features.ts';
import { decodeVarintDeltas, encodeVarintDeltas } from '../../src/analyse/classify/model.ts';
import { detectLanguage } from '../../src/analyse/classify/language.ts';

const tax = loadTaxonomy();
const patterns = loadPatterns(undefined, new Set(tax.byId.keys()));

function subset() {
  const cl = loadClaudette(tax);
  const docs = [...new Set(cl.map((e) => e.group))].sort().slice(0, 4);
  const td = loadTosdr(tax).filter((e) => e.types.some((t) => ['binding-arbitration', 'governing-law', 'indemnification'].includes(t)));
  return [...cl.filter((e) => docs.includes(e.group)), ...td];
}

test('training is reproducible: the same subset twice gives byte-identical model files', () => {
  const data = subset();
  const opts = { features: { ...DEFAULT_TRAIN.features, bits: 16 }, innerFolds: 2, onlyTypes: ['binding-arbitration', 'governing-law', 'limitation-of-liability', 'indemnification'] };
  const a = serialiseModel(trainClassifier(data, tax, patterns, opts));
  // shuffled input order must not matter either
  const shuffled = [...data].reverse();
  const b = serialiseModel(trainClassifier(shuffled, tax, patterns, opts));
  assert.equal(a, b);
  assert.ok(gzipSync(a).equals(gzipSync(b)));
  const m = JSON.parse(a);
  assert.ok(m.types.length >= 3);
  assert.ok(m.fairness);
  // the small model works end to end
  const c = classifierFromModel(m, tax);
  const [r] = classify(['Any dispute shall be resolved by binding arbitration under the rules of the American Arbitration Association.'], c);
  assert.ok(r!.types.some((t) => t.id === 'binding-arbitration'), JSON.stringify(r));
});

test('group folds keep every group in one fold and are seeded', () => {
  const groups = ['a', 'b', 'c', 'd', 'e', 'a', 'b'];
  const f1 = groupFolds(groups, 3, 1);
  const f2 = groupFolds([...groups].reverse(), 3, 1);
  assert.deepEqual([...f1.entries()].sort(), [...f2.entries()].sort());
  assert.equal(new Set(f1.values()).size, 3);
});

test('Platt scaling and thresholds behave', () => {
  const f = [-2, -1.5, -1, -0.5, 0.2, 0.5, 1, 2];
  const y = [-1, -1, -1, -1, 1, -1, 1, 1];
  const p = fitPlatt(f, y);
  assert.ok(p.a > 0, 'higher decision value → higher probability');
  assert.ok(applyPlatt(p, 2) > applyPlatt(p, -2));
  const probs = f.map((v) => applyPlatt(p, v));
  const t = bestThreshold(probs, y);
  assert.ok(t.f1 > 0.8);
  assert.equal(bestThreshold([0.1, 0.2], [-1, -1]).threshold, 0.5);
});

test('word features: light stemming joins inflections, trigrams add features, char n-grams stay unstemmed', () => {
  const words = (text: string, cfg = DEFAULT_FEATURES) => {
    const ex = makeExtractor(cfg);
    countTerms(ex, text);
    const w = [...ex.wordAcc.touched.slice(0, ex.wordAcc.n)].sort();
    const ch = [...ex.charAcc.touched.slice(0, ex.charAcc.n)].sort();
    ex.wordAcc.clear();
    ex.charAcc.clear();
    return { w, ch };
  };
  assert.ok(DEFAULT_FEATURES.stem && DEFAULT_FEATURES.trigrams);
  for (const [a, b] of [['terminates', 'terminate'], ['policies', 'policy'], ['modified', 'modifi'], ['binding', 'bind']]) {
    assert.deepEqual(words(a!).w, words(b!).w, `${a} ~ ${b}`);
  }
  assert.notDeepEqual(words('terms').ch, words('term').ch);
  assert.notDeepEqual(words('access').w, words('acces').w); // -ss is kept
  const plain = { ...DEFAULT_FEATURES, stem: false, trigrams: false };
  assert.notDeepEqual(words('terminates', plain).w, words('terminate', plain).w);
  assert.equal(words('we may terminate').w.length, 3 + 2 + 1);
  assert.equal(words('we may terminate', plain).w.length, 3 + 2);
});

test('the logistic-regression learner separates a toy problem', () => {
  const xs: SparseVec[] = [];
  const y: number[] = [];
  for (let i = 0; i < 40; i++) {
    const pos = i % 2 === 0;
    xs.push({ idx: Int32Array.from(pos ? [1, 3] : [2, 3]), val: Float32Array.from([1, 0.5]) });
    y.push(pos ? 1 : -1);
  }
  const set = compact(xs, 4);
  const rows = xs.map((_, i) => i);
  const m = trainLr(set, rows, Int8Array.from(y), new Float32Array(40).fill(1), { ...DEFAULT_SVM, C: 1 });
  const W = densify(m, 4);
  xs.forEach((x, i) => assert.equal(Math.sign(decision(W, m.bias, x)), y[i]));
});

test('pattern gates never hide a hit: with and without gates, every labelled text gets the same hits', () => {
  const ungated = { ...patterns, types: patterns.types.map((t) => ({ ...t, gate: null })) };
  const aiSets = ['classify-ai-dev.jsonl', 'classify-ai-dev2.jsonl', 'classify-ai-heldout.jsonl', 'classify-ai-frozen-check.jsonl'].flatMap((f) =>
    readFileSync(path.join(REPO_ROOT, 'test/analyse', f), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text),
  );
  const texts = [...loadClaudette(tax), ...loadTosdr(tax), ...loadPrivacySpy(tax)].map((e) => e.text).concat(aiSets);
  let hits = 0;
  for (const t of texts) {
    const a = matchPatterns(patterns, t);
    assert.deepEqual(a, matchPatterns(ungated, t), t);
    hits += a.length;
  }
  assert.ok(hits > 1000);
});

test('varint delta encoding round-trips', () => {
  const xs = [0, 1, 127, 128, 300, 16384, 524287];
  assert.deepEqual([...decodeVarintDeltas(encodeVarintDeltas(xs))], xs);
  assert.deepEqual([...decodeVarintDeltas(encodeVarintDeltas([]))], []);
});

test('patterns: bad data is refused, chunks are bounded, matching is linear', () => {
  assert.throws(() => parsePatterns('types:\n  x:\n    any: ["("]\n'), /bad regex/);
  assert.throws(() => parsePatterns('types:\n  nope:\n    any: ["a"]\n', new Set(['x'])), /unknown clause type/);
  assert.throws(() => parsePatterns('types:\n  x:\n    any: []\n'), /must not be empty/);
  assert.throws(() => parsePatterns('nothing: 1\n'), /types/);
  const cs = chunks('a'.repeat(10_000) + '. Second sentence.');
  assert.ok(cs.every((c) => c.length <= 1000));
  const t0 = performance.now();
  matchPatterns(patterns, 'aaaa '.repeat(1_000_000));
  assert.ok(performance.now() - t0 < 3000);
  assert.deepEqual(matchPatterns(patterns, ''), []);
});

test('detectLanguage handles edge cases', () => {
  assert.deepEqual(detectLanguage(''), { language: 'und', confidence: 0 });
  assert.equal(detectLanguage('Terms of Service').language, 'en');
  assert.equal(detectLanguage('We may share your information with our partners.').language, 'en');
  assert.equal(detectLanguage('Les données personnelles que vous nous fournissez sont traitées par nous.').language, 'fr');
  assert.equal(detectLanguage(null as unknown as string).language, 'und');
  const big = 'Die Daten werden von uns nicht an Dritte weitergegeben. '.repeat(200_000);
  const t0 = performance.now();
  assert.equal(detectLanguage(big).language, 'de');
  assert.ok(performance.now() - t0 < 500);
});
