// How many platforms have each clause type, and which provision of each platform is its best example.
// Computed once per data generation from the current provisions (one aggregate query, grouped in the
// database) and shared by every request, so a provision or clause-type page never scans provisions to
// say "found in N of M platforms" and the count always agrees with the list of platforms shown under it.
import type { Queryable } from '../../store/db.ts';
import { jsonRows } from './json-rows.ts';

export type SeverityName = 'high' | 'medium' | 'low' | 'positive';
export const SEVERITY_ORDER: SeverityName[] = ['high', 'medium', 'low', 'positive'];

export interface PlatformClause {
  platformId: number;
  slug: string;
  name: string;
  /** The worst severity among the platform's current provisions with this type (null: none classified with a severity). */
  severity: SeverityName | null;
  /** Current provisions of the platform with this type. */
  provisions: number;
  /** The provision that expresses the type most clearly (highest score), and its own severity. */
  example: { provisionId: number; severity: SeverityName | null; score: number };
}

export interface Prevalence {
  /** Platforms with at least one analysed (classified) current provision: the "M" of "N of M". */
  analysedPlatforms: number;
  byType: Map<string, PlatformClause[]>;
  builtAt: Date;
}

interface Row {
  type_id: string;
  platform_id: number;
  slug: string;
  name: string;
  provision_id: number;
  example_severity: SeverityName | null;
  score: number;
  n: number;
  worst: number;
}

const RANK_SQL = `CASE t.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 WHEN 'positive' THEN 3 ELSE 4 END`;

export async function computePrevalence(q: Queryable): Promise<Prevalence> {
  const rows = await jsonRows<Row>(
    q,
    `WITH x AS (
       SELECT d.platform_id, e.id AS type_id, e.score, p.id AS provision_id, t.severity, ${RANK_SQL} AS rank
       FROM provisions p JOIN provision_texts t ON t.id = p.current_text_id JOIN documents d ON d.id = p.document_id
       CROSS JOIN LATERAL jsonb_to_recordset(t.types) AS e(id text, score float8)
       WHERE p.removed_version_id IS NULL AND t.analysed
     ), agg AS (
       SELECT DISTINCT ON (type_id, platform_id) type_id, platform_id, provision_id, severity AS example_severity, score,
         count(*) OVER w AS n, min(rank) OVER w AS worst
       FROM x WINDOW w AS (PARTITION BY type_id, platform_id)
       ORDER BY type_id, platform_id, score DESC, rank, provision_id
     )
     SELECT agg.*, pl.slug, pl.name FROM agg JOIN platforms pl ON pl.id = agg.platform_id ORDER BY type_id, lower(pl.name), pl.id`,
  );
  const m = await q.query<{ n: number }>(
    `SELECT count(DISTINCT d.platform_id)::int AS n FROM provisions p JOIN provision_texts t ON t.id = p.current_text_id
     JOIN documents d ON d.id = p.document_id WHERE p.removed_version_id IS NULL AND t.analysed`,
  );
  const byType = new Map<string, PlatformClause[]>();
  for (const r of rows) {
    let list = byType.get(r.type_id);
    if (!list) byType.set(r.type_id, (list = []));
    list.push({
      platformId: Number(r.platform_id),
      slug: r.slug,
      name: r.name,
      severity: (SEVERITY_ORDER[Number(r.worst)] ?? null) as SeverityName | null,
      provisions: Number(r.n),
      example: { provisionId: Number(r.provision_id), severity: r.example_severity, score: Number(r.score) },
    });
  }
  return { analysedPlatforms: Number(m[0]?.n ?? 0), byType, builtAt: new Date() };
}

/**
 * Holds the latest Prevalence for a data generation; concurrent requests for a new generation share one
 * computation, and requests meanwhile keep the previous one only if none was ever built.
 */
export class PrevalenceCache {
  private value: Prevalence | undefined;
  private generation = '';
  private pending: Promise<Prevalence> | undefined;
  private pendingGeneration = '';

  constructor(private q: Queryable) {}

  async get(generation: string): Promise<Prevalence> {
    if (this.value && this.generation === generation) return this.value;
    if (this.pending && this.pendingGeneration === generation) return this.pending;
    this.pendingGeneration = generation;
    const p = computePrevalence(this.q).then((v) => {
      if (this.pendingGeneration === generation) {
        this.value = v;
        this.generation = generation;
        this.pending = undefined;
      }
      return v;
    });
    this.pending = p;
    p.catch(() => {
      if (this.pending === p) this.pending = undefined;
    });
    return p;
  }
}
