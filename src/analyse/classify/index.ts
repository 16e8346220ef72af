// Public API of the clause classifier: load the shipped model, score and classify provisions, detect the
// language first, and compute a severity per provision. Pure TypeScript at run time, CPU only.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { REPO_ROOT, loadTaxonomy, type Taxonomy } from '../taxonomy.ts';
import { makeExtractor, vectorise, type Vectoriser } from './features.ts';
import { applyPlatt, type Platt } from './linear.ts';
import { buildIndex, decodeIdf, decodeLinear, MODEL_FORMAT, scoreAll, type InvertedIndex, type ModelFile } from './model.ts';
import { loadPatterns, matchPatterns, type PatternSet } from './patterns.ts';
import { detectLanguage, isAnalysable } from './language.ts';
import { computeSeverity, loadSeverityRules, type SeverityResult, type SeverityRules } from './severity.ts';
import { patternFeatures } from './train.ts';

export { detectLanguage } from './language.ts';
export type { LanguageResult } from './language.ts';
export type { SeverityResult } from './severity.ts';

export const DEFAULT_MODEL_PATH = path.join(REPO_ROOT, 'models/clause-classifier.json.gz');

/**
 * Model types whose out-of-fold F1 on their own training data is below this are scored (scores(), top-1)
 * but never reported by classify(): at that quality most of their positives would be wrong.
 */
export const MIN_REPORTED_OOF_F1 = 0.2;

export interface TypeScore {
  id: string;
  score: number;
}

export interface Classification {
  /** Types at or above their threshold, highest score first. Empty when not analysed. */
  types: TypeScore[];
  language: string;
  /** False when the text is not English (or not prose): no guess is made. */
  analysed: boolean;
  /** True when the text was longer than the classifier reads; only the beginning was classified. */
  truncated?: boolean;
}

export interface Classifier {
  model: ModelFile;
  taxonomy: Taxonomy;
  patterns: PatternSet;
  severityRules: SeverityRules;
  /** Ids scored, in row order of the index. */
  ids: string[];
  thresholds: Float64Array;
  thresholdById: Map<string, number>;
  platts: Platt[];
  vz: Vectoriser;
  index: InvertedIndex;
  fairnessRows: { unfair: number; fair: number; unfairPlatt: Platt; fairPlatt: Platt } | null;
  patternOnly: Map<string, number>;
  patternScore: Map<string, { score: number; override: boolean }>;
  scratch: Float64Array;
  /** Types that CLAUDETTE annotates (the fairness models apply to them). */
  claudetteTyped: Set<string>;
  /** Fairness scores classify() already computed, by text, so severityFor does not score a provision twice. */
  fairnessCache: Map<string, { clearlyUnfair: number; clearlyFair: number }>;
}

const FAIRNESS_CACHE_MAX = 20_000;

export class ModelError extends Error {}

function readModel(file: string): ModelFile {
  let buf = readFileSync(file);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  const m = JSON.parse(buf.toString('utf8')) as ModelFile;
  if (m.format !== MODEL_FORMAT) throw new ModelError(`${file}: not a Clausewatch clause classifier`);
  return m;
}

let defaultClassifier: Classifier | null = null;

/** Loads a model file (gzip or plain JSON); default: the shipped models/clause-classifier.json.gz. */
export function loadClassifier(file: string = DEFAULT_MODEL_PATH, taxonomy: Taxonomy = loadTaxonomy()): Classifier {
  if (file === DEFAULT_MODEL_PATH && defaultClassifier) return defaultClassifier;
  const c = classifierFromModel(readModel(file), taxonomy);
  if (file === DEFAULT_MODEL_PATH) defaultClassifier = c;
  return c;
}

/** Builds a classifier from a model object (e.g. one just trained, for evaluation). */
export function classifierFromModel(model: ModelFile, taxonomy: Taxonomy = loadTaxonomy()): Classifier {
  if (model?.format !== MODEL_FORMAT) throw new ModelError('not a Clausewatch clause classifier');
  const patterns = loadPatterns(undefined, new Set(taxonomy.byId.keys()));
  const bits = model.features.bits;
  const models = model.types.map((t) => decodeLinear(t));
  const ids = model.types.map((t) => t.id);
  for (const id of ids) if (!taxonomy.byId.has(id)) throw new ModelError(`model type ${id} is not in the taxonomy`);
  let fairnessRows: Classifier['fairnessRows'] = null;
  if (model.fairness) {
    models.push(decodeLinear(model.fairness.clearlyUnfair), decodeLinear(model.fairness.clearlyFair));
    fairnessRows = { unfair: ids.length, fair: ids.length + 1, unfairPlatt: model.fairness.clearlyUnfair.platt, fairPlatt: model.fairness.clearlyFair.platt };
  }
  const modelled = new Set(ids);
  const idf = decodeIdf(model.idf, bits);
  const c: Classifier = {
    model,
    taxonomy,
    patterns,
    severityRules: loadSeverityRules(),
    ids,
    thresholds: Float64Array.from(model.types, (t) => t.threshold),
    thresholdById: new Map(
      model.types.map((t) => {
        // an unreliable model type is still reported when an override pattern (which beats the model) hits
        const override = patterns.types.find((p) => p.id === t.id && p.override);
        return [t.id, t.oofF1 >= MIN_REPORTED_OOF_F1 ? t.threshold : (override?.score ?? Infinity)];
      }),
    ),
    platts: model.types.map((t) => t.platt),
    vz: { cfg: model.features, idf, defaultIdf: model.idf.defaultIdf, ex: makeExtractor(model.features) },
    index: buildIndex(models, bits, idf),
    fairnessRows,
    patternOnly: new Map(patterns.types.filter((t) => !modelled.has(t.id)).map((t) => [t.id, t.score])),
    patternScore: new Map(patterns.types.map((t) => [t.id, { score: t.score, override: t.override }])),
    scratch: new Float64Array(models.length),
    claudetteTyped: new Set(taxonomy.types.filter((t) => t.equivalents.claudette.length > 0).map((t) => t.id)),
    fairnessCache: new Map(),
  };
  return c;
}

export interface RawScores {
  /** Calibrated probability per type id (model types, and pattern-only types that hit). */
  scores: Map<string, number>;
  /** Type ids whose patterns matched. */
  patternHits: string[];
  fairness: { clearlyUnfair: number; clearlyFair: number } | null;
}

/** Decision values of all model rows into c.scratch; returns the pattern hits. */
function score(t: string, c: Classifier): string[] {
  const hits = matchPatterns(c.patterns, t);
  const x = vectorise(t, c.vz, patternFeatures(hits));
  scoreAll(c.index, x.idx, x.val, c.scratch);
  return hits;
}

/** Lower-level scoring of one English text: calibrated scores of every type, thresholds not applied. */
export function scores(text: string, c: Classifier = loadClassifier()): RawScores {
  const t = typeof text === 'string' ? text : '';
  const hits = score(t, c);
  const out = new Map<string, number>();
  for (let r = 0; r < c.ids.length; r++) out.set(c.ids[r]!, applyPlatt(c.platts[r]!, c.scratch[r]!));
  for (const h of hits) {
    const ps = c.patternScore.get(h);
    if (ps?.override && out.has(h)) out.set(h, Math.max(out.get(h)!, ps.score));
  }
  for (const h of hits) if (c.patternOnly.has(h)) out.set(h, c.patternOnly.get(h)!);
  const f = c.fairnessRows;
  return {
    scores: out,
    patternHits: hits,
    fairness: f ? { clearlyUnfair: applyPlatt(f.unfairPlatt, c.scratch[f.unfair]!), clearlyFair: applyPlatt(f.fairPlatt, c.scratch[f.fair]!) } : null,
  };
}

/** Threshold of a type: the tuned one for model types, 0.5 for pattern-only types. */
function thresholdOf(c: Classifier, id: string): number {
  return c.thresholdById.get(id) ?? 0.5;
}

export function classifyOne(text: string, c: Classifier = loadClassifier()): Classification {
  const t = typeof text === 'string' ? text : '';
  const lang = detectLanguage(t);
  if (!isAnalysable(lang)) return { types: [], language: lang.language, analysed: false };
  if (t.trim() === '') return { types: [], language: lang.language, analysed: true };
  const hits = score(t, c);
  const types: TypeScore[] = [];
  const push = (id: string, p: number) => types.push({ id, score: Math.round(p * 1e4) / 1e4 });
  // thresholds first, Platt only for candidates: most rows are far below threshold
  for (let r = 0; r < c.ids.length; r++) {
    const id = c.ids[r]!;
    let p = applyPlatt(c.platts[r]!, c.scratch[r]!);
    if (hits.length && hits.includes(id)) {
      const ps = c.patternScore.get(id);
      if (ps?.override) p = Math.max(p, ps.score);
    }
    if (p >= thresholdOf(c, id)) push(id, p);
  }
  for (const h of hits) {
    const ps = c.patternOnly.get(h);
    if (ps !== undefined && ps >= 0.5) push(h, ps);
  }
  types.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  const f = c.fairnessRows;
  if (f && t.length <= 20_000 && types.some((x) => c.claudetteTyped.has(x.id))) {
    // severityFor needs these for the same text next; keep them rather than score the text again
    if (c.fairnessCache.size >= FAIRNESS_CACHE_MAX) c.fairnessCache.clear();
    c.fairnessCache.set(t, { clearlyUnfair: applyPlatt(f.unfairPlatt, c.scratch[f.unfair]!), clearlyFair: applyPlatt(f.fairPlatt, c.scratch[f.fair]!) });
  }
  const res: Classification = { types, language: lang.language, analysed: true };
  if (t.length > c.model.features.maxChars) res.truncated = true;
  return res;
}

/** Classifies provisions: per text, the types above threshold sorted by score (or analysed: false). */
export function classify(texts: readonly string[], c: Classifier = loadClassifier()): Classification[] {
  if (!Array.isArray(texts)) throw new TypeError('classify expects an array of strings');
  return texts.map((t) => classifyOne(t, c));
}

/**
 * Severity of one provision from its types (ids or {id} objects, e.g. from classify) and its wording.
 * Uses the fairness models of the loaded classifier when available.
 */
export function severityFor(text: string, types: readonly (string | { id: string })[], c: Classifier = loadClassifier()): SeverityResult {
  const ids = types.map((t) => (typeof t === 'string' ? t : t.id));
  const t = typeof text === 'string' ? text : '';
  let fairness: { clearlyUnfair: number; clearlyFair: number } | undefined;
  const claudetteTyped = ids.some((id) => c.claudetteTyped.has(id));
  if (claudetteTyped && c.fairnessRows && t.trim()) fairness = c.fairnessCache.get(t) ?? scores(t, c).fairness ?? undefined;
  return computeSeverity(t, ids, c.taxonomy, c.severityRules, fairness);
}
