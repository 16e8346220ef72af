// Read model for the status page: fetch problems and suspect captures (held back, never recorded as changes).
import type { Queryable } from '../../store/db.ts';
import { jsonRows, jsonRowsPrepared } from './json-rows.ts';

export interface ProblemRow {
  capture_id: number;
  captured_at: Date;
  outcome: string;
  problem_kind: string | null;
  detail: string | null;
  http_status: number | null;
  url: string | null;
  document_id: number;
  document_key: string;
  document_name: string;
  platform_id: number;
  platform_slug: string;
  platform_name: string;
}

const PROBLEM_COLUMNS = `c.id AS capture_id, c.captured_at, c.outcome, c.problem_kind, c.detail, c.http_status, c.url,
  d.id AS document_id, d.key AS document_key, d.name AS document_name, p.id AS platform_id, p.slug AS platform_slug, p.name AS platform_name`;

/** Documents whose latest capture failed or was held as suspect: what needs attention now. */
export async function currentProblems(q: Queryable, platformId?: number): Promise<ProblemRow[]> {
  // One platform's (its page): a prepared statement whose plan starts from that platform's documents; the
  // generic "$1 IS NULL OR" form below plans for all platforms and costs several times more on PGlite.
  if (platformId !== undefined) {
    return jsonRowsPrepared<ProblemRow>(
      q,
      'web_platform_current_problems',
      `SELECT ${PROBLEM_COLUMNS}
       FROM documents d JOIN platforms p ON p.id = d.platform_id
       JOIN LATERAL (SELECT * FROM captures c WHERE c.document_id = d.id ORDER BY c.captured_at DESC, c.id DESC LIMIT 1) c ON true
       WHERE c.outcome IN ('failed', 'suspect') AND d.platform_id = $1::int
       ORDER BY p.name, d.name`,
      [platformId],
      ['captured_at'],
    );
  }
  return jsonRows<ProblemRow>(
    q,
    `SELECT ${PROBLEM_COLUMNS}
     FROM documents d JOIN platforms p ON p.id = d.platform_id
     JOIN LATERAL (SELECT * FROM captures c WHERE c.document_id = d.id ORDER BY c.captured_at DESC, c.id DESC LIMIT 1) c ON true
     WHERE c.outcome IN ('failed', 'suspect') AND ($1::int IS NULL OR p.id = $1::int)
     ORDER BY p.name, d.name`,
    [platformId ?? null],
    ['captured_at'],
  );
}

/** The most recent failed or suspect captures, newest first. */
export async function recentProblems(q: Queryable, opts: { limit: number; platformId?: number; beforeId?: number }): Promise<ProblemRow[]> {
  if (opts.platformId !== undefined && opts.beforeId === undefined) {
    return jsonRowsPrepared<ProblemRow>(
      q,
      'web_platform_recent_problems',
      `SELECT ${PROBLEM_COLUMNS}
       FROM captures c JOIN documents d ON d.id = c.document_id JOIN platforms p ON p.id = d.platform_id
       WHERE c.outcome IN ('failed', 'suspect') AND d.platform_id = $1::int
       ORDER BY c.id DESC LIMIT $2::int`,
      [opts.platformId, opts.limit],
      ['captured_at'],
    );
  }
  return jsonRows<ProblemRow>(
    q,
    `SELECT ${PROBLEM_COLUMNS}
     FROM captures c JOIN documents d ON d.id = c.document_id JOIN platforms p ON p.id = d.platform_id
     WHERE c.outcome IN ('failed', 'suspect') AND ($1::int IS NULL OR p.id = $1::int) AND ($2::int IS NULL OR c.id < $2::int)
     ORDER BY c.id DESC LIMIT $3`,
    [opts.platformId ?? null, opts.beforeId ?? null, opts.limit],
    ['captured_at'],
  );
}

export interface CaptureDetail extends ProblemRow {
  origin: string;
  origin_ref: string | null;
  text_sha256: string | null;
  version_id: number | null;
  text_chars: number | null;
}

export async function captureDetail(q: Queryable, id: number): Promise<CaptureDetail | undefined> {
  return (
    await q.query<CaptureDetail>(
      `SELECT ${PROBLEM_COLUMNS}, c.origin, c.origin_ref, c.text_sha256, c.version_id, t.chars AS text_chars
       FROM captures c JOIN documents d ON d.id = c.document_id JOIN platforms p ON p.id = d.platform_id
       LEFT JOIN texts t ON t.sha256 = c.text_sha256 WHERE c.id = $1`,
      [id],
    )
  )[0];
}
