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

// What prevalence depends on: new provision texts, analysed versions (which also mark provisions removed)
// and platform recomputations. Captures that record nothing new leave it alone. (An SQL expression: the
// response cache reads it in its generation query.)
export const ANALYSIS_GENERATION = `concat_ws('.', (SELECT last_value FROM provision_texts_id_seq), (SELECT count(*) FROM version_analysis),
  (SELECT extract(epoch FROM max(computed_at)) FROM platform_analysis))`;

/**
 * Holds the Prevalence of the current analysis generation. Only the first computation is waited for:
 * after that, a new generation is computed in the background while requests keep the previous one
 * (seconds old at most), so no request ever pays for the aggregate. A page always takes its count and its
 * list of platforms from one Prevalence, so the two agree.
 */
export class PrevalenceCache {
  private value: Prevalence | undefined;
  private generation = '';
  private pending: Promise<Prevalence> | undefined;

  /** `generation`: the current analysis generation (the response cache reads it with the data's generation). */
  constructor(
    private q: Queryable,
    private opts: { generation: () => Promise<string>; onError?: (e: Error) => void },
  ) {}

  /** Whether the prevalence requests get now was computed for this analysis generation. */
  isFor(analysisGeneration: string): boolean {
    return this.value !== undefined && this.generation === analysisGeneration;
  }

  /** The prevalence of the current generation, waiting for its computation if it is under way. */
  async settled(): Promise<Prevalence> {
    for (;;) {
      const g = await this.opts.generation();
      if (this.value && g === this.generation) return this.value;
      // A computation already under way may be of an older generation: wait for it, then look again.
      await this.compute(g);
    }
  }

  private compute(generation: string): Promise<Prevalence> {
    this.pending ??= computePrevalence(this.q)
      .then((v) => {
        this.value = v;
        this.generation = generation;
        return v;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  async get(): Promise<Prevalence> {
    const g = await this.opts.generation();
    if (this.value && g === this.generation) return this.value;
    if (!this.value) return this.compute(g);
    if (!this.pending) this.compute(g).catch((e: Error) => this.opts.onError?.(e));
    return this.value;
  }
}
