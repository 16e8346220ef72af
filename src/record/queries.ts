// Read models over what tracking recorded: history, status, single records. No writes here.
import type { Queryable } from '../store/db.ts';

export interface VersionRow {
  id: number;
  document_id: number;
  recorded_at: Date;
  text_sha256: string;
  kind: string;
  previous_id: number | null;
  returns_to_id: number | null;
  lines_added: number;
  lines_removed: number;
  origin: string;
  origin_ref: string | null;
}

const VERSION_COLUMNS = 'id, document_id, recorded_at, text_sha256, kind, previous_id, returns_to_id, lines_added, lines_removed, origin, origin_ref';

export async function listVersions(q: Queryable, documentId: number): Promise<VersionRow[]> {
  return q.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM versions WHERE document_id = $1 ORDER BY recorded_at, id`, [documentId]);
}

export async function getVersion(q: Queryable, id: number): Promise<VersionRow | undefined> {
  return (await q.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM versions WHERE id = $1`, [id]))[0];
}

export interface DocumentStatus {
  platform_slug: string;
  platform_name: string;
  document_id: number;
  document_key: string;
  document_name: string;
  versions: number;
  captures: number;
  last_captured_at: Date | null;
  last_outcome: string | null;
  last_problem: string | null;
  last_detail: string | null;
  last_version_at: Date | null;
}

export async function documentStatuses(q: Queryable, platformSlugs: string[] = []): Promise<DocumentStatus[]> {
  return q.query<DocumentStatus>(
    `SELECT p.slug AS platform_slug, p.name AS platform_name, d.id AS document_id, d.key AS document_key, d.name AS document_name,
       (SELECT count(*)::int FROM versions v WHERE v.document_id = d.id) AS versions,
       (SELECT count(*)::int FROM captures c WHERE c.document_id = d.id) AS captures,
       lc.captured_at AS last_captured_at, lc.outcome AS last_outcome, lc.problem_kind AS last_problem, lc.detail AS last_detail,
       (SELECT max(v.recorded_at) FROM versions v WHERE v.document_id = d.id) AS last_version_at
     FROM documents d JOIN platforms p ON p.id = d.platform_id
     LEFT JOIN LATERAL (SELECT captured_at, outcome, problem_kind, detail FROM captures c
                        WHERE c.document_id = d.id ORDER BY captured_at DESC, id DESC LIMIT 1) lc ON true
     WHERE cardinality($1::text[]) = 0 OR p.slug = ANY($1::text[])
     ORDER BY p.slug, d.key`,
    [platformSlugs],
  );
}

export interface CaptureRow {
  id: number;
  document_id: number;
  captured_at: Date;
  origin: string;
  origin_ref: string | null;
  outcome: string;
  text_sha256: string | null;
  version_id: number | null;
  problem_kind: string | null;
  detail: string | null;
  url: string | null;
}

export async function getCapture(q: Queryable, id: number): Promise<CaptureRow | undefined> {
  return (await q.query<CaptureRow>('SELECT id, document_id, captured_at, origin, origin_ref, outcome, text_sha256, version_id, problem_kind, detail, url FROM captures WHERE id = $1', [id]))[0];
}

export interface SnapshotRow {
  id: number;
  capture_id: number;
  document_id: number;
  page_index: number;
  url: string;
  final_url: string | null;
  fetched_at: Date;
  blob_sha256: string;
  media_type: string;
  http_status: number | null;
  fetcher: string;
}

export async function snapshotsOf(q: Queryable, where: { captureId?: number; versionId?: number; id?: number }): Promise<SnapshotRow[]> {
  const cols = 's.id, s.capture_id, s.document_id, s.page_index, s.url, s.final_url, s.fetched_at, s.blob_sha256, s.media_type, s.http_status, s.fetcher';
  if (where.id !== undefined) return q.query<SnapshotRow>(`SELECT ${cols} FROM snapshots s WHERE s.id = $1`, [where.id]);
  if (where.captureId !== undefined) return q.query<SnapshotRow>(`SELECT ${cols} FROM snapshots s WHERE s.capture_id = $1 ORDER BY s.page_index`, [where.captureId]);
  return q.query<SnapshotRow>(
    `SELECT ${cols} FROM snapshots s JOIN captures c ON c.id = s.capture_id WHERE c.version_id = $1 ORDER BY s.fetched_at, s.page_index`,
    [where.versionId],
  );
}

export async function documentOf(q: Queryable, documentId: number): Promise<{ id: number; key: string; name: string; type: string; platform_slug: string; platform_name: string } | undefined> {
  return (
    await q.query<{ id: number; key: string; name: string; type: string; platform_slug: string; platform_name: string }>(
      `SELECT d.id, d.key, d.name, d.type, p.slug AS platform_slug, p.name AS platform_name FROM documents d JOIN platforms p ON p.id = d.platform_id WHERE d.id = $1`,
      [documentId],
    )
  )[0];
}
