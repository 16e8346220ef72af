// Prints the classifier's measured quality:
//  1. CLAUDETTE by document folds: train on two folds (plus ToS;DR points from services not in CLAUDETTE,
//     and PrivacySpy), test on the third, rotate. Per-category P/R/F1, macro-F1 per fold and mean.
//  2. ToS;DR top-1 accuracy of the mapped type, group k-fold by service (never a random split).
// Tuning (Platt, thresholds) only ever sees the training side of each rotation.
// Usage: node --import tsx scripts/evaluate-folds.ts [--claudette] [--tosdr] [--folds 5] [--json]
import { loadTaxonomy } from '../src/analyse/taxonomy.ts';
import { loadClaudette, loadPrivacySpy, loadTosdr, type Example } from '../src/analyse/classify/data.ts';
import { loadPatterns } from '../src/analyse/classify/patterns.ts';
import { DEFAULT_TRAIN, groupFolds, trainClassifier, type TrainOptions } from '../src/analyse/classify/train.ts';
import { classifierFromModel, classify, scores } from '../src/analyse/classify/index.ts';
import { scorePredictions } from '../src/analyse/classify/evaluate.ts';
import { selfTrainRows, unlabelledPool, type SelfTrainOptions } from '../src/analyse/classify/self-train.ts';

const args = process.argv.slice(2);
const both = !args.includes('--claudette') && !args.includes('--tosdr');
const asJson = args.includes('--json');
const kIdx = args.indexOf('--folds');
const K = kIdx >= 0 ? Number(args[kIdx + 1]) : 5;
// --opts '{"svm":{"C":1}}': train options to try (exploration); merged over the defaults.
const oIdx = args.indexOf('--opts');
const extra: Partial<TrainOptions> = oIdx >= 0 ? (JSON.parse(args[oIdx + 1]!) as Partial<TrainOptions>) : {};
if (extra.features) extra.features = { ...DEFAULT_TRAIN.features, ...extra.features };
if (extra.svm) extra.svm = { ...DEFAULT_TRAIN.svm, ...extra.svm };
// --self-train '{"perType":50,"minP":0.8,"negatives":500}': exploration of self-training on the unlabelled
// corpus (see selfTrainRows); the pseudo-labels come from a model of the rotation's training folds only.
const sIdx = args.indexOf('--self-train');
const selfTrain = sIdx >= 0 ? (JSON.parse(args[sIdx + 1]!) as SelfTrainOptions) : null;
const tax = loadTaxonomy();
const patterns = loadPatterns(undefined, new Set(tax.byId.keys()));
const claudette = loadClaudette(tax);
const tosdr = loadTosdr(tax);
const pspy = loadPrivacySpy(tax);
const CATS = ['limitation_of_liability', 'unilateral_termination', 'unilateral_change', 'jurisdiction', 'choice_of_law', 'contract_by_using', 'content_removal', 'arbitration', 'privacy_included'];
const catType = new Map(CATS.map((c) => [c, tax.mapLabel(c)[0]!]));
const out: Record<string, unknown> = {};
const log = (s: string) => {
  if (!asJson) console.log(s);
};
const f3 = (x: number) => x.toFixed(3);
const t0 = Date.now();

if (both || args.includes('--claudette')) {
  const opts: Partial<TrainOptions> = { ...extra, onlyTypes: [...catType.values()], skipFairness: true };
  const pool = selfTrain ? unlabelledPool(claudette.map((e) => e.text)) : [];
  if (selfTrain) log(`self-training pool: ${pool.length} corpus sentences`);
  const folds: { fold: number; macroF1: number; innerF1: number; lexglueStyleF1: number; perCategory: Record<string, { precision: number; recall: number; f1: number; support: number }> }[] = [];
  for (let f = 0; f < 3; f++) {
    const train: Example[] = [...claudette.filter((e) => e.fold !== f), ...tosdr.filter((e) => !e.overlapsClaudette), ...pspy];
    const test = claudette.filter((e) => e.fold === f);
    let model = trainClassifier(train, tax, patterns, opts);
    if (selfTrain) {
      const pseudo = selfTrainRows(pool, classifierFromModel(model, tax), [...catType.values()], selfTrain);
      log(`  fold ${f}: ${pseudo.length} pseudo-labelled rows`);
      model = trainClassifier([...train, ...pseudo], tax, patterns, opts);
    }
    // mean out-of-fold F1 inside the training folds: a selection criterion that never sees the test fold
    const innerF1 = model.types.reduce((s, t) => s + t.oofF1, 0) / model.types.length;
    const c = classifierFromModel(model, tax);
    const pred = classify(test.map((e) => e.text), c).map((r) => r.types.map((t) => t.id));
    const res = scorePredictions(test.map((e) => e.types), pred, [...catType.values()]);
    const perCategory = Object.fromEntries(
      CATS.map((cat) => {
        const m = res.perType.find((p) => p.id === catType.get(cat))!;
        return [cat, { precision: m.precision, recall: m.recall, f1: m.f1, support: m.support }];
      }),
    );
    // LexGLUE's UNFAIR-ToS scoring, for comparison only: its 8 categories (no privacy_included) plus a
    // "no label" column (a sentence with none of the 8), macro-averaged over the 9 columns
    const lex = [...catType.values()].filter((id) => id !== catType.get('privacy_included'));
    const none = (ts: string[]) => (ts.some((x) => lex.includes(x)) ? ts : [...ts, '(none)']);
    const lexRes = scorePredictions(test.map((e) => none(e.types)), pred.map(none), [...lex, '(none)']);
    folds.push({ fold: f, macroF1: res.macroF1, innerF1, lexglueStyleF1: lexRes.macroF1, perCategory });
    log(`CLAUDETTE fold ${f}: macro-F1 ${f3(res.macroF1)}, inner out-of-fold ${f3(innerF1)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  log('\nCLAUDETTE, document folds (train on two, test on the third)');
  log('| category | P | R | F1 fold 0 | F1 fold 1 | F1 fold 2 | F1 mean |');
  log('|---|---|---|---|---|---|---|');
  const perCatMean: Record<string, number> = {};
  for (const cat of CATS) {
    const fs = folds.map((x) => x.perCategory[cat]!);
    perCatMean[cat] = mean(fs.map((x) => x.f1));
    log(`| ${cat} | ${f3(mean(fs.map((x) => x.precision)))} | ${f3(mean(fs.map((x) => x.recall)))} | ${fs.map((x) => f3(x.f1)).join(' | ')} | ${f3(perCatMean[cat])} |`);
  }
  const macro = mean(folds.map((x) => x.macroF1));
  log(`| **macro-F1** | | | ${folds.map((x) => f3(x.macroF1)).join(' | ')} | **${f3(macro)}** |`);
  log(`LexGLUE-style macro-F1 (8 categories + "no label" column): ${folds.map((x) => f3(x.lexglueStyleF1)).join(' / ')}, mean ${f3(mean(folds.map((x) => x.lexglueStyleF1)))}`);
  log(`inner out-of-fold macro-F1 (training folds only): ${folds.map((x) => f3(x.innerF1)).join(' / ')}, mean ${f3(mean(folds.map((x) => x.innerF1)))}`);
  out.claudette = { folds, perCategoryMeanF1: perCatMean, macroF1Mean: macro };
}

if (both || args.includes('--tosdr')) {
  const evalPoints = tosdr.filter((e) => e.types.length > 0);
  const folds = groupFolds(tosdr.map((e) => e.group), K, 7);
  let correct = 0;
  let correct3 = 0;
  let n = 0;
  const perFold: { fold: number; top1: number; n: number }[] = [];
  for (let f = 0; f < K; f++) {
    const train = [...claudette, ...pspy, ...tosdr.filter((e) => folds.get(e.group) !== f)];
    const test = evalPoints.filter((e) => folds.get(e.group) === f);
    const c = classifierFromModel(trainClassifier(train, tax, patterns, { ...extra, skipFairness: true, innerFolds: 2 }), tax);
    let ok = 0;
    for (const e of test) {
      const ranked = [...scores(e.text, c).scores.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      if (ranked[0] && e.types.includes(ranked[0][0])) ok++;
      if (ranked.slice(0, 3).some(([id]) => e.types.includes(id))) correct3++;
    }
    correct += ok;
    n += test.length;
    perFold.push({ fold: f, top1: ok / test.length, n: test.length });
    log(`ToS;DR fold ${f}: top-1 ${f3(ok / test.length)} on ${test.length} points (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  log(`\nToS;DR points with a mapped type (${n}), group ${K}-fold by service: top-1 accuracy ${f3(correct / n)}, top-3 ${f3(correct3 / n)}`);
  out.tosdr = { folds: perFold, top1: correct / n, top3: correct3 / n, points: n };
}

if (asJson) console.log(JSON.stringify(out, null, 2));
