// Self-training on the unlabelled corpus: a model trained on the labelled rows scores corpus sentences; the
// most confident ones per type become extra training rows (source 'pseudo', weighted by pseudoWeight), and
// the most confidently empty ones extra negatives. Corpus sentences that (nearly) repeat a CLAUDETTE
// sentence are never used: CLAUDETTE's folds are test data and the corpus holds later versions of some of
// the same services' terms.
import { corpusSentences, normaliseSentence } from './corpus.ts';
import { scores, type Classifier } from './index.ts';
import type { Example } from './data.ts';

export interface SelfTrainOptions {
  /** At most this many pseudo-positives per type. */
  perType: number;
  /** …each with a calibrated probability of at least this (and at least the type's threshold). */
  minP: number;
  /** Pseudo-negatives: sentences whose every type scores below negMaxP (most confident first). */
  negatives: number;
  negMaxP?: number;
  /** A pseudo row is not a negative of a type it scores at least this for (default 0.1). */
  unsureP?: number;
}

function shingles(norm: string): string[] {
  const w = norm.split(' ');
  const out: string[] = [];
  for (let i = 0; i + 4 <= w.length; i++) out.push(w.slice(i, i + 4).join(' '));
  return out;
}

/** Corpus sentences sharing no exact text and under half their word 4-grams with the given texts. */
export function unlabelledPool(excludeTexts: readonly string[]): string[] {
  const norms = excludeTexts.map(normaliseSentence);
  const seen = new Set<string>();
  for (const n of norms) for (const s of shingles(n)) seen.add(s);
  const { sentences } = corpusSentences(new Set(norms));
  return sentences.filter((t) => {
    const sh = shingles(normaliseSentence(t));
    return sh.length > 0 && sh.filter((s) => seen.has(s)).length * 2 < sh.length;
  });
}

export function selfTrainRows(pool: readonly string[], c: Classifier, types: readonly string[], o: SelfTrainOptions): Example[] {
  const scored = pool.map((text) => ({ text, s: scores(text, c).scores }));
  const picked = new Map<string, Set<string>>();
  for (const t of types) {
    const th = Math.max(o.minP, c.thresholdById.get(t) ?? 1);
    scored
      .filter((x) => (x.s.get(t) ?? 0) >= th)
      .sort((a, b) => b.s.get(t)! - a.s.get(t)! || (a.text < b.text ? -1 : 1))
      .slice(0, o.perType)
      .forEach((x) => {
        if (!picked.has(x.text)) picked.set(x.text, new Set());
        picked.get(x.text)!.add(t);
      });
  }
  const maxOf = (s: Map<string, number>) => Math.max(0, ...types.map((t) => s.get(t) ?? 0));
  const negs = scored
    .filter((x) => !picked.has(x.text) && maxOf(x.s) < (o.negMaxP ?? 0.02))
    .sort((a, b) => maxOf(a.s) - maxOf(b.s) || (a.text < b.text ? -1 : 1))
    .slice(0, o.negatives);
  const unsure = o.unsureP ?? 0.1;
  const sOf = new Map(scored.map((x) => [x.text, x.s]));
  // corpus sentences no longer know their document: ten arbitrary pseudo-groups spread them over the inner folds
  const row = (text: string, ts: string[]): Example => {
    const s = sOf.get(text)!;
    const labels = types.filter((t) => !ts.includes(t) && (s.get(t) ?? 0) >= unsure);
    return { key: `pseudo:${text}`, source: 'pseudo', text, types: ts.sort(), labels, group: `pseudo:${normaliseSentence(text).length % 10}` };
  };
  return [...[...picked].map(([text, ts]) => row(text, [...ts])), ...negs.map((x) => row(x.text, []))];
}
