// A platform's grade, A–E, from its analysed clauses. The formula is in docs/analysis.md; keep them in step.

import type { AiTrainingFacts } from './types.ts';

export interface ClauseCounts {
  /** Clauses rated high, medium and low severity for users, and clauses that protect users. */
  high: number;
  medium: number;
  low: number;
  positive: number;
}

export interface GradeExtras {
  /** AI-training facts from extractAiTrainingFacts over the platform's documents. */
  aiTraining?: AiTrainingFacts;
  /** Material changes recorded in the last 90 days. */
  recentMaterialChanges?: number;
}

export type Grade = 'A' | 'B' | 'C' | 'D' | 'E';

export interface PlatformGrade {
  grade: Grade;
  /** 0–100, one decimal. */
  score: number;
  /** Every point added or taken away, in the order applied. */
  reasons: string[];
}

export const GRADE_WEIGHTS = {
  high: -10,
  medium: -4,
  low: -1,
  positive: 3,
  positiveCap: 15,
  trainingOnNoOptOut: -12,
  trainingOnWithOptOut: -6,
  trainingNever: 5,
  trainingUnstated: -3,
  recentChange: -1,
  recentChangeCap: -5,
} as const;

/** Lowest score for each grade; below the last, E. */
export const GRADE_THRESHOLDS: [Grade, number][] = [
  ['A', 85],
  ['B', 70],
  ['C', 55],
  ['D', 40],
];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const fmt = (n: number) => (n > 0 ? `+${n}` : `${n}`);

/**
 * Score = 100 − 10·high − 4·medium − 1·low + min(3·positive, 15), then for AI training: −12 if some plan
 * trains by default with no opt-out stated, else −6 if some plan trains by default with an opt-out, +5 if
 * every stated plan is "never", −3 if nothing is stated; then −1 per recent material change (at most −5).
 * Clamped to 0–100, rounded to one decimal. A ≥ 85, B ≥ 70, C ≥ 55, D ≥ 40, else E.
 */
export function gradePlatform(counts: ClauseCounts, extras: GradeExtras = {}): PlatformGrade {
  const w = GRADE_WEIGHTS;
  const reasons: string[] = [];
  let score = 100;
  const add = (points: number, why: string) => {
    if (points === 0) return;
    score += points;
    reasons.push(`${fmt(points)}: ${why}`);
  };
  const n = (x: number) => Math.max(0, Math.floor(Number.isFinite(x) ? x : 0));
  add(n(counts.high) * w.high, `${plural(n(counts.high), 'high-severity clause')}`);
  add(n(counts.medium) * w.medium, `${plural(n(counts.medium), 'medium-severity clause')}`);
  add(n(counts.low) * w.low, `${plural(n(counts.low), 'low-severity clause')}`);
  const bonus = Math.min(n(counts.positive) * w.positive, w.positiveCap);
  add(bonus, `${plural(n(counts.positive), 'user-protective clause')}${n(counts.positive) * w.positive > w.positiveCap ? ` (capped at ${w.positiveCap})` : ''}`);

  const t = extras.aiTraining;
  if (t) {
    const stated = t.plans.filter((p) => p.default !== 'unstated');
    const on = stated.filter((p) => p.default === 'on');
    const noOpt = on.filter((p) => p.optOut !== true);
    if (noOpt.length) add(w.trainingOnNoOptOut, `trains on ${noOpt.map((p) => p.plan).join(', ')} data by default with no opt-out stated`);
    else if (on.length) add(w.trainingOnWithOptOut, `trains on ${on.map((p) => p.plan).join(', ')} data by default (opt-out available)`);
    else if (stated.length && stated.every((p) => p.default === 'never')) add(w.trainingNever, 'promises never to train on customer data');
    else if (!stated.length) add(w.trainingUnstated, 'does not say whether customer data is used for AI training');
  }
  const changes = n(extras.recentMaterialChanges ?? 0);
  add(Math.max(changes * w.recentChange, w.recentChangeCap), `${plural(changes, 'material change')} in the last 90 days`);

  score = Math.round(Math.min(100, Math.max(0, score)) * 10) / 10;
  const grade = GRADE_THRESHOLDS.find(([, min]) => score >= min)?.[0] ?? 'E';
  if (!reasons.length) reasons.push('no clause counts against or for the platform');
  return { grade, score, reasons };
}
