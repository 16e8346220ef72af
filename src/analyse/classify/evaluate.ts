// Evaluation of the classifier on labelled provisions: per-type precision, recall, F1 and support, with
// micro and macro averages. Gold labels may be our type ids or labels of the shared sets (CLAUDETTE
// categories, ToS;DR case titles, PrivacySpy answers); they are mapped through the taxonomy's equivalents.
import { loadTaxonomy, type Taxonomy } from '../taxonomy.ts';
import { classify, loadClassifier, type Classifier } from './index.ts';

export interface EvalItem {
  text: string;
  labels: string[];
}

export interface TypeMetrics {
  id: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  tp: number;
  fp: number;
  fn: number;
}

export interface EvalReport {
  items: number;
  /** Items the classifier declined (not English). */
  notAnalysed: number;
  /** Types scored: those with gold support, or the `types` option. */
  perType: TypeMetrics[];
  micro: { precision: number; recall: number; f1: number };
  macroF1: number;
  /** Gold labels that map to no type (listed in taxonomy/unmapped.yaml or unknown), with counts. */
  unmappedLabels: Record<string, number>;
}

/** Maps gold labels (type ids, CLAUDETTE categories, ToS;DR case titles, PrivacySpy answers) to our type ids. */
export function mapLabels(labels: readonly string[], tax: Taxonomy = loadTaxonomy()): { types: string[]; unmapped: string[] } {
  const types = new Set<string>();
  const unmapped: string[] = [];
  for (const l of labels) {
    const m = tax.mapLabel(l);
    if (m.length === 0) unmapped.push(l);
    for (const t of m) types.add(t);
  }
  return { types: [...types].sort(), unmapped };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Scores predictions against gold type sets over `typeSet` (default: every type with gold support). */
export function scorePredictions(gold: readonly string[][], predicted: readonly string[][], typeSet?: readonly string[]): Pick<EvalReport, 'perType' | 'micro' | 'macroF1'> {
  const ids = typeSet ? [...typeSet] : [...new Set(gold.flat())];
  ids.sort();
  const perType: TypeMetrics[] = ids.map((id) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gold.forEach((g, i) => {
      const inG = g.includes(id);
      const inP = predicted[i]!.includes(id);
      if (inG && inP) tp++;
      else if (inP) fp++;
      else if (inG) fn++;
    });
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    return { id, precision, recall, f1: ratio(2 * tp, 2 * tp + fp + fn), support: tp + fn, tp, fp, fn };
  });
  const TP = perType.reduce((s, m) => s + m.tp, 0);
  const FP = perType.reduce((s, m) => s + m.fp, 0);
  const FN = perType.reduce((s, m) => s + m.fn, 0);
  return {
    perType,
    micro: { precision: ratio(TP, TP + FP), recall: ratio(TP, TP + FN), f1: ratio(2 * TP, 2 * TP + FP + FN) },
    macroF1: perType.length ? perType.reduce((s, m) => s + m.f1, 0) / perType.length : 0,
  };
}

export interface EvaluateOptions {
  classifier?: Classifier;
  /** Restrict scoring to these type ids (default: types with gold support). */
  types?: string[];
}

/** Classifies `data` and reports per-type and averaged metrics. Items not analysed count as predicting nothing. */
export function evaluate(data: readonly EvalItem[], opts: EvaluateOptions = {}): EvalReport {
  if (!Array.isArray(data)) throw new TypeError('evaluate expects an array of {text, labels}');
  const c = opts.classifier ?? loadClassifier();
  const unmappedLabels: Record<string, number> = {};
  const gold = data.map((d) => {
    const m = mapLabels(Array.isArray(d.labels) ? d.labels : [], c.taxonomy);
    for (const u of m.unmapped) unmappedLabels[u] = (unmappedLabels[u] ?? 0) + 1;
    return m.types;
  });
  const results = classify(data.map((d) => (typeof d.text === 'string' ? d.text : '')), c);
  const predicted = results.map((r) => r.types.map((t) => t.id));
  return {
    items: data.length,
    notAnalysed: results.filter((r) => !r.analysed).length,
    ...scorePredictions(gold, predicted, opts.types),
    unmappedLabels,
  };
}
