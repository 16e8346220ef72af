// Read model of a provision record (CW-P-…): the provision, its current text with clause types and
// severity, its document and platform, the version it was last read in, its history of changes, and the
// platform's AI-training facts. What src/analyse/store wrote; nothing is classified here.
import { prepared, type Queryable } from '../../store/db.ts';
import { jsonRows, jsonRowsPrepared } from './json-rows.ts';
import type { SeverityName } from './prevalence.ts';
import type { StoredAiTraining } from '../../analyse/store/platform.ts';

export interface ProvisionRow {
  id: number;
  document_id: number;
  document_key: string;
  document_name: string;
  document_type: string;
  platform_id: number;
  platform_slug: string;
  platform_name: string;
  first_version_id: number | null;
  first_seen: Date | null;
  last_changed_version_id: number | null;
  last_changed_on: Date | null;
  removed_version_id: number | null;
  removed_on: Date | null;
  text_id: number;
  body: string;
  section: string[];
  kind: string;
  text_sha256: string;
  types: { id: string; score: number }[];
  severity: SeverityName | null;
  severity_reasons: string[];
  model: string | null;
  language: string;
  analysed: boolean;
  classified_at: Date;
  /** The latest version holding the current text, and its recorded time and text hash. */
  version_id: number;
  version_recorded_at: Date;
  version_sha256: string;
  /** The document's latest version (the provision may have been removed since). */
  document_version_id: number | null;
}

const DATES = ['first_seen', 'last_changed_on', 'removed_on', 'classified_at', 'version_recorded_at'];

const PROVISION_SQL = `SELECT p.id, p.document_id, d.key AS document_key, d.name AS document_name, d.type AS document_type,
       pl.id AS platform_id, pl.slug AS platform_slug, pl.name AS platform_name,
       p.first_version_id, p.first_seen, p.last_changed_version_id, p.last_changed_on, p.removed_version_id, p.removed_on,
       t.id AS text_id, t.body, t.section, t.kind, t.text_sha256, t.types, t.severity, t.severity_reasons, t.model, t.language, t.analysed, t.classified_at,
       v.id AS version_id, v.recorded_at AS version_recorded_at, v.text_sha256 AS version_sha256,
       (SELECT max(dv.id) FROM versions dv WHERE dv.document_id = p.document_id) AS document_version_id
     FROM provisions p JOIN provision_texts t ON t.id = p.current_text_id
     JOIN documents d ON d.id = p.document_id JOIN platforms pl ON pl.id = d.platform_id
     JOIN LATERAL (SELECT vp.version_id FROM version_provisions vp WHERE vp.text_id = t.id ORDER BY vp.version_id DESC LIMIT 1) lv ON true
     JOIN versions v ON v.id = lv.version_id
     WHERE p.id = $1`;

export async function provisionById(q: Queryable, id: number): Promise<ProvisionRow | undefined> {
  const rows = await jsonRows<ProvisionRow>(q, PROVISION_SQL, [id], DATES);
  return rows[0];
}

function parseDates(row: Record<string, unknown>, dates: readonly string[]): void {
  for (const k of dates) {
    const v = row[k];
    if (typeof v === 'string') row[k] = new Date(v);
  }
}

/** The evidence-log leaf of a provision's current text (its hash as hex), without the leaf's data. */
export interface ProvisionLeaf {
  index: number;
  leafHash: string;
  loggedAt: Date;
}

/** The latest signed checkpoint's facts a page shows. */
export interface CheckpointHead {
  id: number;
  size: number;
  root: Buffer;
  signedAt: Date;
}

export interface ProvisionPageRows {
  p: ProvisionRow;
  history: ProvisionChange[];
  leaf?: ProvisionLeaf;
  checkpoint?: CheckpointHead;
}

/**
 * Everything a provision page reads that is its own (the provision, its history, its evidence-log leaf)
 * and the latest checkpoint, in ONE round trip: on the embedded database each query costs ~0.6 ms of
 * overhead whatever it does, more than these index lookups themselves. Same rows as provisionById,
 * provisionHistory, leafOf and latestCheckpoint.
 */
export async function provisionPageRows(q: Queryable, id: number): Promise<ProvisionPageRows | undefined> {
  const r = await prepared<{ j: string }>(
    q,
    'web_provision_page',
    `SELECT json_build_object(
       'p', (SELECT row_to_json(x) FROM (${PROVISION_SQL}) x),
       'history', (SELECT coalesce(json_agg(h), '[]') FROM (${HISTORY_SQL}) h),
       'leaf', (SELECT json_build_object('index', e.leaf_index, 'leafHash', encode(e.leaf_hash, 'hex'), 'loggedAt', e.logged_at)
                FROM provisions lp JOIN evidence_leaves e ON e.kind = 'provision' AND e.record_id = lp.current_text_id WHERE lp.id = $1),
       'checkpoint', (SELECT json_build_object('id', c.id, 'size', c.tree_size, 'root', encode(c.root, 'hex'), 'signedAt', c.signed_at)
                      FROM evidence_checkpoints c ORDER BY c.tree_size DESC, c.id DESC LIMIT 1)
     )::text AS j`,
    [id],
  );
  const o = JSON.parse(r[0]!.j) as { p: Record<string, unknown> | null; history: Record<string, unknown>[]; leaf: Record<string, unknown> | null; checkpoint: Record<string, unknown> | null };
  if (!o.p) return undefined;
  parseDates(o.p, DATES);
  for (const h of o.history) parseDates(h, ['recorded_at']);
  const out: ProvisionPageRows = { p: o.p as unknown as ProvisionRow, history: o.history as unknown as ProvisionChange[] };
  if (o.leaf) out.leaf = { index: Number(o.leaf.index), leafHash: String(o.leaf.leafHash), loggedAt: new Date(String(o.leaf.loggedAt)) };
  if (o.checkpoint) {
    const c = o.checkpoint;
    out.checkpoint = { id: Number(c.id), size: Number(c.size), root: Buffer.from(String(c.root), 'hex'), signedAt: new Date(String(c.signedAt)) };
  }
  return out;
}

export interface ProvisionChange {
  version_id: number;
  previous_version_id: number | null;
  recorded_at: Date;
  kind: 'added' | 'removed' | 'modified';
  material: boolean;
  cosmetic_reason: string | null;
  returned: boolean;
  source_change: boolean;
  summary: string;
}

const HISTORY_SQL = `SELECT c.version_id, va.previous_version_id, v.recorded_at, c.kind, c.material, c.cosmetic_reason, c.returned, va.source_change, c.summary
     FROM provision_changes c JOIN versions v ON v.id = c.version_id JOIN version_analysis va ON va.version_id = c.version_id
     WHERE c.provision_id = $1 ORDER BY v.recorded_at DESC, c.version_id DESC`;

/** A provision's changes, newest first. */
export async function provisionHistory(q: Queryable, id: number): Promise<ProvisionChange[]> {
  return jsonRows<ProvisionChange>(q, HISTORY_SQL, [id], ['recorded_at']);
}

export interface PlatformAnalysisRow {
  platform_id: number;
  stale: boolean;
  ai_training: StoredAiTraining | null;
  provision_counts: Record<SeverityName, number> | null;
  clause_counts: Record<SeverityName, number> | null;
  grade: string | null;
  score: number | null;
  grade_reasons: string[] | null;
  computed_at: Date | null;
  /** Versions with a material change at the source in the last 30 days. */
  material_30d: number;
}

export async function platformAnalysis(q: Queryable, platformId: number, now = new Date()): Promise<PlatformAnalysisRow | undefined> {
  const since = new Date(now.getTime() - 30 * 86_400_000);
  // Prepared (planned once; integer parameters, so the time as epoch milliseconds).
  const rows = await jsonRowsPrepared<PlatformAnalysisRow>(
    q,
    'web_platform_analysis',
    `SELECT pa.platform_id, pa.stale, pa.ai_training, pa.provision_counts, pa.clause_counts, pa.grade, pa.score, pa.grade_reasons, pa.computed_at,
       (SELECT count(*)::int FROM version_analysis va JOIN versions v ON v.id = va.version_id JOIN documents d ON d.id = v.document_id
        WHERE d.platform_id = pa.platform_id AND va.material AND va.source_change AND v.recorded_at >= to_timestamp($2::bigint / 1000.0)) AS material_30d
     FROM platform_analysis pa WHERE pa.platform_id = $1`,
    [platformId, since.getTime()],
    ['computed_at'],
  );
  return rows[0];
}

export interface ProvisionExcerpt {
  id: number;
  excerpt: string;
  section: string[];
  document_name: string;
  severity: SeverityName | null;
}

/** Short excerpts of several provisions (for "how other platforms handle it"). */
export async function provisionExcerpts(q: Queryable, ids: number[], chars = 320): Promise<Map<number, ProvisionExcerpt>> {
  if (!ids.length) return new Map();
  const rows = await jsonRows<ProvisionExcerpt>(
    q,
    `SELECT p.id, left(t.body, $2) AS excerpt, t.section, d.name AS document_name, t.severity
     FROM provisions p JOIN provision_texts t ON t.id = p.current_text_id JOIN documents d ON d.id = p.document_id
     WHERE p.id = ANY($1::int[])`,
    [ids, chars + 1],
  );
  return new Map(rows.map((r) => [Number(r.id), r]));
}

export interface SeverityProvision {
  id: number;
  severity: SeverityName;
  type_id: string | null;
  excerpt: string;
  document_key: string;
  document_name: string;
}

/** A platform's current provisions that carry a severity, worst first (at most `limit` per severity). */
export async function provisionsBySeverity(q: Queryable, platformId: number, limit = 25): Promise<{ rows: SeverityProvision[]; counts: Record<SeverityName, number> }> {
  const rows = await jsonRowsPrepared<SeverityProvision & { n: number }>(
    q,
    'web_platform_by_severity',
    `SELECT id, severity, type_id, excerpt, document_key, document_name, n FROM (
       SELECT p.id, t.severity, t.types->0->>'id' AS type_id, left(t.body, 200) AS excerpt, d.key AS document_key, d.name AS document_name,
         row_number() OVER (PARTITION BY t.severity ORDER BY (t.types->0->>'score')::float8 DESC NULLS LAST, p.id) AS r,
         count(*) OVER (PARTITION BY t.severity) AS n
       FROM provisions p JOIN provision_texts t ON t.id = p.current_text_id JOIN documents d ON d.id = p.document_id
       WHERE d.platform_id = $1 AND p.removed_version_id IS NULL AND t.severity IS NOT NULL) x
     WHERE r <= $2
     ORDER BY CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, r`,
    [platformId, limit],
  );
  const counts: Record<SeverityName, number> = { high: 0, medium: 0, low: 0, positive: 0 };
  for (const r of rows) counts[r.severity] = Number(r.n);
  return { rows, counts };
}

/** A document's current provisions with a severity, worst first, and how many there are. */
export async function documentProvisions(q: Queryable, documentId: number, limit = 40): Promise<{ rows: { id: number; severity: SeverityName | null; type_id: string | null; excerpt: string }[]; total: number }> {
  const rows = await jsonRows<{ id: number; severity: SeverityName | null; type_id: string | null; excerpt: string; n: number }>(
    q,
    `SELECT p.id, t.severity, t.types->0->>'id' AS type_id, left(t.body, 160) AS excerpt, count(*) OVER () AS n
     FROM provisions p JOIN provision_texts t ON t.id = p.current_text_id
     WHERE p.document_id = $1 AND p.removed_version_id IS NULL AND t.severity IS NOT NULL
     ORDER BY CASE t.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, p.id LIMIT $2`,
    [documentId, limit],
  );
  return { rows, total: Number(rows[0]?.n ?? 0) };
}
