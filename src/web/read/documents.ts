// Read model for a document's page: identity, versions, tracking record (first tracked, last verified),
// where it comes from (source URLs) and its latest stored snapshot.
import { prepared, type Queryable } from '../../store/db.ts';
import type { VersionRow } from '../../record/queries.ts';
import { jsonRows, jsonRowsPrepared } from './json-rows.ts';

export interface DocumentIdentity {
  id: number;
  key: string;
  name: string;
  type: string;
  platform_id: number;
  platform_slug: string;
  platform_name: string;
}

const IDENTITY = `SELECT d.id, d.key, d.name, d.type, p.id AS platform_id, p.slug AS platform_slug, p.name AS platform_name
  FROM documents d JOIN platforms p ON p.id = d.platform_id`;

export async function documentById(q: Queryable, id: number): Promise<DocumentIdentity | undefined> {
  return (await q.query<DocumentIdentity>(`${IDENTITY} WHERE d.id = $1`, [id]))[0];
}

export async function documentBySlug(q: Queryable, platformSlug: string, key: string): Promise<DocumentIdentity | undefined> {
  return (await q.query<DocumentIdentity>(`${IDENTITY} WHERE p.slug = $1 AND d.key = $2`, [platformSlug, key]))[0];
}

export interface LatestSnapshot {
  id: number;
  capture_id: number;
  url: string;
  fetched_at: Date;
  blob_sha256: string;
  media_type: string;
  size: number;
}

export interface TrackingRecord {
  captures: number;
  first_tracked_at: Date | null;
  /** Last capture that confirmed the current text (fetched it, or recorded it). */
  last_verified_at: Date | null;
  last_captured_at: Date | null;
  last_outcome: string | null;
  last_problem: string | null;
  last_detail: string | null;
  /** Pages the document is fetched from, as declared by the rules last used. */
  source_urls: string[];
  latest_snapshot: LatestSnapshot | null;
}

export interface DocumentDetail {
  document: DocumentIdentity;
  versions: VersionRow[];
  record: TrackingRecord;
}

/** A document's versions, oldest first (the same rows as record/queries listVersions, read as one JSON value). */
export async function versionsOf(q: Queryable, documentId: number): Promise<VersionRow[]> {
  return jsonRowsPrepared<VersionRow>(
    q,
    'web_document_versions',
    `SELECT id, document_id, recorded_at, text_sha256, kind, previous_id, returns_to_id, lines_added, lines_removed, origin, origin_ref
     FROM versions WHERE document_id = $1 ORDER BY recorded_at, id`,
    [documentId],
    ['recorded_at'],
  );
}

export async function documentDetail(q: Queryable, doc: DocumentIdentity): Promise<DocumentDetail> {
  // Prepared statements (planned once): a provision page reads these for each document it is the first to show.
  // last_verified_at compares with the current version's hash, the last of versionsOf's order.
  const versions = await versionsOf(q, doc.id);
  const rec = (
    await prepared<Omit<TrackingRecord, 'source_urls' | 'latest_snapshot'> & { rules: { pages?: { url?: string }[] } | null; capture_url: string | null }>(
      q,
      'web_document_tracking',
      `SELECT
         (SELECT count(*)::int FROM captures c WHERE c.document_id = $1) AS captures,
         (SELECT min(c.captured_at) FROM captures c WHERE c.document_id = $1) AS first_tracked_at,
         (SELECT max(c.captured_at) FROM captures c WHERE c.document_id = $1 AND c.text_sha256 = (SELECT cv.text_sha256 FROM versions cv WHERE cv.document_id = $1 ORDER BY cv.recorded_at DESC, cv.id DESC LIMIT 1)
            AND c.outcome IN ('first', 'changed', 'unchanged', 'returned', 'reextraction')) AS last_verified_at,
         lc.captured_at AS last_captured_at, lc.outcome AS last_outcome, lc.problem_kind AS last_problem, lc.detail AS last_detail,
         (SELECT r.rules FROM captures c JOIN declaration_rules r ON r.id = c.rules_id WHERE c.document_id = $1
            ORDER BY c.captured_at DESC, c.id DESC LIMIT 1) AS rules,
         (SELECT c.url FROM captures c WHERE c.document_id = $1 AND c.url IS NOT NULL AND c.url NOT LIKE 'ota:%'
            ORDER BY c.captured_at DESC, c.id DESC LIMIT 1) AS capture_url
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (SELECT captured_at, outcome, problem_kind, detail FROM captures c WHERE c.document_id = $1
                          ORDER BY captured_at DESC, id DESC LIMIT 1) lc ON true`,
      [doc.id],
    )
  )[0]!;
  const urls = (rec.rules?.pages ?? []).map((p) => p.url).filter((u): u is string => typeof u === 'string' && !u.startsWith('ota:'));
  if (!urls.length && rec.capture_url) urls.push(rec.capture_url);
  const snap = (
    await prepared<LatestSnapshot>(
      q,
      'web_document_snapshot',
      `SELECT s.id, s.capture_id, s.url, s.fetched_at, s.blob_sha256, s.media_type, b.size
       FROM snapshots s JOIN blobs b ON b.sha256 = s.blob_sha256
       WHERE s.document_id = $1 ORDER BY s.fetched_at DESC, s.id DESC LIMIT 1`,
      [doc.id],
    )
  )[0];
  const { rules: _rules, capture_url: _url, ...record } = rec;
  return { document: doc, versions, record: { ...record, source_urls: [...new Set(urls)], latest_snapshot: snap ?? null } };
}
