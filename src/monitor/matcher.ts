// The matcher: material changes at the source that no matcher has seen yet are matched against every
// watchlist, and each match gets one pending delivery per active channel of its owner. The versions'
// "scanned" marks, the matches and the deliveries are written in one transaction, and unique keys make
// every insert idempotent: two matchers running at once, or a crash half-way, never lose or double an alert.
import type { Db, Queryable } from '../store/db.ts';
import type { MonitorConfig } from './config.ts';
import { WatchlistIndex, worseSeverity, type MaterialChange, type Severity, type WatchlistRule, type MinSeverity } from './match.ts';
import { clauseTaxonomy } from './watchlists.ts';

export interface MatchRunSummary {
  versions: number;
  matches: number;
  deliveries: number;
}

/** When a daily batch made at `now` is due: today's sending hour (UTC) if still ahead, else tomorrow's. */
export function nextDaily(now: Date, hour: number): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour));
  if (d <= now) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

export async function loadWatchlistRules(q: Queryable): Promise<WatchlistRule[]> {
  const rows = await q.query<{ id: number; user_id: number; platform_ids: number[]; clause_types: string[]; categories: string[]; min_severity: MinSeverity; created_at: Date }>(
    `SELECT w.id, w.user_id, w.platform_ids, w.clause_types, w.categories, w.min_severity, w.created_at
     FROM watchlists w JOIN users u ON u.id = w.user_id WHERE w.deleted_at IS NULL AND u.disabled_at IS NULL`,
  );
  return rows.map((r) => ({ id: Number(r.id), userId: Number(r.user_id), platformIds: r.platform_ids.map(Number), clauseTypes: r.clause_types, categories: r.categories, minSeverity: r.min_severity, createdAt: r.created_at }));
}

/** Material changes of these versions, with each material provision change's types and worse severity. */
export async function loadMaterialChanges(q: Queryable, versions: { version_id: number; platform_id: number; analysed_at: Date }[]): Promise<MaterialChange[]> {
  if (!versions.length) return [];
  const rows = await q.query<{ id: number; version_id: number; types: string[]; before_severity: Severity | null; after_severity: Severity | null }>(
    `SELECT c.id, c.version_id, c.types, b.severity AS before_severity, a.severity AS after_severity
     FROM provision_changes c
     LEFT JOIN provision_texts b ON b.id = c.before_text_id
     LEFT JOIN provision_texts a ON a.id = c.after_text_id
     WHERE c.version_id = ANY($1::int[]) AND c.material ORDER BY c.version_id, c.ordinal`,
    [versions.map((v) => v.version_id)],
  );
  const byVersion = new Map<number, MaterialChange>();
  for (const v of versions) byVersion.set(Number(v.version_id), { versionId: Number(v.version_id), platformId: Number(v.platform_id), analysedAt: v.analysed_at, changes: [] });
  for (const r of rows) byVersion.get(Number(r.version_id))!.changes.push({ id: Number(r.id), types: r.types, severity: worseSeverity(r.before_severity, r.after_severity) });
  return [...byVersion.values()];
}

export async function matchAlerts(db: Db, cfg: MonitorConfig, opts: { batch?: number; now?: Date } = {}): Promise<MatchRunSummary> {
  const batch = opts.batch ?? 500;
  const total: MatchRunSummary = { versions: 0, matches: 0, deliveries: 0 };
  const tax = clauseTaxonomy();
  const index = new WatchlistIndex(await loadWatchlistRules(db), (t) => tax.byId.get(t)?.category);
  for (;;) {
    const versions = await db.query<{ version_id: number; platform_id: number; analysed_at: Date; recorded_at: Date }>(
      `SELECT va.version_id, d.platform_id, va.analysed_at, v.recorded_at FROM version_analysis va
       JOIN documents d ON d.id = va.document_id JOIN versions v ON v.id = va.version_id
       WHERE va.material AND va.source_change AND va.status = 'analysed'
         AND NOT EXISTS (SELECT 1 FROM alert_scanned_versions s WHERE s.version_id = va.version_id)
       ORDER BY va.version_id LIMIT $1`,
      [batch],
    );
    if (!versions.length) break;
    const changes = await loadMaterialChanges(db, versions);
    // A version recorded long before it was analysed comes from an import of history, not from tracking:
    // it is marked scanned but alerts nobody.
    const maxAgeMs = cfg.maxAgeDays * 86_400_000;
    const recordedAt = new Map(versions.map((v) => [Number(v.version_id), v.recorded_at]));
    const fresh = (c: MaterialChange) => !maxAgeMs || c.analysedAt.getTime() - recordedAt.get(c.versionId)!.getTime() <= maxAgeMs;
    const matches = changes.filter(fresh).flatMap((c) => index.match(c));
    const now = opts.now ?? new Date();
    const daily = nextDaily(now, cfg.dailyHour);
    const r = await db.transaction(async (tx) => {
      // Claim the versions first: a concurrent matcher that claimed one already makes this insert skip it.
      const counts = new Map<number, number>();
      for (const m of matches) counts.set(m.versionId, (counts.get(m.versionId) ?? 0) + 1);
      const claimed = await tx.query<{ version_id: number }>(
        `INSERT INTO alert_scanned_versions (version_id, matches) SELECT * FROM unnest($1::int[], $2::int[])
         ON CONFLICT (version_id) DO NOTHING RETURNING version_id`,
        [changes.map((c) => c.versionId), changes.map((c) => counts.get(c.versionId) ?? 0)],
      );
      const mine = new Set(claimed.map((c) => Number(c.version_id)));
      const rows = matches.filter((m) => mine.has(m.versionId)).map((m) => ({ w: m.watchlistId, u: m.userId, v: m.versionId, s: m.severity, t: m.types, p: m.provisionChangeIds }));
      if (!rows.length) return { versions: mine.size, matches: 0, deliveries: 0 };
      const inserted = await tx.query<{ id: number }>(
        `INSERT INTO alert_matches (watchlist_id, user_id, version_id, severity, types, provision_change_ids)
         SELECT x.w, x.u, x.v, x.s, ARRAY(SELECT jsonb_array_elements_text(x.t)), ARRAY(SELECT jsonb_array_elements_text(x.p)::int)
         FROM jsonb_to_recordset($1::jsonb) AS x(w int, u int, v int, s text, t jsonb, p jsonb)
         ON CONFLICT (watchlist_id, version_id) DO NOTHING RETURNING id`,
        [JSON.stringify(rows)],
      );
      const deliveries = await tx.query<{ id: number }>(
        `INSERT INTO alert_deliveries (match_id, user_id, channel_id, status, due_at)
         SELECT m.id, m.user_id, c.id, 'pending', CASE WHEN w.mode = 'daily' THEN $2::timestamptz ELSE $3::timestamptz END
         FROM alert_matches m JOIN watchlists w ON w.id = m.watchlist_id AND w.deleted_at IS NULL
         JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
         JOIN channels c ON c.user_id = m.user_id AND c.active AND c.deleted_at IS NULL
           AND (c.kind <> 'email' OR u.email_confirmed_at IS NOT NULL) -- never to an address not yet proven
         WHERE m.id = ANY($1::int[])
         ON CONFLICT (match_id, channel_id) DO NOTHING RETURNING id`,
        [inserted.map((i) => Number(i.id)), daily, now],
      );
      return { versions: mine.size, matches: inserted.length, deliveries: deliveries.length };
    });
    total.versions += r.versions;
    total.matches += r.matches;
    total.deliveries += r.deliveries;
    if (versions.length < batch) break;
  }
  return total;
}
