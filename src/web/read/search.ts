// Full-text search over version texts (PostgreSQL text search, also on PGlite). One result per document:
// its most recent version whose text matches, with how many of its versions match and an excerpt.
import type { Queryable } from '../../store/db.ts';
import { filterConditions, type RecordFilters } from './filters.ts';
import { SEARCH_CONFIG } from './search-index.ts';

export interface SnippetPart {
  text: string;
  match: boolean;
}

export interface SearchHit {
  version_id: number;
  document_id: number;
  recorded_at: Date;
  text_sha256: string;
  rank: number;
  matching_versions: number;
  /** True when the document's current text matches; false when only earlier versions did. */
  is_current: boolean;
  document_key: string;
  document_name: string;
  document_type: string;
  platform_id: number;
  platform_slug: string;
  platform_name: string;
  snippet: SnippetPart[];
}

export interface SearchResult {
  query: string;
  /** The stemmed words searched for (empty when the query held only common words). */
  terms: string[];
  total: number;
  hits: SearchHit[];
}

export async function searchVersions(
  q: Queryable,
  opts: RecordFilters & { query: string; limit: number; offset: number },
): Promise<SearchResult> {
  const tree = (await q.query<{ tree: string }>(`SELECT querytree(websearch_to_tsquery('${SEARCH_CONFIG}', $1))::text AS tree`, [opts.query]))[0]?.tree ?? '';
  const terms = queryTerms(tree);
  if (!terms.length && !/'/.test(tree)) return { query: opts.query, terms, total: 0, hits: [] };
  const params: unknown[] = [opts.query];
  const where: string[] = [];
  filterConditions(opts, params, where);
  params.push(opts.limit, opts.offset);
  const rows = await q.query<Omit<SearchHit, 'snippet'> & { total: number }>(
    `WITH query AS (SELECT websearch_to_tsquery('${SEARCH_CONFIG}', $1) AS tq),
     matched AS (
       SELECT DISTINCT ON (v.document_id) v.id, v.document_id, v.recorded_at, v.text_sha256,
         count(*) OVER (PARTITION BY v.document_id)::int AS matching_versions
       FROM text_search s CROSS JOIN query
       JOIN versions v ON v.text_sha256 = s.sha256
       JOIN documents d ON d.id = v.document_id JOIN platforms p ON p.id = d.platform_id
       WHERE s.tsv @@ query.tq ${where.length ? `AND ${where.join(' AND ')}` : ''}
       ORDER BY v.document_id, v.recorded_at DESC, v.id DESC
     )
     SELECT m.id AS version_id, m.document_id, m.recorded_at, m.text_sha256, m.matching_versions,
       ts_rank_cd(s.tsv, query.tq)::float8 AS rank, count(*) OVER ()::int AS total,
       NOT EXISTS (SELECT 1 FROM versions v2 WHERE v2.document_id = m.document_id AND (v2.recorded_at, v2.id) > (m.recorded_at, m.id)) AS is_current,
       d.key AS document_key, d.name AS document_name, d.type AS document_type, p.id AS platform_id, p.slug AS platform_slug, p.name AS platform_name
     FROM matched m JOIN text_search s ON s.sha256 = m.text_sha256 CROSS JOIN query
     JOIN documents d ON d.id = m.document_id JOIN platforms p ON p.id = d.platform_id
     ORDER BY rank DESC, m.recorded_at DESC, m.id DESC
     LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  const total = rows[0]?.total ?? (opts.offset > 0 ? await countOnly(q, opts) : 0);
  const bodies = new Map<string, string>();
  if (rows.length) {
    for (const r of await q.query<{ sha256: string; body: string }>('SELECT sha256, body FROM texts WHERE sha256 = ANY($1::text[])', [
      [...new Set(rows.map((r) => r.text_sha256))],
    ])) {
      bodies.set(r.sha256, r.body);
    }
  }
  return {
    query: opts.query,
    terms,
    total,
    hits: rows.map(({ total: _t, ...r }) => ({ ...r, rank: Number(r.rank), snippet: snippet(bodies.get(r.text_sha256) ?? '', terms) })),
  };
}

// Past the last page the windowed count is absent: count separately so the pager still knows where the end is.
async function countOnly(q: Queryable, opts: RecordFilters & { query: string }): Promise<number> {
  const params: unknown[] = [opts.query];
  const where: string[] = [];
  filterConditions(opts, params, where);
  const rows = await q.query<{ n: number }>(
    `SELECT count(DISTINCT v.document_id)::int AS n FROM text_search s
     JOIN versions v ON v.text_sha256 = s.sha256 JOIN documents d ON d.id = v.document_id JOIN platforms p ON p.id = d.platform_id
     WHERE s.tsv @@ websearch_to_tsquery('${SEARCH_CONFIG}', $1) ${where.length ? `AND ${where.join(' AND ')}` : ''}`,
    params,
  );
  return rows[0]?.n ?? 0;
}

/** The positive lexemes of a tsquery's text form, e.g. `'bind' <-> 'arbitr' & !'class'` → [bind, arbitr]. */
export function queryTerms(tree: string): string[] {
  const out: string[] = [];
  for (const m of tree.matchAll(/(!\s*)?'((?:[^']|'')+)'/g)) {
    if (m[1]) continue;
    const t = m[2]!.replace(/''/g, "'");
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu;

function stemMatches(word: string, terms: string[]): boolean {
  const w = word.toLowerCase();
  for (const t of terms) {
    if (w.startsWith(t)) return true;
    // Snowball turns a final y into i ("company" → "compani").
    if (t.endsWith('i') && w.startsWith(`${t.slice(0, -1)}y`)) return true;
  }
  return false;
}

/** An excerpt of about `width` characters around the first word matching a search term, matches marked. */
export function snippet(body: string, terms: string[], width = 260): SnippetPart[] {
  const text = body.replace(/\s+/g, ' ');
  let first = -1;
  if (terms.length) {
    for (const m of text.matchAll(WORD)) {
      if (stemMatches(m[0], terms)) {
        first = m.index!;
        break;
      }
    }
  }
  let start = first < 0 ? 0 : Math.max(0, first - Math.floor(width / 3));
  let end = Math.min(text.length, start + width);
  if (start > 0) {
    const sp = text.indexOf(' ', start);
    if (sp > 0 && sp < first) start = sp + 1;
  }
  if (end < text.length) {
    const sp = text.lastIndexOf(' ', end);
    if (sp > start) end = sp;
  }
  const window = text.slice(start, end);
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: '… ', match: false });
  let last = 0;
  for (const m of window.matchAll(WORD)) {
    if (!stemMatches(m[0], terms)) continue;
    if (m.index! > last) parts.push({ text: window.slice(last, m.index!), match: false });
    parts.push({ text: m[0], match: true });
    last = m.index! + m[0].length;
  }
  if (last < window.length) parts.push({ text: window.slice(last), match: false });
  if (end < text.length) parts.push({ text: ' …', match: false });
  return parts;
}
