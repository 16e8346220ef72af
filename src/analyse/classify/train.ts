// Training pipeline: labelled examples → model file. One-vs-rest linear SVMs over hashed tf-idf features
// plus pattern-hit features; Platt scaling and F1-optimal thresholds fitted on out-of-fold decision values
// from group folds (documents/services never straddle folds) of the training data only.
// Deterministic: examples are sorted by key, folds come from a seeded shuffle of sorted group names, and
// numbers in the output are rounded, so the same inputs give a byte-identical file.
import { createHash } from 'node:crypto';
import { DEFAULT_FEATURES, fitIdf, vectorise, type FeatureConfig, type SparseVec } from './features.ts';
import { applyPlatt, bestThreshold, compact, decision, densify, DEFAULT_SVM, fitPlatt, mulberry32, shuffle, trainLr, trainSvm, type CompactSet, type LinearModel, type SvmOptions } from './linear.ts';
import { encodeIdf, encodeLinear, MODEL_FORMAT, MODEL_VERSION, type EncodedType, type ModelFile } from './model.ts';
import { matchPatterns, type PatternSet } from './patterns.ts';
import { loadLexicon } from './lexicon.ts';
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
  /** CLAUDETTE types that nevertheless also train on ToS;DR / PrivacySpy rows (exploration). */
  otherSourcesFor?: string[] | 'auto';
  /** Weight of a CLAUDETTE positive by its annotated fairness level (absent: 1). */
  levelWeights?: Record<string, number>;
  /** Range the tuned probability thresholds are clamped to. */
  thresholdRange: [number, number];
  /** The same for the types CLAUDETTE annotates (fully labelled, so low thresholds can be judged; rare types
   * such as privacy_included have their best out-of-fold threshold below 0.15). */
  claudetteThresholdRange: [number, number];
  /** CLAUDETTE types that also take ToS;DR quotes of other cases as negatives (but not its positives). */
  otherNegativesFor?: string[] | 'all';
  /** CLAUDETTE negatives within this many sentences of a positive of the same type (same document) get
   * weight nearPositiveWeight: annotators labelled only the key sentences of a clause (training only). */
  nearWindow: number;
  nearPositiveWeight: number;
  /** Add pattern hits as model features. */
  usePatternFeatures: boolean;
  /** Linear learner: squared-hinge SVM or logistic regression (both dual coordinate descent). */
  learner: 'svm' | 'lr';
  /** NB log-count-ratio feature scaling (Wang & Manning 2012) with this smoothing; 0 = off. Folded into the weights. */
  nbAlpha: number;
  /** Exploration: per type, the C among these with the best out-of-fold F1 (absent: svm.C for all). */
  tuneC?: number[];
  /** Exploration: per type, the positive weight among these with the best out-of-fold F1. */
  tunePosWeight?: number[];
  /** Weight of self-training rows (source 'pseudo'), used only for the types CLAUDETTE annotates. */
  pseudoWeight: number;
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
  otherSourcesFor: ['binding-arbitration', 'privacy-policy-incorporated'],
  usePatternFeatures: true,
  thresholdRange: [0.15, 0.95],
  claudetteThresholdRange: [0.05, 0.95],
  nearWindow: 0,
  nearPositiveWeight: 1,
  learner: 'svm',
  nbAlpha: 0,
  pseudoWeight: 0.5,
};

export const ATTRIBUTION = [
  'CLAUDETTE (Galassi, Lagioia, Jabłonowska, Lippi, "Unfair clause detection in terms of service across multiple languages", Artificial Intelligence and Law 2024; nlp-unibo/Multilingual-Unfair-Clause-Detection), CC BY 4.0',
  'ToS;DR (tosdr/tosdr.org static API snapshot, January 2021), ToS;DR contributors, CC BY-SA 3.0',
  'PrivacySpy (Politiwatch/privacyspy products and rubric), CC BY 4.0',
];

export interface Prepared {
  /** CLAUDETTE label → our type id (for level weights). */
  claudetteLabelType?: Map<string, string>;
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

function rowsFor(p: Prepared, type: string, claudetteTypes: Set<string>, o: TrainOptions, withOthers = false): Rows {
  const rows: number[] = [];
  const y: number[] = [];
  const w: number[] = [];
  const isClaudetteType = claudetteTypes.has(type);
  const near = new Set<string>();
  if (isClaudetteType && o.nearWindow > 0) {
    for (const e of p.examples) {
      if (e.source !== 'claudette' || !e.types.includes(type)) continue;
      for (let d = -o.nearWindow; d <= o.nearWindow; d++) near.add(`${e.group}:${e.sentIdx! + d}`);
    }
  }
  p.examples.forEach((e, i) => {
    const pos = e.types.includes(type);
    if (e.source === 'pseudo') {
      // a pseudo-labelled sentence is a positive of the types it was picked for, a negative of the types
      // it clearly is not; its `labels` list the types it is uncertain about (no row)
      if (isClaudetteType && (pos || !e.labels.includes(type))) rows.push(i), y.push(pos ? 1 : -1), w.push(o.pseudoWeight);
    } else if (e.source === 'claudette') {
      if (isClaudetteType) {
        const lw = pos && o.levelWeights ? Math.max(...e.labels.filter((l) => p.claudetteLabelType?.get(l) === type).map((l) => o.levelWeights![e.levels?.[l] ?? ''] ?? 1), 0) || 1 : 1;
        rows.push(i), y.push(pos ? 1 : -1), w.push(!pos && near.has(`${e.group}:${e.sentIdx}`) ? o.nearPositiveWeight : lw);
      } else if (i % o.unlabelledStride === 0 && !p.hits[i]!.includes(type)) {
        rows.push(i), y.push(-1), w.push(o.unlabelledWeight);
      }
    } else if (isClaudetteType && o.claudetteTypesOnClaudetteOnly && !withOthers) {
      const negs = o.otherNegativesFor;
      if (e.source === 'tosdr' && !pos && (negs === 'all' || negs?.includes(type)) && !p.hits[i]!.includes(type)) rows.push(i), y.push(-1), w.push(1);
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

/** NB log-count ratios per local feature from the given rows (indicator counts, smoothed by alpha). */
function nbRatios(set: CompactSet, rows: readonly number[], y: ArrayLike<number>, alpha: number): Float64Array {
  const d = set.toBucket.length;
  const p = new Float64Array(d).fill(alpha);
  const q = new Float64Array(d).fill(alpha);
  rows.forEach((row, j) => {
    const acc = y[j]! > 0 ? p : q;
    const x = set.xs[row]!;
    for (let k = 0; k < x.idx.length; k++) acc[x.idx[k]!]! += 1;
  });
  let sp = 0;
  let sq = 0;
  for (let k = 0; k < d; k++) (sp += p[k]!), (sq += q[k]!);
  const r = new Float64Array(d);
  for (let k = 0; k < d; k++) r[k] = Math.log(p[k]! / sp / (q[k]! / sq));
  return r;
}

/** Trains one binary linear model with the configured learner (and NB scaling folded into its weights). */
function learn(set: CompactSet, rows: number[], y: Int8Array, w: Float32Array, o: TrainOptions, seed: number): LinearModel {
  const train = o.learner === 'lr' ? trainLr : trainSvm;
  if (!(o.nbAlpha > 0)) return train(set, rows, y, w, { ...o.svm, seed });
  const r = nbRatios(set, rows, y, o.nbAlpha);
  const xs = set.xs.slice();
  for (const row of rows) {
    const x = set.xs[row]!;
    const val = new Float32Array(x.val.length);
    for (let k = 0; k < val.length; k++) val[k] = x.val[k]! * r[x.idx[k]!]!;
    xs[row] = { idx: x.idx, val };
  }
  const m = train({ xs, toBucket: set.toBucket }, rows, y, w, { ...o.svm, seed });
  const local = new Map<number, number>();
  set.toBucket.forEach((b, t) => local.set(b, t));
  const val = Float32Array.from(m.idx, (b, k) => m.val[k]! * r[local.get(b)!]!);
  return { idx: m.idx, val, bias: m.bias };
}

/** Out-of-fold decision values by group folds, then Platt + threshold, then the final model on all rows. */
function fitType(p: Prepared, r: Rows, o: TrainOptions, seed: number, calibrateOn?: (row: number) => boolean, range = o.thresholdRange) {
  const folds = groupFolds(r.rows.map((i) => p.examples[i]!.group), o.innerFolds, seed);
  const oof = new Float64Array(r.rows.length);
  for (let f = 0; f < o.innerFolds; f++) {
    const trainIdx: number[] = [];
    r.rows.forEach((row, j) => {
      if (folds.get(p.examples[row]!.group) !== f) trainIdx.push(j);
    });
    const m = learn(p.set, trainIdx.map((j) => r.rows[j]!), Int8Array.from(trainIdx, (j) => r.y[j]!), Float32Array.from(trainIdx, (j) => r.w[j]!), o, seed);
    const W = densify(m, o.features.bits);
    r.rows.forEach((row, j) => {
      if (folds.get(p.examples[row]!.group) === f) oof[j] = decision(W, m.bias, p.vectors[row]!);
    });
  }
  // calibration and threshold on the rows of the target distribution (CLAUDETTE for its types)
  const cj = calibrateOn ? r.rows.map((row, j) => (calibrateOn(row) ? j : -1)).filter((j) => j >= 0) : null;
  const cOof = cj ? Float64Array.from(cj, (j) => oof[j]!) : oof;
  const cY = cj ? Int8Array.from(cj, (j) => r.y[j]!) : r.y;
  const cW = cj ? Float32Array.from(cj, (j) => r.w[j]!) : r.w;
  const platt = fitPlatt(cOof, cY);
  const probs = Array.from(cOof, (v) => applyPlatt(platt, v));
  const { threshold, f1 } = bestThreshold(probs, cY, cW, range[0], range[1]);
  const model = learn(p.set, r.rows, r.y, r.w, o, seed);
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
  p.claudetteLabelType = new Map(tax.types.flatMap((t) => t.equivalents.claudette.map((l) => [l, t.id] as [string, string])));
  log(`prepared ${p.examples.length} examples, ${p.set.toBucket.length} features`);
  const claudetteTypes = new Set(tax.types.filter((t) => t.equivalents.claudette.length > 0).map((t) => t.id));
  const positives = new Map<string, number>();
  for (const e of p.examples) for (const t of e.types) positives.set(t, (positives.get(t) ?? 0) + 1);
  const wanted = (o.onlyTypes ?? tax.types.map((t) => t.id)).filter((id) => (positives.get(id) ?? 0) >= o.minPositives).sort();
  const types: EncodedType[] = [];
  for (const id of wanted) {
    const isCl = claudetteTypes.has(id);
    const onClaudette = (row: number) => p.examples[row]!.source === 'claudette';
    const range = isCl ? o.claudetteThresholdRange : o.thresholdRange;
    const others = isCl && o.claudetteTypesOnClaudetteOnly ? o.otherSourcesFor : undefined;
    // a CLAUDETTE type listed in otherSourcesFor also trains on ToS;DR / PrivacySpy rows, but is calibrated
    // and thresholded on CLAUDETTE rows only (its target distribution)
    let r = rowsFor(p, id, claudetteTypes, o, Array.isArray(others) && others.includes(id));
    let fit = fitType(p, r, o, typeSeed(o.seed, id), isCl ? onClaudette : undefined, range);
    for (const C of o.tuneC ?? []) {
      const f2 = fitType(p, r, { ...o, svm: { ...o.svm, C } }, typeSeed(o.seed, id), isCl ? onClaudette : undefined, range);
      if (f2.f1 > fit.f1) fit = f2;
    }
    for (const posWeight of o.tunePosWeight ?? []) {
      const f2 = fitType(p, r, { ...o, svm: { ...o.svm, posWeight } }, typeSeed(o.seed, id), isCl ? onClaudette : undefined, range);
      if (f2.f1 > fit.f1) fit = f2;
    }
    if (others === 'auto') {
      // exploration: keep the other sources if they raise the out-of-fold F1 on CLAUDETTE rows
      const r2 = rowsFor(p, id, claudetteTypes, o, true);
      const fit2 = fitType(p, r2, o, typeSeed(o.seed, id), onClaudette, range);
      log(`  ${id}: with other sources oof F1 ${fit2.f1.toFixed(3)} vs CLAUDETTE only ${fit.f1.toFixed(3)}`);
      if (fit2.f1 > fit.f1) (r = r2), (fit = fit2);
    }
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
  // word clusters learned from Open Terms Archive data (ODC-By) keep their attribution in the model too
  const lexicon = o.features.lexicon ? loadLexicon(o.features.lexicon.file) : null;
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    licence: `CC BY-SA 3.0 (trained on ToS;DR data, CC BY-SA 3.0; also CLAUDETTE and PrivacySpy, CC BY 4.0${lexicon ? `; word clusters ${lexicon.licence}` : ''})`,
    attribution: [...ATTRIBUTION, ...(lexicon?.attribution ?? [])],
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
