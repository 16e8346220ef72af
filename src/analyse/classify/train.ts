// Training pipeline: labelled examples → model file. One-vs-rest linear SVMs over hashed tf-idf features
// plus pattern-hit features; Platt scaling and F1-optimal thresholds fitted on out-of-fold decision values
// from group folds (documents/services never straddle folds) of the training data only.
// Deterministic: examples are sorted by key, folds come from a seeded shuffle of sorted group names, and
// numbers in the output are rounded, so the same inputs give a byte-identical file.
import { createHash } from 'node:crypto';
import { DEFAULT_FEATURES, fitIdf, vectorise, type FeatureConfig, type SparseVec } from './features.ts';
import { applyPlatt, bestThreshold, compact, decision, densify, DEFAULT_SVM, fitPlatt, mulberry32, shuffle, trainSvm, type CompactSet, type SvmOptions } from './linear.ts';
import { encodeIdf, encodeLinear, MODEL_FORMAT, MODEL_VERSION, type EncodedType, type ModelFile } from './model.ts';
import { matchPatterns, type PatternSet } from './patterns.ts';
import type { Example } from './data.ts';
import type { Taxonomy } from '../taxonomy.ts';

export interface TrainOptions {
  features: FeatureConfig;
  svm: SvmOptions;
  innerFolds: number;
  /** Weight of ToS;DR quotes as positives (they are short, targeted and from other services). */
  tosdrWeight: number;
  /** Weight of PrivacySpy evidence quotes as positives (long, noisier). */
  privacyspyWeight: number;
  /** Weight of CLAUDETTE sentences as negatives for types CLAUDETTE does not annotate (unlabelled, not negative). */
  unlabelledWeight: number;
  /** Keep one in N CLAUDETTE sentences as unlabelled negatives for non-CLAUDETTE types (speed). */
  unlabelledStride: number;
  minPositives: number;
  topK: number;
  seed: number;
  /** Train only these types (evaluation); default all with enough positives. */
  onlyTypes?: string[];
  /** Train types that CLAUDETTE annotates on CLAUDETTE only: measured, ToS;DR rows lower CLAUDETTE F1
   * (its case titles group clauses differently, e.g. venue and governing law in one case). */
  claudetteTypesOnClaudetteOnly: boolean;
  /** Add pattern hits as model features. */
  usePatternFeatures: boolean;
  /** Skip the fairness models (evaluation). */
  skipFairness?: boolean;
  log?: (msg: string) => void;
}

export const DEFAULT_TRAIN: TrainOptions = {
  features: DEFAULT_FEATURES,
  svm: { ...DEFAULT_SVM, C: 0.5, posWeight: 1.5 },
  innerFolds: 3,
  tosdrWeight: 1,
  privacyspyWeight: 0.5,
  unlabelledWeight: 0.3,
  unlabelledStride: 2,
  minPositives: 8,
  topK: 6000,
  seed: 20240601,
  claudetteTypesOnClaudetteOnly: true,
  usePatternFeatures: true,
};

export const ATTRIBUTION = [
  'CLAUDETTE (Galassi, Lagioia, Jabłonowska, Lippi, "Unfair clause detection in terms of service across multiple languages", Artificial Intelligence and Law 2024; nlp-unibo/Multilingual-Unfair-Clause-Detection), CC BY 4.0',
  'ToS;DR (tosdr/tosdr.org static API snapshot, January 2021), ToS;DR contributors, CC BY-SA 3.0',
  'PrivacySpy (Politiwatch/privacyspy products and rubric), CC BY 4.0',
];

export interface Prepared {
  examples: Example[];
  vectors: SparseVec[];
  set: CompactSet;
  hits: string[][];
  idf: Float32Array;
  defaultIdf: number;
}

/** Pattern hits as feature names; the model learns how much each hit is worth per type. */
export function patternFeatures(hits: readonly string[]): string[] {
  return hits.map((h) => `pat:${h}`);
}

export function prepare(examples: Example[], patterns: PatternSet, cfg: FeatureConfig, usePatternFeatures = true): Prepared {
  const sorted = [...examples].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const vz = fitIdf(sorted.map((e) => e.text), cfg);
  const hits = sorted.map((e) => matchPatterns(patterns, e.text));
  const vectors = sorted.map((e, i) => vectorise(e.text, vz, usePatternFeatures ? patternFeatures(hits[i]!) : []));
  return { examples: sorted, vectors, set: compact(vectors, cfg.bits), hits, idf: vz.idf, defaultIdf: vz.defaultIdf };
}

/** Seeded assignment of groups to k folds, balanced by count of groups. */
export function groupFolds(groups: readonly string[], k: number, seed: number): Map<string, number> {
  const names = [...new Set(groups)].sort();
  shuffle(names, mulberry32(seed));
  return new Map(names.map((g, i) => [g, i % k]));
}

interface Rows {
  rows: number[];
  y: Int8Array;
  w: Float32Array;
}

function rowsFor(p: Prepared, type: string, claudetteTypes: Set<string>, o: TrainOptions): Rows {
  const rows: number[] = [];
  const y: number[] = [];
  const w: number[] = [];
  const isClaudetteType = claudetteTypes.has(type);
  p.examples.forEach((e, i) => {
    const pos = e.types.includes(type);
    if (e.source === 'claudette') {
      if (isClaudetteType) {
        rows.push(i), y.push(pos ? 1 : -1), w.push(1);
      } else if (i % o.unlabelledStride === 0 && !p.hits[i]!.includes(type)) {
        rows.push(i), y.push(-1), w.push(o.unlabelledWeight);
      }
    } else if (isClaudetteType && o.claudetteTypesOnClaudetteOnly) {
      return;
    } else if (e.source === 'tosdr') {
      if (pos) rows.push(i), y.push(1), w.push(o.tosdrWeight);
      else if (!p.hits[i]!.includes(type)) rows.push(i), y.push(-1), w.push(1);
    } else if (pos) {
      rows.push(i), y.push(1), w.push(o.privacyspyWeight);
    }
  });
  return { rows, y: Int8Array.from(y), w: Float32Array.from(w) };
}

/** Out-of-fold decision values by group folds, then Platt + threshold, then the final model on all rows. */
function fitType(p: Prepared, r: Rows, o: TrainOptions, seed: number) {
  const folds = groupFolds(r.rows.map((i) => p.examples[i]!.group), o.innerFolds, seed);
  const oof = new Float64Array(r.rows.length);
  for (let f = 0; f < o.innerFolds; f++) {
    const trainIdx: number[] = [];
    r.rows.forEach((row, j) => {
      if (folds.get(p.examples[row]!.group) !== f) trainIdx.push(j);
    });
    const m = trainSvm(p.set, trainIdx.map((j) => r.rows[j]!), Int8Array.from(trainIdx, (j) => r.y[j]!), Float32Array.from(trainIdx, (j) => r.w[j]!), { ...o.svm, seed });
    const W = densify(m, o.features.bits);
    r.rows.forEach((row, j) => {
      if (folds.get(p.examples[row]!.group) === f) oof[j] = decision(W, m.bias, p.vectors[row]!);
    });
  }
  const platt = fitPlatt(oof, r.y);
  const probs = Array.from(oof, (v) => applyPlatt(platt, v));
  const { threshold, f1 } = bestThreshold(probs, r.y, r.w);
  const model = trainSvm(p.set, r.rows, r.y, r.w, { ...o.svm, seed });
  return { model, platt, threshold, f1 };
}

function typeSeed(seed: number, id: string): number {
  return createHash('sha256').update(`${seed}:${id}`).digest().readUInt32LE(0);
}

const round = (x: number, d = 6) => Math.round(x * 10 ** d) / 10 ** d;

export function trainClassifier(
  examples: Example[],
  tax: Taxonomy,
  patterns: PatternSet,
  opts: Partial<TrainOptions> = {},
  trainedOn: ModelFile['trainedOn'] = [],
): ModelFile {
  const o: TrainOptions = { ...DEFAULT_TRAIN, ...opts };
  const log = o.log ?? (() => {});
  const p = prepare(examples, patterns, o.features, o.usePatternFeatures);
  log(`prepared ${p.examples.length} examples, ${p.set.toBucket.length} features`);
  const claudetteTypes = new Set(tax.types.filter((t) => t.equivalents.claudette.length > 0).map((t) => t.id));
  const positives = new Map<string, number>();
  for (const e of p.examples) for (const t of e.types) positives.set(t, (positives.get(t) ?? 0) + 1);
  const wanted = (o.onlyTypes ?? tax.types.map((t) => t.id)).filter((id) => (positives.get(id) ?? 0) >= o.minPositives).sort();
  const types: EncodedType[] = [];
  for (const id of wanted) {
    const r = rowsFor(p, id, claudetteTypes, o);
    const fit = fitType(p, r, o, typeSeed(o.seed, id));
    types.push({
      id,
      ...encodeLinear(fit.model, o.topK),
      platt: { a: round(fit.platt.a), b: round(fit.platt.b) },
      threshold: round(fit.threshold, 4),
      positives: positives.get(id) ?? 0,
      oofF1: round(fit.f1, 4),
    });
    log(`  ${id}: ${positives.get(id)} positives, ${r.rows.length} rows, threshold ${fit.threshold.toFixed(3)}, oof F1 ${fit.f1.toFixed(3)}`);
  }
  let fairness: ModelFile['fairness'] = null;
  if (!o.skipFairness) {
    const labelled = p.examples.map((e, i) => (e.source === 'claudette' && e.labels.length > 0 ? i : -1)).filter((i) => i >= 0);
    const fair = (level: string) => {
      const r: Rows = {
        rows: labelled,
        y: Int8Array.from(labelled, (i) => (Object.values(p.examples[i]!.levels ?? {}).includes(level) ? 1 : -1)),
        w: new Float32Array(labelled.length).fill(1),
      };
      const fit = fitType(p, r, o, typeSeed(o.seed, `fairness:${level}`));
      return { ...encodeLinear(fit.model, o.topK), platt: { a: round(fit.platt.a), b: round(fit.platt.b) } };
    };
    fairness = { clearlyUnfair: fair('clearly_unfair'), clearlyFair: fair('clearly_fair') };
    log('  fairness models trained');
  }
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    licence: 'CC BY-SA 3.0 (trained on ToS;DR data, CC BY-SA 3.0; also CLAUDETTE and PrivacySpy, CC BY 4.0)',
    attribution: ATTRIBUTION,
    trainedOn,
    patternsSha256: patterns.sha256,
    features: o.features,
    idf: encodeIdf(p.idf, p.defaultIdf),
    types,
    fairness,
  };
}

/** Serialises with a fixed key order (object literal order above) and no whitespace variance. */
export function serialiseModel(m: ModelFile): string {
  return JSON.stringify(m) + '\n';
}
