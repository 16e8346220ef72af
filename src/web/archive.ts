// Links to independent archives of a source URL, for the pages. The Wayback Machine link itself is the
// evidence layer's (src/evidence/archive.ts); this only turns "not an archivable URL" into no link, and
// links the archive's list of all captures when no date is given. Recorded Save Page Now captures are
// shown through the evidence section (src/web/evidence-view.ts).
import { waybackUrl as evidenceWaybackUrl } from '../evidence/archive.ts';

/** The Wayback Machine's capture nearest to `at` (or its list of all captures when no date is given). */
export function waybackUrl(url: string, at?: Date | null): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  try {
    return at ? evidenceWaybackUrl(url, at) : `https://web.archive.org/web/*/${url}`;
  } catch {
    return undefined;
  }
}
