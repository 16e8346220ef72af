// The database side of clause analysis: what the jobs, the CLI and the web app call. Tables: 020_analysis.sql;
// their meaning: docs/analysis.md, "Storage".
export { analysePending, pendingVersions, defaultAnalyser } from './pending.ts';
export type { AnalyseRunOptions, AnalyseRunSummary } from './pending.ts';
export { analyseCaptured, analyseBatch, analysisEnabled } from './hooks.ts';
export { analyseOne, loadVersionProvisions } from './version.ts';
export type { AnalyseContext, StoredProvision, VersionMeta, VersionOutcome, VersionStatus } from './version.ts';
export { refreshPlatform, refreshStalePlatforms, clauseCounts, GRADE_WINDOW_DAYS, SUMMARY_WINDOW_DAYS } from './platform.ts';
export type { SeverityCounts, StoredAiTraining } from './platform.ts';
export { platformSummary, provisionRecord, versionAnalysis } from './queries.ts';
export type { PlatformSummary, ProvisionRecord, ProvisionTextRecord, VersionAnalysisRecord, ChangeRow } from './queries.ts';
export { logProvisionTexts } from './evidence.ts';
export { clauseAnalyser, documentLanguage, languageName, notAnalysedNote } from './clauses.ts';
export type { ClauseAnalyser, ClauseResult, TypeScore } from './clauses.ts';
export { analyseDocuments, aiTrainingReport } from './document.ts';
export type { DocumentsReport, AnalysedProvision, AiTrainingReport, DocumentText } from './document.ts';
export { documentInput, detectFormat } from './input.ts';
export type { DocumentInput, InputFormat } from './input.ts';
