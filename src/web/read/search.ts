// Full-text search over version texts (PostgreSQL text search, also on PGlite). One result per document:
// its most recent version whose text matches, with how many of its versions match and an excerpt.
import type { Db, Queryable } from '../../store/db.ts';
import { filterConditions, type RecordFilters } from './filters.ts';
import { SEARCH_CONFIG } from './search-index.ts';
import { jsonRows } from './json-rows.ts';

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

export async function searchVersions(db: Db, opts: RecordFilters & { query: string; limit: number; offset: number }): Promise<SearchResult> {
  // Tokenised texts live out of line (TOAST), which the planner does not price: left alone it prefers
  // reading every vector over the GIN index, hundreds of times slower. Within this read-only
  // transaction only, sequential scans are priced out.
  return db.transaction(async (q) => {
    await q.query('SET LOCAL enable_seqscan = off');
    return search(q, opts);
  });
}

async function search(q: Queryable, opts: RecordFilters & { query: string; limit: number; offset: number }): Promise<SearchResult> {
  const tree = (await q.query<{ tree: string }>(`SELECT querytree(websearch_to_tsquery('${SEARCH_CONFIG}', $1))::text AS tree`, [opts.query]))[0]?.tree ?? '';
  const terms = queryTerms(tree);
  if (!terms.length && !/'/.test(tree)) return { query: opts.query, terms, total: 0, hits: [] };
  const params: unknown[] = [opts.query];
  const where: string[] = [];
  filterConditions(opts, params, where);
  params.push(opts.limit, opts.offset);
  // The query is written out where it is matched (not taken from a CTE) so the planner can use the GIN index.
  const tq = `websearch_to_tsquery('${SEARCH_CONFIG}', $1)`;
  const rows = await jsonRows<Omit<SearchHit, 'snippet'> & { total: number }>(
    q,
    `WITH matched AS (
       SELECT DISTINCT ON (v.document_id) v.id, v.document_id, v.recorded_at, v.text_sha256,
         count(*) OVER (PARTITION BY v.document_id)::int AS matching_versions
       FROM text_search s
       JOIN versions v ON v.text_sha256 = s.sha256
       JOIN documents d ON d.id = v.document_id JOIN platforms p ON p.id = d.platform_id
       WHERE s.tsv @@ ${tq} ${where.length ? `AND ${where.join(' AND ')}` : ''}
       ORDER BY v.document_id, v.recorded_at DESC, v.id DESC
     )
     SELECT m.id AS version_id, m.document_id, m.recorded_at, m.text_sha256, m.matching_versions,
       ts_rank_cd(s.tsv, ${tq})::float8 AS rank, count(*) OVER ()::int AS total,
       NOT EXISTS (SELECT 1 FROM versions v2 WHERE v2.document_id = m.document_id AND (v2.recorded_at, v2.id) > (m.recorded_at, m.id)) AS is_current,
       d.key AS document_key, d.name AS document_name, d.type AS document_type, p.id AS platform_id, p.slug AS platform_slug, p.name AS platform_name
     FROM matched m JOIN text_search s ON s.sha256 = m.text_sha256
     JOIN documents d ON d.id = m.document_id JOIN platforms p ON p.id = d.platform_id
     ORDER BY rank DESC, m.recorded_at DESC, m.id DESC
     LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
    ['recorded_at'],
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

/** One regular expression for words starting with any of the stems (Snowball turns a final y into i: "compani"). */
function termPattern(terms: string[]): RegExp | undefined {
  const alts = terms
    .filter((t) => t.length > 0)
    .map((t) => {
      const e = t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return t.endsWith('i') && t.length > 1 ? `${e.slice(0, -1)}[iy]` : e;
    });
  if (!alts.length) return undefined;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})[\\p{L}\\p{N}'’_-]*`, 'giu');
}

/** An excerpt of about `width` characters around the first word matching a search term, matches marked. */
export function snippet(body: string, terms: string[], width = 260): SnippetPart[] {
  const re = termPattern(terms);
  let first = 0;
  if (re) {
    re.lastIndex = 0;
    const m = re.exec(body);
    if (m) first = m.index;
  }
  // Only the neighbourhood of the match is normalised, not the whole (possibly 100 kB) text.
  const rawStart = Math.max(0, first - width * 2);
  const before = body.slice(rawStart, first).replace(/\s+/g, ' ');
  const after = body.slice(first, first + width * 3).replace(/\s+/g, ' ');
  const lead = Math.min(before.length, Math.floor(width / 3));
  let text = before.slice(before.length - lead) + after;
  const clippedStart = first - lead > 0;
  if (clippedStart) {
    // Start at a word boundary before the match.
    const sp = text.indexOf(' ');
    if (sp >= 0 && sp < lead) text = text.slice(sp + 1);
  }
  let clippedEnd = first + width * 3 < body.length;
  if (text.length > width) {
    const sp = text.lastIndexOf(' ', width);
    text = text.slice(0, sp > width / 2 ? sp : width);
    clippedEnd = true;
  }
  const parts: SnippetPart[] = [];
  if (clippedStart) parts.push({ text: '… ', match: false });
  let last = 0;
  if (re) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      if (m.index! > last) parts.push({ text: text.slice(last, m.index!), match: false });
      parts.push({ text: m[0], match: true });
      last = m.index! + m[0].length;
    }
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  if (clippedEnd) parts.push({ text: ' …', match: false });
  return parts;
}
