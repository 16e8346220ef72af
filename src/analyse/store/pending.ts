// Draining the analysis queue: a version is pending while it has no version_analysis row. Versions are
// analysed per document in recording order (each needs its predecessor's provisions), each in its own
// transaction, then the platforms they belong to are recomputed once. A crash loses at most the version
// in progress; the next drain continues from there.
import type { Db } from '../../store/db.ts';
import { clauseAnalyser, type ClauseAnalyser } from './clauses.ts';
import { refreshStalePlatforms } from './platform.ts';
import { analyseOne, recordFailure, VERSION_SELECT, type AnalyseContext, type VersionMeta, type VersionOutcome } from './version.ts';

export interface AnalyseRunOptions {
  /** Limit to these documents / platforms (default: all). */
  documentIds?: number[];
  platformIds?: number[];
  /** Also retry versions whose analysis failed (automatic runs leave them alone). */
  retryFailed?: boolean;
  /** Discard the stored analyses of the documents in scope and analyse every version again. Provision ids are kept. */
  redo?: boolean;
  analyser?: ClauseAnalyser;
  onVersion?: (o: VersionOutcome, done: number, total: number) => void;
}

export interface AnalyseRunSummary {
  versions: number;
  analysed: number;
  notAnalysed: number;
  empty: number;
  failed: number;
  /** Found done by the time they were reached (another process, or a re-run). */
  skipped: number;
  /** Provision texts that went through the classifier. */
  classified: number;
  platforms: number;
  seconds: number;
  /** Mean wall time per analysed version, storage included. */
  msPerVersion: number;
  failures: { version: number; error: string }[];
}

let shared: ClauseAnalyser | undefined;

/** One classifier per process: its model takes seconds to load. */
export function defaultAnalyser(): ClauseAnalyser {
  shared ??= clauseAnalyser();
  return shared;
}

function scope(opts: AnalyseRunOptions, params: unknown[]): string {
  const parts: string[] = [];
  if (opts.documentIds) {
    params.push(opts.documentIds);
    parts.push(`v.document_id = ANY($${params.length}::int[])`);
  }
  if (opts.platformIds) {
    params.push(opts.platformIds);
    parts.push(`d.platform_id = ANY($${params.length}::int[])`);
  }
  return parts.length ? ` AND ${parts.join(' AND ')}` : '';
}

/** Versions without analysis, per document in recording order. */
export async function pendingVersions(db: Db, opts: AnalyseRunOptions = {}): Promise<VersionMeta[]> {
  const params: unknown[] = [];
  const where = scope(opts, params);
  return db.query<VersionMeta>(
    `${VERSION_SELECT} LEFT JOIN version_analysis va ON va.version_id = v.id
     WHERE va.version_id IS NULL${where} ORDER BY v.document_id, v.id`,
    params,
  );
}

/** Forgets the analyses of the documents in scope (not their provisions or texts, so CW-P- ids survive). */
async function discardAnalyses(db: Db, opts: AnalyseRunOptions, failedOnly: boolean): Promise<void> {
  const params: unknown[] = [];
  const where = scope(opts, params);
  const failed = failedOnly ? ` AND EXISTS (SELECT 1 FROM version_analysis fa WHERE fa.version_id = v.id AND fa.status = 'failed')` : '';
  const docs = (await db.query<{ id: number }>(`SELECT DISTINCT v.document_id AS id FROM versions v JOIN documents d ON d.id = v.document_id WHERE true${where}${failed}`, params)).map((r) => Number(r.id));
  for (const doc of docs) {
    await db.transaction(async (tx) => {
      await tx.query('SELECT id FROM documents WHERE id = $1 FOR UPDATE', [doc]);
      if (failedOnly) {
        await tx.query(`DELETE FROM version_analysis WHERE document_id = $1 AND status = 'failed'`, [doc]);
        return;
      }
      const versions = 'SELECT id FROM versions WHERE document_id = $1';
      await tx.query(`DELETE FROM provision_changes WHERE version_id IN (${versions})`, [doc]);
      await tx.query(`DELETE FROM version_provisions WHERE version_id IN (${versions})`, [doc]);
      await tx.query('DELETE FROM version_analysis WHERE document_id = $1', [doc]);
      await tx.query(
        `UPDATE provisions SET first_version_id = NULL, first_seen = NULL, last_changed_version_id = NULL, last_changed_on = NULL,
           removed_version_id = NULL, removed_on = NULL, current_text_id = NULL WHERE document_id = $1`,
        [doc],
      );
      await tx.query(
        `INSERT INTO platform_analysis (platform_id, stale) SELECT platform_id, true FROM documents WHERE id = $1
         ON CONFLICT (platform_id) DO UPDATE SET stale = true`,
        [doc],
      );
    });
  }
}

/** Analyses every pending version in scope, then recomputes the platforms concerned. */
export async function analysePending(db: Db, opts: AnalyseRunOptions = {}): Promise<AnalyseRunSummary> {
  const started = performance.now();
  const analyser = opts.analyser ?? defaultAnalyser();
  if (opts.redo) await discardAnalyses(db, opts, false);
  else if (opts.retryFailed) await discardAnalyses(db, opts, true);
  const pending = await pendingVersions(db, opts);
  const summary: AnalyseRunSummary = { versions: pending.length, analysed: 0, notAnalysed: 0, empty: 0, failed: 0, skipped: 0, classified: 0, platforms: 0, seconds: 0, msPerVersion: 0, failures: [] };
  const ctx: AnalyseContext = { analyser, reclassify: opts.redo };
  const platforms = new Set<number>();
  let done = 0;
  let ms = 0;
  for (const v of pending) {
    let o: VersionOutcome;
    try {
      o = await analyseOne(db, v, ctx);
    } catch (err) {
      ctx.last = undefined;
      const error = (err as Error).message ?? String(err);
      await recordFailure(db, v, err);
      summary.failures.push({ version: Number(v.id), error });
      o = { versionId: Number(v.id), skipped: false, status: 'failed', summary: error };
    }
    done++;
    platforms.add(Number(v.platform_id));
    if (o.skipped) summary.skipped++;
    else if (o.status === 'analysed') summary.analysed++;
    else if (o.status === 'not-analysed') summary.notAnalysed++;
    else if (o.status === 'empty') summary.empty++;
    else summary.failed++;
    summary.classified += o.classified ?? 0;
    ms += o.ms ?? 0;
    opts.onVersion?.(o, done, pending.length);
  }
  const scoped = opts.documentIds || opts.platformIds ? [...platforms] : undefined;
  summary.platforms = await refreshStalePlatforms(db, analyser, scoped);
  summary.seconds = (performance.now() - started) / 1000;
  const counted = summary.analysed + summary.notAnalysed + summary.empty;
  summary.msPerVersion = counted ? Math.round((ms / counted) * 10) / 10 : 0;
  return summary;
}
