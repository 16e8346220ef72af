// Reading stored analyses: a platform's summary, one provision's record and history, one version's
// analysis. Used by the CLI; the web app may use these or read the tables (docs/analysis.md, "Storage").
import type { Queryable } from '../../store/db.ts';
import { recordId } from '../../domain/record-id.ts';
import type { PlatformGrade } from '../facts/index.ts';
import { currentVersions, daysBefore, gradeOf, materialChangeCount, GRADE_WINDOW_DAYS, SUMMARY_WINDOW_DAYS, type SeverityCounts, type StoredAiTraining } from './platform.ts';

export interface ChangeRow {
  provision: string;
  kind: string;
  section: string[];
  types: string[];
  material: boolean;
  cosmeticReason: string | null;
  returned: boolean;
  summary: string;
}

export interface VersionAnalysisRecord {
  version: string;
  status: string;
  language: string;
  note: string | null;
  provisions: number;
  typedProvisions: number;
  previous: string | null;
  reusedFrom: string | null;
  sourceChange: boolean;
  material: boolean | null;
  summary: string;
  aiTrainingDifferences: string[];
  counts: Record<string, number>;
  model: string | null;
  analysedAt: Date;
  changes: ChangeRow[];
}

const ref = (kind: 'version' | 'provision' | 'document' | 'platform', id: unknown) => (id === null || id === undefined ? null : recordId(kind, Number(id)));

async function changesOf(q: Queryable, versionId: number, materialOnly = false): Promise<ChangeRow[]> {
  const rows = await q.query<{ provision_id: number; kind: string; section: string[]; types: string[]; material: boolean; cosmetic_reason: string | null; returned: boolean; summary: string }>(
    `SELECT provision_id, kind, section, types, material, cosmetic_reason, returned, summary FROM provision_changes
     WHERE version_id = $1${materialOnly ? ' AND material' : ''} ORDER BY ordinal`,
    [versionId],
  );
  return rows.map((r) => ({ provision: ref('provision', r.provision_id)!, kind: r.kind, section: r.section, types: r.types, material: r.material, cosmeticReason: r.cosmetic_reason, returned: r.returned, summary: r.summary }));
}

/** One version's analysis with its provision-level changes, or undefined while it is pending. */
export async function versionAnalysis(q: Queryable, versionId: number): Promise<VersionAnalysisRecord | undefined> {
  const r = (await q.query<Record<string, unknown>>('SELECT * FROM version_analysis WHERE version_id = $1', [versionId]))[0];
  if (!r) return undefined;
  return {
    version: recordId('version', versionId),
    status: String(r.status),
    language: String(r.language),
    note: (r.note as string | null) ?? null,
    provisions: Number(r.provision_count),
    typedProvisions: Number(r.typed_count),
    previous: ref('version', r.previous_version_id),
    reusedFrom: ref('version', r.reused_from_version_id),
    sourceChange: Boolean(r.source_change),
    material: (r.material as boolean | null) ?? null,
    summary: String(r.summary),
    aiTrainingDifferences: (r.ai_differences as string[]) ?? [],
    counts: (r.change_counts as Record<string, number>) ?? {},
    model: (r.model as string | null) ?? null,
    analysedAt: r.analysed_at as Date,
    changes: await changesOf(q, versionId),
  };
}

export interface ProvisionRecord {
  record: string;
  document: string;
  documentName: string;
  platform: string;
  lineage: string;
  firstSeen: { version: string | null; at: Date | null };
  lastChanged: { version: string | null; at: Date | null };
  removed: { version: string | null; at: Date | null };
  current: ProvisionTextRecord | null;
  texts: ProvisionTextRecord[];
  history: { version: string; recordedAt: Date; kind: string; material: boolean; cosmeticReason: string | null; returned: boolean; sourceChange: boolean; summary: string }[];
}

export interface ProvisionTextRecord {
  sha256: string;
  section: string[];
  kind: string;
  text: string;
  language: string;
  analysed: boolean;
  types: { id: string; score: number }[];
  severity: string | null;
  severityReasons: string[];
  firstVersion: string;
  /** Every version holding this text, oldest first. */
  versions: string[];
}

/** A provision (CW-P-…): its identity, state, every distinct text with the versions holding it, and its changes. */
export async function provisionRecord(q: Queryable, provisionId: number): Promise<ProvisionRecord | undefined> {
  const p = (await q.query<Record<string, unknown>>(
    `SELECT p.*, d.name AS document_name, pl.slug AS platform FROM provisions p JOIN documents d ON d.id = p.document_id
     JOIN platforms pl ON pl.id = d.platform_id WHERE p.id = $1`,
    [provisionId],
  ))[0];
  if (!p) return undefined;
  const texts = await q.query<Record<string, unknown>>(
    `SELECT t.*, (SELECT array_agg(vp.version_id ORDER BY vp.version_id) FROM version_provisions vp WHERE vp.text_id = t.id) AS versions
     FROM provision_texts t WHERE t.provision_id = $1 ORDER BY t.id`,
    [provisionId],
  );
  const asText = (t: Record<string, unknown>): ProvisionTextRecord => ({
    sha256: String(t.text_sha256),
    section: t.section as string[],
    kind: String(t.kind),
    text: String(t.body),
    language: String(t.language),
    analysed: Boolean(t.analysed),
    types: (t.types as { id: string; score: number }[]) ?? [],
    severity: (t.severity as string | null) ?? null,
    severityReasons: (t.severity_reasons as string[]) ?? [],
    firstVersion: recordId('version', Number(t.first_version_id)),
    versions: ((t.versions as number[] | null) ?? []).map((v) => recordId('version', Number(v))),
  });
  const history = await q.query<{ version_id: number; recorded_at: Date; kind: string; material: boolean; cosmetic_reason: string | null; returned: boolean; source_change: boolean; summary: string }>(
    `SELECT c.version_id, v.recorded_at, c.kind, c.material, c.cosmetic_reason, c.returned, va.source_change, c.summary
     FROM provision_changes c JOIN versions v ON v.id = c.version_id JOIN version_analysis va ON va.version_id = c.version_id
     WHERE c.provision_id = $1 ORDER BY v.recorded_at, c.version_id`,
    [provisionId],
  );
  const all = texts.map(asText);
  const current = texts.find((t) => Number(t.id) === Number(p.current_text_id));
  return {
    record: recordId('provision', provisionId),
    document: recordId('document', Number(p.document_id)),
    documentName: String(p.document_name),
    platform: String(p.platform),
    lineage: String(p.lineage),
    firstSeen: { version: ref('version', p.first_version_id), at: (p.first_seen as Date | null) ?? null },
    lastChanged: { version: ref('version', p.last_changed_version_id), at: (p.last_changed_on as Date | null) ?? null },
    removed: { version: ref('version', p.removed_version_id), at: (p.removed_on as Date | null) ?? null },
    current: current ? asText(current) : null,
    texts: all,
    history: history.map((h) => ({ version: recordId('version', Number(h.version_id)), recordedAt: h.recorded_at, kind: h.kind, material: h.material, cosmeticReason: h.cosmetic_reason, returned: h.returned, sourceChange: h.source_change, summary: h.summary })),
  };
}

export interface PlatformSummary {
  platform: { record: string; slug: string; name: string };
  /** True while a version analysed since the last recomputation is not reflected yet. */
  stale: boolean;
  computedAt: Date | null;
  asOf: Date;
  documents: { document: string; name: string; type: string; version: string | null; recordedAt: Date | null; status: string; language: string | null; note: string | null; provisions: number }[];
  /** Provisions of the current versions, by severity (provisions without a clause type have none). */
  provisionCounts: SeverityCounts;
  /** Clause types found, each at its worst severity: the counts the grade uses. */
  clauseCounts: SeverityCounts;
  grade: PlatformGrade | null;
  aiTraining: StoredAiTraining | null;
  /** Versions with a material change at the source in the SUMMARY_WINDOW_DAYS before asOf, newest first. */
  recentChanges: { version: string; document: string; recordedAt: Date; summary: string; changes: ChangeRow[] }[];
  windowDays: number;
}

/** A platform's summary as of a date (default now): the grade's recent-change term is counted at that date. */
export async function platformSummary(q: Queryable, platformId: number, asOf = new Date()): Promise<PlatformSummary | undefined> {
  const pl = (await q.query<{ id: number; slug: string; name: string }>('SELECT id, slug, name FROM platforms WHERE id = $1', [platformId]))[0];
  if (!pl) return undefined;
  const pa = (await q.query<Record<string, unknown>>('SELECT * FROM platform_analysis WHERE platform_id = $1', [platformId]))[0];
  const current = new Map((await currentVersions(q, platformId)).map((c) => [c.document_id, c]));
  const docs = await q.query<{ id: number; name: string; type: string }>('SELECT id, name, type FROM documents WHERE platform_id = $1 ORDER BY key', [platformId]);
  const documents: PlatformSummary['documents'] = [];
  for (const d of docs) {
    const c = current.get(Number(d.id));
    const va = c
      ? (await q.query<{ language: string; note: string | null; provision_count: number; recorded_at: Date }>(
          'SELECT va.language, va.note, va.provision_count, v.recorded_at FROM version_analysis va JOIN versions v ON v.id = va.version_id WHERE va.version_id = $1',
          [c.version_id],
        ))[0]
      : undefined;
    const pendingCount = Number(
      (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM versions v LEFT JOIN version_analysis va ON va.version_id = v.id WHERE v.document_id = $1 AND va.version_id IS NULL', [d.id]))[0]?.n ?? 0,
    );
    documents.push({
      document: recordId('document', Number(d.id)),
      name: d.name,
      type: d.type,
      version: c ? recordId('version', c.version_id) : null,
      recordedAt: va?.recorded_at ?? null,
      status: c ? c.status : pendingCount ? 'pending' : 'no versions',
      language: va?.language ?? null,
      note: va?.note ?? (pendingCount ? `${pendingCount} versions not analysed yet` : null),
      provisions: Number(va?.provision_count ?? 0),
    });
  }
  const changes = await q.query<{ version_id: number; document_id: number; recorded_at: Date; summary: string }>(
    `SELECT va.version_id, v.document_id, v.recorded_at, va.summary FROM version_analysis va JOIN versions v ON v.id = va.version_id
     JOIN documents d ON d.id = v.document_id
     WHERE d.platform_id = $1 AND va.material AND va.source_change AND v.recorded_at >= $2 AND v.recorded_at <= $3
     ORDER BY v.recorded_at DESC, v.id DESC`,
    [platformId, daysBefore(asOf, SUMMARY_WINDOW_DAYS), asOf],
  );
  const recentChanges: PlatformSummary['recentChanges'] = [];
  for (const c of changes) {
    recentChanges.push({ version: recordId('version', Number(c.version_id)), document: recordId('document', Number(c.document_id)), recordedAt: c.recorded_at, summary: c.summary, changes: await changesOf(q, Number(c.version_id), true) });
  }
  const ai = (pa?.ai_training as StoredAiTraining | null) ?? null;
  const clauses = (pa?.clause_counts as SeverityCounts | null) ?? { high: 0, medium: 0, low: 0, positive: 0 };
  const grade = pa?.computed_at ? gradeOf(clauses, ai, await materialChangeCount(q, platformId, daysBefore(asOf, GRADE_WINDOW_DAYS), asOf)) : null;
  return {
    platform: { record: recordId('platform', Number(pl.id)), slug: pl.slug, name: pl.name },
    stale: pa ? Boolean(pa.stale) : false,
    computedAt: (pa?.computed_at as Date | null) ?? null,
    asOf,
    documents,
    provisionCounts: (pa?.provision_counts as SeverityCounts | null) ?? { high: 0, medium: 0, low: 0, positive: 0 },
    clauseCounts: clauses,
    grade,
    aiTraining: ai,
    recentChanges,
    windowDays: SUMMARY_WINDOW_DAYS,
  };
}
