// Links to public web archives for what we captured: the Wayback Machine resolves
// https://web.archive.org/web/<YYYYMMDDhhmmss>/<url> to its capture nearest that time, so every
// snapshot has a link even when nobody asked the archive to capture it. Pure functions.

const WAYBACK = 'https://web.archive.org';

/** The 14-digit Wayback timestamp (UTC) of a date. */
export function waybackTimestamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('not a date');
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The date a 4–14 digit Wayback timestamp stands for (missing parts are the earliest). */
export function parseWaybackTimestamp(ts: string): Date | undefined {
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?$/.exec(ts);
  if (!m) return undefined;
  const [y, mo = '01', d = '01', h = '00', mi = '00', s = '00'] = m.slice(1) as string[];
  const date = new Date(Date.UTC(+y!, +mo - 1, +d, +h, +mi, +s));
  return Number.isNaN(date.getTime()) || waybackTimestamp(date).slice(0, ts.length) !== ts ? undefined : date;
}

/** The Wayback Machine link for url as it was at date. The URL is appended as is, as Wayback expects. */
export function waybackUrl(url: string, date: Date, base = WAYBACK): string {
  const u = new URL(url); // refuse what is not an absolute URL
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new RangeError(`the Wayback Machine archives http(s) URLs, not ${u.protocol}`);
  return `${base.replace(/\/+$/, '')}/web/${waybackTimestamp(date)}/${url}`;
}
