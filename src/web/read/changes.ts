// The changes feed: versions that are changes at the source (a new text, or a return to an earlier one),
// newest first, filtered and keyset-paginated. First records and re-extractions are not changes.
import type { Queryable } from '../../store/db.ts';
import { filterConditions, type RecordFilters } from './filters.ts';
import { jsonRows, jsonRowsPrepared } from './json-rows.ts';

export interface ChangeRow {
  id: number;
  document_id: number;
  recorded_at: Date;
  kind: string;
  text_sha256: string;
  previous_id: number | null;
  returns_to_id: number | null;
  lines_added: number;
  lines_removed: number;
  origin: string;
  origin_ref: string | null;
  document_key: string;
  document_name: string;
  document_type: string;
  platform_id: number;
  platform_slug: string;
  platform_name: string;
}

export async function listChanges(
  q: Queryable,
  filters: RecordFilters & { documentId?: number },
  page: { limit: number; before?: { at: Date; id: number } },
): Promise<ChangeRow[]> {
  const params: unknown[] = [];
  const where = [`v.kind IN ('change', 'return')`];
  filterConditions(filters, params, where);
  if (filters.documentId !== undefined) {
    params.push(filters.documentId);
    where.push(`v.document_id = $${params.length}`);
  }
  if (page.before) {
    params.push(page.before.at, page.before.id);
    where.push(`(v.recorded_at, v.id) < ($${params.length - 1}, $${params.length})`);
  }
  params.push(page.limit);
  return jsonRows<ChangeRow>(
    q,
    `SELECT v.id, v.document_id, v.recorded_at, v.kind, v.text_sha256, v.previous_id, v.returns_to_id, v.lines_added, v.lines_removed, v.origin, v.origin_ref,
       d.key AS document_key, d.name AS document_name, d.type AS document_type, p.id AS platform_id, p.slug AS platform_slug, p.name AS platform_name
     FROM versions v JOIN documents d ON d.id = v.document_id JOIN platforms p ON p.id = d.platform_id
     WHERE ${where.join(' AND ')}
     ORDER BY v.recorded_at DESC, v.id DESC LIMIT $${params.length}`,
    params,
    ['recorded_at'],
  );
}

/** A platform's latest changes (its page): listChanges({ platform }) as a prepared statement keyed by id. */
export async function platformChanges(q: Queryable, platformId: number, limit: number): Promise<ChangeRow[]> {
  return jsonRowsPrepared<ChangeRow>(
    q,
    'web_platform_changes',
    `SELECT v.id, v.document_id, v.recorded_at, v.kind, v.text_sha256, v.previous_id, v.returns_to_id, v.lines_added, v.lines_removed, v.origin, v.origin_ref,
       d.key AS document_key, d.name AS document_name, d.type AS document_type, p.id AS platform_id, p.slug AS platform_slug, p.name AS platform_name
     FROM versions v JOIN documents d ON d.id = v.document_id JOIN platforms p ON p.id = d.platform_id
     WHERE v.kind IN ('change', 'return') AND d.platform_id = $1::int
     ORDER BY v.recorded_at DESC, v.id DESC LIMIT $2::int`,
    [platformId, limit],
    ['recorded_at'],
  );
}

/** Document types that occur in the database, for filter menus. */
export async function documentTypesInUse(q: Queryable): Promise<string[]> {
  return (await q.query<{ type: string }>('SELECT DISTINCT type FROM documents ORDER BY type')).map((r) => r.type);
}
