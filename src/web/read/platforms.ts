// Read models for platform listings and a platform's page: documents, change activity, fetch problems.
import { prepared, type Queryable } from '../../store/db.ts';
import { jsonRows, jsonRowsPrepared } from './json-rows.ts';

export interface PlatformSummary {
  id: number;
  slug: string;
  name: string;
  homepage: string | null;
  jurisdictions: string[];
  documents: number;
  versions: number;
  changes: number;
  captures: number;
  problems: number;
  last_change_at: Date | null;
  last_captured_at: Date | null;
}

const SUMMARY = `
  SELECT p.id, p.slug, p.name, p.homepage, p.jurisdictions,
    count(d.id)::int AS documents,
    coalesce(sum(ds.versions), 0)::int AS versions,
    coalesce(sum(ds.changes), 0)::int AS changes,
    coalesce(sum(ds.captures), 0)::int AS captures,
    count(d.id) FILTER (WHERE lc.outcome IN ('failed', 'suspect'))::int AS problems,
    max(ds.last_change_at) AS last_change_at,
    max(lc.captured_at) AS last_captured_at
  FROM platforms p
  LEFT JOIN documents d ON d.platform_id = p.id
  LEFT JOIN LATERAL (
    SELECT count(*) AS versions,
      count(*) FILTER (WHERE v.kind IN ('change', 'return')) AS changes,
      max(v.recorded_at) FILTER (WHERE v.kind IN ('change', 'return')) AS last_change_at,
      (SELECT count(*) FROM captures c WHERE c.document_id = d.id) AS captures
    FROM versions v WHERE v.document_id = d.id) ds ON true
  LEFT JOIN LATERAL (
    SELECT c.outcome, c.captured_at FROM captures c WHERE c.document_id = d.id
    ORDER BY c.captured_at DESC, c.id DESC LIMIT 1) lc ON true`;

export async function listPlatforms(q: Queryable): Promise<PlatformSummary[]> {
  return jsonRows<PlatformSummary>(q, `${SUMMARY} GROUP BY p.id ORDER BY lower(p.name), p.id`, [], ['last_change_at', 'last_captured_at']);
}

export async function platformBySlug(q: Queryable, slug: string): Promise<PlatformSummary | undefined> {
  // The slug to an id (a cheap plan), then the summary as a prepared statement (its laterals cost more to plan).
  const id = (await q.query<{ id: number }>('SELECT id FROM platforms WHERE slug = $1', [slug]))[0]?.id;
  if (id === undefined) return undefined;
  return (await prepared<PlatformSummary>(q, 'web_platform_summary', `${SUMMARY} WHERE p.id = $1 GROUP BY p.id`, [id]))[0];
}

export interface DocumentSummary {
  id: number;
  key: string;
  name: string;
  type: string;
  versions: number;
  changes: number;
  first_tracked_at: Date | null;
  last_change_at: Date | null;
  last_captured_at: Date | null;
  last_outcome: string | null;
  last_problem: string | null;
  last_detail: string | null;
}

// A platform page's reads below are prepared statements (planned once per connection): on PGlite planning
// them cost more than running them.
export async function platformDocuments(q: Queryable, platformId: number): Promise<DocumentSummary[]> {
  return jsonRowsPrepared<DocumentSummary>(
    q,
    'web_platform_documents',
    `SELECT d.id, d.key, d.name, d.type,
       (SELECT count(*)::int FROM versions v WHERE v.document_id = d.id) AS versions,
       (SELECT count(*)::int FROM versions v WHERE v.document_id = d.id AND v.kind IN ('change', 'return')) AS changes,
       (SELECT min(c.captured_at) FROM captures c WHERE c.document_id = d.id) AS first_tracked_at,
       (SELECT max(v.recorded_at) FROM versions v WHERE v.document_id = d.id AND v.kind IN ('change', 'return')) AS last_change_at,
       lc.captured_at AS last_captured_at, lc.outcome AS last_outcome, lc.problem_kind AS last_problem, lc.detail AS last_detail
     FROM documents d
     LEFT JOIN LATERAL (SELECT captured_at, outcome, problem_kind, detail FROM captures c WHERE c.document_id = d.id
                        ORDER BY captured_at DESC, id DESC LIMIT 1) lc ON true
     WHERE d.platform_id = $1
     ORDER BY lower(d.name), d.id`,
    [platformId],
    ['first_tracked_at', 'last_change_at', 'last_captured_at'],
  );
}

export interface ActivityMonth {
  month: string; // YYYY-MM
  changes: number;
}

/** Changes (at the source: changes and returns) per calendar month (UTC), oldest first, only months with changes. */
export async function changeActivity(q: Queryable, platformId: number): Promise<ActivityMonth[]> {
  const rows = await jsonRowsPrepared<{ month: string; changes: number }>(
    q,
    'web_platform_activity',
    `SELECT to_char(date_trunc('month', v.recorded_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*)::int AS changes
     FROM versions v JOIN documents d ON d.id = v.document_id
     WHERE d.platform_id = $1 AND v.kind IN ('change', 'return')
     GROUP BY 1 ORDER BY 1`,
    [platformId],
  );
  return rows;
}

/** The span a platform was tracked over (first capture or version to the last), for the activity chart's axis. */
export async function trackedSpan(q: Queryable, platformId: number): Promise<{ first: Date | null; last: Date | null }> {
  const row = (
    await prepared<{ first: Date | null; last: Date | null }>(
      q,
      'web_platform_span',
      `SELECT least((SELECT min(c.captured_at) FROM captures c JOIN documents d ON d.id = c.document_id WHERE d.platform_id = $1),
                    (SELECT min(v.recorded_at) FROM versions v JOIN documents d ON d.id = v.document_id WHERE d.platform_id = $1)) AS first,
              greatest((SELECT max(c.captured_at) FROM captures c JOIN documents d ON d.id = c.document_id WHERE d.platform_id = $1),
                    (SELECT max(v.recorded_at) FROM versions v JOIN documents d ON d.id = v.document_id WHERE d.platform_id = $1)) AS last`,
      [platformId],
    )
  )[0];
  return { first: row?.first ?? null, last: row?.last ?? null };
}

export async function changesSince(q: Queryable, platformId: number, since: Date): Promise<number> {
  const row = (
    await prepared<{ n: number }>(
      q,
      'web_platform_changes_since',
      `SELECT count(*)::int AS n FROM versions v JOIN documents d ON d.id = v.document_id
       WHERE d.platform_id = $1 AND v.kind IN ('change', 'return') AND v.recorded_at >= to_timestamp($2::bigint / 1000.0)`,
      [platformId, since.getTime()],
    )
  )[0];
  return row?.n ?? 0;
}

export interface TrackingTotals {
  platforms: number;
  tracked_platforms: number;
  documents: number;
  versions: number;
  captures: number;
  snapshots: number;
}

export async function trackingTotals(q: Queryable): Promise<TrackingTotals> {
  return (
    await q.query<TrackingTotals>(
      `SELECT (SELECT count(*)::int FROM platforms) AS platforms,
              (SELECT count(DISTINCT d.platform_id)::int FROM documents d WHERE EXISTS (SELECT 1 FROM captures c WHERE c.document_id = d.id)) AS tracked_platforms,
              (SELECT count(*)::int FROM documents) AS documents,
              (SELECT count(*)::int FROM versions) AS versions,
              (SELECT count(*)::int FROM captures) AS captures,
              (SELECT count(*)::int FROM snapshots) AS snapshots`,
    )
  )[0]!;
}
