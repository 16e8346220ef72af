// Filters shared by the changes feed and search (platform, document type, date range), turned into SQL
// conditions with $n parameters. Values never enter the SQL text.

export interface RecordFilters {
  platform?: string;
  type?: string;
  /** Inclusive start day (UTC). */
  from?: string;
  /** Inclusive end day (UTC). */
  to?: string;
}

/** Appends conditions on p (platforms), d (documents) and v (versions) to `where`, pushing values to `params`. */
export function filterConditions(f: RecordFilters, params: unknown[], where: string[]): void {
  if (f.platform) {
    params.push(f.platform);
    where.push(`p.slug = $${params.length}`);
  }
  if (f.type) {
    params.push(f.type);
    where.push(`d.type = $${params.length}`);
  }
  dateRange('v.recorded_at', f, params, where);
}

/** Appends `column` within the days from..to (both inclusive, UTC) to `where`. `column` is always a literal of ours. */
export function dateRange(column: string, f: { from?: string; to?: string }, params: unknown[], where: string[]): void {
  if (f.from) {
    params.push(dayStart(f.from));
    where.push(`${column} >= $${params.length}`);
  }
  if (f.to) {
    const end = dayStart(f.to);
    end.setUTCDate(end.getUTCDate() + 1);
    params.push(end);
    where.push(`${column} < $${params.length}`);
  }
}

export function dayStart(day: string): Date {
  return new Date(`${day.slice(0, 10)}T00:00:00Z`);
}

/** Opaque keyset cursor over (time, id): stable under inserts, unlike offsets. */
export function encodeCursor(at: Date, id: number): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: number } | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\|(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) return undefined;
  const at = new Date(m[1]!);
  if (Number.isNaN(at.getTime())) return undefined;
  return { at, id: Number(m[2]) };
}

export const CHANGE_KINDS = ['change', 'return'] as const;
