// Links to independent archives of a source URL. These are lookups the reader follows (the Wayback Machine
// redirects a timestamp to its nearest capture); nothing is fetched here. When the evidence layer publishes
// Memento/archive functions (src/evidence/), the recorded Save Page Now captures replace these lookups.

function waybackTimestamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The Wayback Machine's capture nearest to `at` (or its list of all captures when no date is given). */
export function waybackUrl(url: string, at?: Date | null): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  return at ? `https://web.archive.org/web/${waybackTimestamp(at)}/${url}` : `https://web.archive.org/web/*/${url}`;
}
