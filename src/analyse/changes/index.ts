export { analyseChange } from './analyse.ts';
export type { Change, ChangeAnalysis, ClassifyFn, AnalyseOptions } from './analyse.ts';
export { cosmeticReason, isDateStamp, dedupeRepeats, REASON_TITLES } from './cosmetic.ts';
export type { CosmeticReason } from './cosmetic.ts';
export { findDates, maskDates, sameDates } from './dates.ts';
export { describeEdit, diffFacts, excerpt } from './summary.ts';
export type { FactDifference } from './summary.ts';
