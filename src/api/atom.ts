// Atom (RFC 4287) feeds of changes: one for everything, one per platform. Built with the same escaping
// template as the pages (its escapes are valid XML, and it drops characters XML forbids).
import { html } from '../web/html.ts';
import { paths } from '../web/paths.ts';
import { recordId } from '../domain/record-id.ts';
import { kindLabel, typeTitle } from '../web/format.ts';
import type { ChangeRow } from '../web/read/changes.ts';

export function atomFeed(opts: { origin: string; title: string; selfPath: string; pagePath: string; changes: ChangeRow[]; updated: Date }): string {
  const abs = (p: string) => `${opts.origin}${p}`;
  const entries = opts.changes.map((c) => {
    const link = c.previous_id ? paths.diff(c.platform_slug, c.document_key, c.previous_id, c.id) : paths.version(c.id);
    const summary = `${c.platform_name} ${c.document_name} (${typeTitle(c.document_type)}): ${kindLabel(c.kind)}, +${c.lines_added} −${c.lines_removed} lines. Version ${recordId('version', c.id)}, text SHA-256 ${c.text_sha256}.`;
    return html`<entry>
    <id>${abs(paths.version(c.id))}</id>
    <title>${c.platform_name}: ${c.document_name} changed</title>
    <updated>${c.recorded_at.toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${abs(link)}"/>
    <link rel="related" type="text/html" href="${abs(paths.version(c.id))}"/>
    <category term="${c.document_type}" label="${typeTitle(c.document_type)}"/>
    <summary type="text">${summary}</summary>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>\n${html`<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${abs(opts.selfPath)}</id>
  <title>${opts.title}</title>
  <updated>${opts.updated.toISOString()}</updated>
  <author><name>Clausewatch</name></author>
  <generator>Clausewatch</generator>
  <link rel="self" type="application/atom+xml" href="${abs(opts.selfPath)}"/>
  <link rel="alternate" type="text/html" href="${abs(opts.pagePath)}"/>
  ${entries}
</feed>`}\n`;
}
