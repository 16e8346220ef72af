// Lists over the analysis layer: material changes (filtered, keyset-paginated), platforms by grade, and
// full-text search over current provisions with the filters. Values never enter the SQL text.
import type { Db, Queryable } from '../../store/db.ts';
import { dateRange, filterConditions, type RecordFilters } from './filters.ts';
import { jsonRows } from './json-rows.ts';
import type { SeverityName } from './prevalence.ts';
import { loadTaxonomy } from '../../analyse/taxonomy.ts';

export interface AnalysisFilters extends RecordFilters {
  /** A clause type id (taxonomy/clause-types.yaml). */
  clause_type?: string;
  /** A clause category id: any of its types. */
  category?: string;
  severity?: SeverityName;
  /** A platform jurisdiction as declared (e.g. EU, US). */
  jurisdiction?: string;
}

/** Clause type ids a filter selects (one type, or every type of a category), or undefined for no filter. */
export function typeIdsOf(f: AnalysisFilters): string[] | undefined {
  if (f.clause_type) return [f.clause_type];
  if (f.category) return loadTaxonomy().types.filter((t) => t.category === f.category).map((t) => t.id);
  return undefined;
}

function jurisdiction(f: AnalysisFilters, params: unknown[], where: string[]) {
  if (f.jurisdiction) {
    params.push(f.jurisdiction);
    where.push(`$${params.length} = ANY(p.jurisdictions)`);
  }
}

export interface MaterialChangeRow {
  id: number;
  previous_id: number | null;
  recorded_at: Date;
  summary: string;
  ai_differences: string[];
  change_counts: Record<string, number>;
  types: string[];
  document_key: string;
  document_name: string;
  document_type: string;
  platform_slug: string;
  platform_name: string;
}

/** Versions whose analysis found a material change at the source, newest first. */
export async function listMaterialChanges(q: Queryable, f: AnalysisFilters, page: { limit: number; before?: { at: Date; id: number } }): Promise<MaterialChangeRow[]> {
  const params: unknown[] = [];
  const where = ['va.material', 'va.source_change'];
  filterConditions(f, params, where);
  jurisdiction(f, params, where);
  const types = typeIdsOf(f);
  if (types) {
    params.push(types);
    where.push(`EXISTS (SELECT 1 FROM provision_changes c WHERE c.version_id = va.version_id AND c.material AND c.types && $${params.length}::text[])`);
  }
  if (f.severity) {
    params.push(f.severity);
    where.push(`EXISTS (SELECT 1 FROM provision_changes c JOIN provision_texts t ON t.id = coalesce(c.after_text_id, c.before_text_id) WHERE c.version_id = va.version_id AND c.material AND t.severity = $${params.length})`);
  }
  if (page.before) {
    params.push(page.before.at, page.before.id);
    where.push(`(v.recorded_at, v.id) < ($${params.length - 1}, $${params.length})`);
  }
  params.push(page.limit);
  return jsonRows<MaterialChangeRow>(
    q,
    `SELECT v.id, va.previous_version_id AS previous_id, v.recorded_at, va.summary, va.ai_differences, va.change_counts,
       coalesce((SELECT array_agg(DISTINCT t) FROM provision_changes c, unnest(c.types) t WHERE c.version_id = v.id AND c.material), '{}') AS types,
       d.key AS document_key, d.name AS document_name, d.type AS document_type, p.slug AS platform_slug, p.name AS platform_name
     FROM version_analysis va JOIN versions v ON v.id = va.version_id JOIN documents d ON d.id = v.document_id JOIN platforms p ON p.id = d.platform_id
     WHERE ${where.join(' AND ')}
     ORDER BY v.recorded_at DESC, v.id DESC LIMIT $${params.length}`,
    params,
    ['recorded_at'],
  );
}

export interface GradeRow {
  slug: string;
  name: string;
  grade: string | null;
  score: number | null;
  clause_counts: Record<SeverityName, number> | null;
  ai_on: boolean;
  stale: boolean;
}

/** Platforms with a computed grade, best first. */
export async function platformsByGrade(q: Queryable): Promise<GradeRow[]> {
  return jsonRows<GradeRow>(
    q,
    `SELECT p.slug, p.name, pa.grade, pa.score, pa.clause_counts, pa.stale,
       coalesce(EXISTS (SELECT 1 FROM jsonb_array_elements(pa.ai_training->'plans') x WHERE x->>'default' = 'on'), false) AS ai_on
     FROM platform_analysis pa JOIN platforms p ON p.id = pa.platform_id
     WHERE pa.computed_at IS NOT NULL ORDER BY pa.score DESC NULLS LAST, lower(p.name), p.id`,
  );
}

export interface ProvisionHit {
  id: number;
  excerpt: string;
  section: string[];
  severity: SeverityName | null;
  types: { id: string; score: number }[];
  first_seen: Date | null;
  document_key: string;
  document_name: string;
  platform_slug: string;
  platform_name: string;
}

export interface ProvisionSearch {
  total: number;
  hits: ProvisionHit[];
}

/**
 * Full text over current provisions (the stored vector and GIN index of migration 051), or every current
 * provision matching the filters when no words are given. The date range applies to when the provision
 * was first seen.
 */
export async function searchProvisions(db: Db, f: AnalysisFilters & { q?: string }, page: { limit: number; offset: number }): Promise<ProvisionSearch> {
  if (!f.q) return searchIn(db, f, page);
  // As for version search (read/search.ts): the planner prices a sequential scan of stored vectors as
  // cheap and a GIN probe as dear; with words to match, the index is always the better plan.
  return db.transaction(async (q) => {
    await q.query('SET LOCAL enable_seqscan = off');
    return searchIn(q, f, page);
  });
}

async function searchIn(q: Queryable, f: AnalysisFilters & { q?: string }, page: { limit: number; offset: number }): Promise<ProvisionSearch> {
  const params: unknown[] = [];
  const where = ['pr.removed_version_id IS NULL'];
  let rank = '';
  if (f.q) {
    params.push(f.q);
    where.push(`t.search_tsv @@ websearch_to_tsquery('english', $${params.length})`);
    rank = `ts_rank_cd(t.search_tsv, websearch_to_tsquery('english', $1)) DESC, `;
  }
  if (f.platform) {
    params.push(f.platform);
    where.push(`p.slug = $${params.length}`);
  }
  if (f.type) {
    params.push(f.type);
    where.push(`d.type = $${params.length}`);
  }
  jurisdiction(f, params, where);
  const types = typeIdsOf(f);
  if (types) {
    params.push(types);
    where.push(`t.type_ids && $${params.length}::text[]`);
  }
  if (f.severity) {
    params.push(f.severity);
    where.push(`t.severity = $${params.length}`);
  }
  dateRange('pr.first_seen', f, params, where);
  const from = `FROM provision_texts t JOIN provisions pr ON pr.current_text_id = t.id JOIN documents d ON d.id = pr.document_id JOIN platforms p ON p.id = d.platform_id WHERE ${where.join(' AND ')}`;
  const total = Number((await q.query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, params))[0]?.n ?? 0);
  if (!total) return { total, hits: [] };
  params.push(page.limit, page.offset);
  const hits = await jsonRows<ProvisionHit>(
    q,
    `SELECT pr.id, left(t.body, 400) AS excerpt, t.section, t.severity, t.types, pr.first_seen, d.key AS document_key, d.name AS document_name, p.slug AS platform_slug, p.name AS platform_name
     ${from} ORDER BY ${rank}CASE t.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 WHEN 'positive' THEN 3 ELSE 4 END, pr.id
     LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
    ['first_seen'],
  );
  return { total, hits };
}

/** Jurisdictions declared by platforms, for filter menus. */
export async function jurisdictionsInUse(q: Queryable): Promise<string[]> {
  return (await q.query<{ j: string }>('SELECT DISTINCT unnest(jurisdictions) AS j FROM platforms ORDER BY 1')).map((r) => r.j);
}
