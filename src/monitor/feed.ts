// The Atom feed of one watchlist (its secret link is the only credential): its matched material changes.
import { html } from '../web/html.ts';
import { paths } from '../web/paths.ts';
import type { AlertView } from './history.ts';

export function watchlistFeed(opts: { origin: string; selfPath: string; name: string; alerts: AlertView[]; updated: Date }): string {
  const abs = (p: string) => `${opts.origin}${p}`;
  const entries = opts.alerts.map((a) => {
    const link = a.previousVersionId ? paths.diff(a.platform.slug, a.document.key, a.previousVersionId, a.versionId) : paths.version(a.versionId);
    return html`<entry>
    <id>${abs(paths.version(a.versionId))}#alert-${a.id}</id>
    <title>${a.platform.name}: ${a.document.name}: ${a.summary}</title>
    <updated>${a.detectedAt.toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${abs(link)}"/>
    <link rel="related" type="text/html" href="${abs(paths.version(a.versionId))}"/>
    ${a.types.map((t) => html`<category term="${t}"/>`)}
    <summary type="text">${a.summary} (severity ${a.severity}; version ${a.version}, recorded ${a.recordedAt.toISOString().slice(0, 10)})</summary>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>\n${html`<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${abs(opts.selfPath)}</id>
  <title>Clausewatch watchlist: ${opts.name}</title>
  <updated>${opts.updated.toISOString()}</updated>
  <author><name>Clausewatch</name></author>
  <link rel="self" type="application/atom+xml" href="${abs(opts.selfPath)}"/>
  ${entries}
</feed>`}\n`;
}
