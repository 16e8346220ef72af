// Per-platform analysis: AI-training facts over the latest analysed version of every document of the
// platform, counts by severity and the grade. Recomputed when a version of one of its documents is analysed
// (that transaction marks the platform stale; this one clears the mark).
import type { Db, Queryable } from '../../store/db.ts';
import { recordId } from '../../domain/record-id.ts';
import { extractAiTrainingFacts, gradePlatform, type AiTrainingFacts, type PlatformGrade } from '../facts/index.ts';
import type { Severity } from '../taxonomy.ts';
import type { ClauseAnalyser } from './clauses.ts';
import { textForFacts } from './bounds.ts';

export type SeverityCounts = Record<Severity, number>;

/** AI-training facts as stored: every fact cites provision records and the versions they were read in. */
export interface StoredAiTraining {
  plans: (AiTrainingFacts['plans'][number] & { versions: string[] })[];
  optOutSteps: (AiTrainingFacts['optOutSteps'][number] & { versions: string[] })[];
  exceptions: (AiTrainingFacts['exceptions'][number] & { versions: string[] })[];
  /** Documents whose provisions were read (English, analysed). */
  documents: number;
}

/** Material changes (at the source) within this many days count against the grade (docs/analysis.md §4). */
export const GRADE_WINDOW_DAYS = 90;
/** The summary lists material changes within this many days. */
export const SUMMARY_WINDOW_DAYS = 30;

const zero = (): SeverityCounts => ({ high: 0, medium: 0, low: 0, positive: 0 });
const RANK: Record<Severity, number> = { positive: 0, low: 1, medium: 2, high: 3 };

interface CurrentVersion {
  version_id: number;
  document_id: number;
  status: string;
}

/** The latest analysed (not failed) version of each document of the platform. */
export async function currentVersions(q: Queryable, platformId: number): Promise<CurrentVersion[]> {
  const rows = await q.query<CurrentVersion>(
    `SELECT DISTINCT ON (v.document_id) v.id AS version_id, v.document_id, va.status
     FROM versions v JOIN documents d ON d.id = v.document_id JOIN version_analysis va ON va.version_id = v.id
     WHERE d.platform_id = $1 AND va.status <> 'failed'
     ORDER BY v.document_id, v.recorded_at DESC, v.id DESC`,
    [platformId],
  );
  return rows.map((r) => ({ version_id: Number(r.version_id), document_id: Number(r.document_id), status: r.status }));
}

/** Versions of the platform with a material change at the source recorded since `since`. */
export async function materialChangeCount(q: Queryable, platformId: number, since: Date, until: Date): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM version_analysis va JOIN versions v ON v.id = va.version_id JOIN documents d ON d.id = v.document_id
     WHERE d.platform_id = $1 AND va.material AND va.source_change AND v.recorded_at >= $2 AND v.recorded_at <= $3`,
    [platformId, since, until],
  );
  return Number(rows[0]?.n ?? 0);
}

export function daysBefore(d: Date, days: number): Date {
  return new Date(d.getTime() - days * 86_400_000);
}

/**
 * Counts for the grade: each clause type found on the platform counts once, at the worst severity of the
 * provisions it appears in ("positive" for types that protect the user), so a clause repeated across the
 * terms and the privacy policy is not counted twice.
 */
export function clauseCounts(provisions: { severity: Severity | null; type_ids: string[] }[], analyser: ClauseAnalyser): SeverityCounts {
  const worst = new Map<string, Severity>();
  for (const p of provisions) {
    for (const id of p.type_ids) {
      const level: Severity = analyser.polarity(id) === 'protects' ? 'positive' : p.severity && p.severity !== 'positive' ? p.severity : 'low';
      const had = worst.get(id);
      if (!had || RANK[level] > RANK[had]) worst.set(id, level);
    }
  }
  const out = zero();
  for (const level of worst.values()) out[level]++;
  return out;
}

export function gradeOf(counts: SeverityCounts, ai: StoredAiTraining | null, recentMaterialChanges: number): PlatformGrade {
  return gradePlatform(counts, { ...(ai && ai.documents > 0 ? { aiTraining: ai } : {}), recentMaterialChanges });
}

/** Recomputes one platform's facts, counts and grade in one transaction, and clears its stale mark. */
export async function refreshPlatform(db: Db, platformId: number, analyser: ClauseAnalyser, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO platform_analysis (platform_id) VALUES ($1) ON CONFLICT (platform_id) DO NOTHING', [platformId]);
    await tx.query('SELECT platform_id FROM platform_analysis WHERE platform_id = $1 FOR UPDATE', [platformId]);
    const current = await currentVersions(tx, platformId);
    const analysed = current.filter((c) => c.status === 'analysed').map((c) => c.version_id);
    const rows = await tx.query<{ version_id: number; provision_id: number; body: string; section: string[]; kind: string; columns: string[] | null; severity: Severity | null; type_ids: string[] }>(
      `SELECT vp.version_id, vp.provision_id, t.body, t.section, t.kind, t.columns, t.severity, t.type_ids
       FROM version_provisions vp JOIN provision_texts t ON t.id = vp.text_id
       WHERE vp.version_id = ANY($1::int[]) ORDER BY vp.version_id, vp.ordinal`,
      [analysed],
    );
    const versionOf = new Map<string, string>();
    const input = rows.map((r) => {
      const id = recordId('provision', Number(r.provision_id));
      versionOf.set(id, recordId('version', Number(r.version_id)));
      return { id, text: textForFacts(r.body), section: r.section, kind: r.kind, ...(r.columns ? { columns: r.columns } : {}) };
    });
    const facts = input.length ? extractAiTrainingFacts(input) : { plans: [], optOutSteps: [], exceptions: [] };
    const cite = <T extends { evidence: string[] }>(x: T) => ({ ...x, versions: [...new Set(x.evidence.map((e) => versionOf.get(e)!).filter(Boolean))] });
    const ai: StoredAiTraining = { plans: facts.plans.map(cite), optOutSteps: facts.optOutSteps.map(cite), exceptions: facts.exceptions.map(cite), documents: analysed.length };

    const provisionCounts = zero();
    for (const r of rows) if (r.severity) provisionCounts[r.severity]++;
    const clauses = clauseCounts(rows, analyser);
    const grade = gradeOf(clauses, ai, await materialChangeCount(tx, platformId, daysBefore(now, GRADE_WINDOW_DAYS), now));
    await tx.query(
      `UPDATE platform_analysis SET stale = false, version_ids = $2, ai_training = $3, provision_counts = $4, clause_counts = $5,
         grade = $6, score = $7, grade_reasons = $8, computed_at = $9 WHERE platform_id = $1`,
      [platformId, current.map((c) => c.version_id).sort((a, b) => a - b), JSON.stringify(ai), JSON.stringify(provisionCounts), JSON.stringify(clauses),
        grade.grade, grade.score, JSON.stringify(grade.reasons), now],
    );
  });
}

/** Recomputes every platform marked stale (or those given); returns how many. */
export async function refreshStalePlatforms(db: Db, analyser: ClauseAnalyser, platformIds?: number[]): Promise<number> {
  const rows = await db.query<{ platform_id: number }>(
    platformIds ? 'SELECT platform_id FROM platform_analysis WHERE stale AND platform_id = ANY($1::int[]) ORDER BY platform_id' : 'SELECT platform_id FROM platform_analysis WHERE stale ORDER BY platform_id',
    platformIds ? [platformIds] : [],
  );
  for (const r of rows) await refreshPlatform(db, Number(r.platform_id), analyser);
  return rows.length;
}
