// Which watchlists a material change concerns. Pure: the matcher loads the rows, this decides.
// A watchlist matches a change when the change's platform is one it monitors and at least one material
// provision change has a clause type it names (any type, when it names none) at or above its severity.

export type Severity = 'high' | 'medium' | 'low' | 'positive';
export type MinSeverity = 'any' | 'low' | 'medium' | 'high';
export const MIN_SEVERITIES: MinSeverity[] = ['any', 'low', 'medium', 'high'];

const RANK: Record<string, number> = { positive: 0, low: 1, medium: 2, high: 3 };
const MIN_RANK: Record<MinSeverity, number> = { any: -1, low: 1, medium: 2, high: 3 };

export interface MaterialProvisionChange {
  id: number;
  types: string[];
  /** The worse severity of the before and after texts; null when neither has a clause type. */
  severity: Severity | null;
}

export interface MaterialChange {
  versionId: number;
  platformId: number;
  analysedAt: Date;
  changes: MaterialProvisionChange[];
}

export interface WatchlistRule {
  id: number;
  userId: number;
  platformIds: number[];
  clauseTypes: string[];
  categories: string[];
  minSeverity: MinSeverity;
  createdAt: Date;
}

export interface Match {
  watchlistId: number;
  userId: number;
  versionId: number;
  severity: Severity | 'none';
  types: string[];
  provisionChangeIds: number[];
}

export function worseSeverity(a: Severity | null, b: Severity | null): Severity | null {
  if (!a) return b;
  if (!b) return a;
  return RANK[a]! >= RANK[b]! ? a : b;
}

/** Watchlists indexed by platform, built once per matching run. */
export class WatchlistIndex {
  private byPlatform = new Map<number, WatchlistRule[]>();
  constructor(
    rules: WatchlistRule[],
    private categoryOf: (type: string) => string | undefined,
  ) {
    for (const r of rules) {
      for (const p of new Set(r.platformIds)) {
        let list = this.byPlatform.get(p);
        if (!list) this.byPlatform.set(p, (list = []));
        list.push(r);
      }
    }
  }

  match(change: MaterialChange): Match[] {
    const out: Match[] = [];
    for (const w of this.byPlatform.get(change.platformId) ?? []) {
      // A watchlist hears of changes analysed after it was created, not of the archive's past.
      if (change.analysedAt < w.createdAt) continue;
      const m = matchOne(w, change, this.categoryOf);
      if (m) out.push(m);
    }
    return out;
  }
}

export function matchOne(w: WatchlistRule, change: MaterialChange, categoryOf: (type: string) => string | undefined): Match | undefined {
  const anyType = w.clauseTypes.length === 0 && w.categories.length === 0;
  const min = MIN_RANK[w.minSeverity];
  const types = new Set<string>();
  const ids: number[] = [];
  let severity: Severity | null = null;
  for (const c of change.changes) {
    if (min >= 0 && (!c.severity || RANK[c.severity]! < min)) continue;
    const hit = anyType ? c.types : c.types.filter((t) => w.clauseTypes.includes(t) || w.categories.includes(categoryOf(t) ?? ''));
    if (!anyType && hit.length === 0) continue;
    ids.push(c.id);
    for (const t of hit) types.add(t);
    severity = worseSeverity(severity, c.severity);
  }
  if (!ids.length) return undefined;
  return { watchlistId: w.id, userId: w.userId, versionId: change.versionId, severity: severity ?? 'none', types: [...types].sort(), provisionChangeIds: ids };
}
