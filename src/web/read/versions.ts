// Read model for a version: its text, its place in the document's history, and the snapshots behind it.
import type { Queryable } from '../../store/db.ts';
import { getVersion, type SnapshotRow, type VersionRow } from '../../record/queries.ts';
import { getText } from '../../record/texts.ts';
import { documentById, type DocumentIdentity } from './documents.ts';
import { jsonRows } from './json-rows.ts';

export type SnapshotSummary = Omit<SnapshotRow, 'document_id'> & { size: number; outcome: string };

const SNAPSHOT_COLUMNS = `s.id, s.capture_id, s.page_index, s.url, s.final_url, s.fetched_at, s.blob_sha256, s.media_type,
  s.http_status, s.fetcher, b.size, c.outcome`;

export interface VersionDetail {
  version: VersionRow;
  document: DocumentIdentity;
  text: string;
  chars: number;
  previous: { id: number; recorded_at: Date } | null;
  next: { id: number; recorded_at: Date } | null;
  /** Captures that fetched this text while it was current (the one that recorded it included). */
  confirmations: { count: number; first_at: Date | null; last_at: Date | null };
  /** The pages fetched by the capture that recorded this version (none for text-only imports). */
  snapshots: SnapshotSummary[];
}

export async function versionDetail(q: Queryable, id: number): Promise<VersionDetail | undefined> {
  const version = await getVersion(q, id);
  if (!version) return undefined;
  const document = (await documentById(q, version.document_id))!;
  const [text, around, conf, snapshots] = await Promise.all([
    getText(q, version.text_sha256),
    q.query<{ prev_id: number | null; prev_at: Date | null; next_id: number | null; next_at: Date | null }>(
      `SELECT (SELECT id FROM versions WHERE document_id = $1 AND (recorded_at, id) < ($2, $3) ORDER BY recorded_at DESC, id DESC LIMIT 1) AS prev_id,
              (SELECT recorded_at FROM versions WHERE document_id = $1 AND (recorded_at, id) < ($2, $3) ORDER BY recorded_at DESC, id DESC LIMIT 1) AS prev_at,
              (SELECT id FROM versions WHERE document_id = $1 AND (recorded_at, id) > ($2, $3) ORDER BY recorded_at, id LIMIT 1) AS next_id,
              (SELECT recorded_at FROM versions WHERE document_id = $1 AND (recorded_at, id) > ($2, $3) ORDER BY recorded_at, id LIMIT 1) AS next_at`,
      [version.document_id, version.recorded_at, version.id],
    ),
    q.query<{ count: number; first_at: Date | null; last_at: Date | null }>(
      'SELECT count(*)::int AS count, min(captured_at) AS first_at, max(captured_at) AS last_at FROM captures WHERE version_id = $1',
      [id],
    ),
    jsonRows<SnapshotSummary>(
      q,
      `SELECT ${SNAPSHOT_COLUMNS} FROM captures c JOIN snapshots s ON s.capture_id = c.id JOIN blobs b ON b.sha256 = s.blob_sha256
       WHERE c.version_id = $1 AND c.outcome <> 'unchanged' ORDER BY c.captured_at, c.id, s.page_index`,
      [id],
      ['fetched_at'],
    ),
  ]);
  const a = around[0]!;
  return {
    version,
    document,
    text: text ?? '',
    chars: (text ?? '').length,
    previous: a.prev_id ? { id: a.prev_id, recorded_at: a.prev_at! } : null,
    next: a.next_id ? { id: a.next_id, recorded_at: a.next_at! } : null,
    confirmations: conf[0] ?? { count: 0, first_at: null, last_at: null },
    snapshots,
  };
}

/** Every snapshot of every capture that fetched this version's text, oldest first, keyset-paginated by snapshot id. */
export async function versionSnapshots(q: Queryable, versionId: number, opts: { limit: number; afterId?: number }): Promise<SnapshotSummary[]> {
  return jsonRows<SnapshotSummary>(
    q,
    `SELECT ${SNAPSHOT_COLUMNS} FROM captures c JOIN snapshots s ON s.capture_id = c.id JOIN blobs b ON b.sha256 = s.blob_sha256
     WHERE c.version_id = $1 AND s.id > $2 ORDER BY s.id LIMIT $3`,
    [versionId, opts.afterId ?? 0, opts.limit],
    ['fetched_at'],
  );
}

export async function snapshotById(q: Queryable, id: number): Promise<(SnapshotSummary & { document_id: number; encoding: string; version_id: number | null; captured_at: Date }) | undefined> {
  return (
    await q.query<SnapshotSummary & { document_id: number; encoding: string; version_id: number | null; captured_at: Date }>(
      `SELECT ${SNAPSHOT_COLUMNS}, s.document_id, b.encoding, c.version_id, c.captured_at
       FROM snapshots s JOIN captures c ON c.id = s.capture_id JOIN blobs b ON b.sha256 = s.blob_sha256 WHERE s.id = $1`,
      [id],
    )
  )[0];
}

export async function versionsOfDocument(q: Queryable, documentId: number, opts: { limit: number; after?: { at: Date; id: number } }): Promise<VersionRow[]> {
  const params: unknown[] = [documentId, opts.limit];
  let cond = '';
  if (opts.after) {
    params.push(opts.after.at, opts.after.id);
    cond = 'AND (recorded_at, id) > ($3, $4)';
  }
  return jsonRows<VersionRow>(
    q,
    `SELECT id, document_id, recorded_at, text_sha256, kind, previous_id, returns_to_id, lines_added, lines_removed, origin, origin_ref
     FROM versions WHERE document_id = $1 ${cond} ORDER BY recorded_at, id LIMIT $2`,
    params,
    ['recorded_at'],
  );
}
