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

interface Compiled {
  rule: WatchlistRule;
  types: Set<string>;
  categories: Set<string>;
}

const compile = (rule: WatchlistRule): Compiled => ({ rule, types: new Set(rule.clauseTypes), categories: new Set(rule.categories) });

/** Watchlists indexed by platform (their filters as sets), built once per matching run. */
export class WatchlistIndex {
  private byPlatform = new Map<number, Compiled[]>();
  constructor(
    rules: WatchlistRule[],
    private categoryOf: (type: string) => string | undefined,
  ) {
    for (const r of rules) {
      const c = compile(r);
      for (const p of new Set(r.platformIds)) {
        let list = this.byPlatform.get(p);
        if (!list) this.byPlatform.set(p, (list = []));
        list.push(c);
      }
    }
  }

  match(change: MaterialChange): Match[] {
    const out: Match[] = [];
    for (const c of this.byPlatform.get(change.platformId) ?? []) {
      // A watchlist hears of changes analysed after it was created, not of the archive's past.
      if (change.analysedAt < c.rule.createdAt) continue;
      const m = matchCompiled(c, change, this.categoryOf);
      if (m) out.push(m);
    }
    return out;
  }
}

export function matchOne(w: WatchlistRule, change: MaterialChange, categoryOf: (type: string) => string | undefined): Match | undefined {
  return matchCompiled(compile(w), change, categoryOf);
}

function matchCompiled(cw: Compiled, change: MaterialChange, categoryOf: (type: string) => string | undefined): Match | undefined {
  const w = cw.rule;
  const anyType = cw.types.size === 0 && cw.categories.size === 0;
  const min = MIN_RANK[w.minSeverity];
  let types: Set<string> | undefined;
  let ids: number[] | undefined;
  let severity: Severity | null = null;
  for (const c of change.changes) {
    if (min >= 0 && (!c.severity || RANK[c.severity]! < min)) continue;
    const hit = anyType ? c.types : c.types.filter((t) => cw.types.has(t) || cw.categories.has(categoryOf(t) ?? ''));
    if (!anyType && hit.length === 0) continue;
    (ids ??= []).push(c.id);
    types ??= new Set();
    for (const t of hit) types.add(t);
    severity = worseSeverity(severity, c.severity);
  }
  if (!ids || !types) return undefined;
  return { watchlistId: w.id, userId: w.userId, versionId: change.versionId, severity: severity ?? 'none', types: [...types].sort(), provisionChangeIds: ids };
}
