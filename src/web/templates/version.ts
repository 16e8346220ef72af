// Version page: the text as recorded, its metadata and hashes, and the snapshots it was extracted from.
import { html, safeUrl, type Html } from '../html.ts';
import { paths } from '../paths.ts';
import { page } from './layout.ts';
import { docCrumbs } from './document.ts';
import { externalLink, facts, lines, recordCode } from './components.ts';
import { bytes, kindLabel, plural, time, typeTitle } from '../format.ts';
import { recordId } from '../../domain/record-id.ts';
import { renderMarkdown } from '../markdown.ts';
import { waybackUrl } from '../archive.ts';
import type { SnapshotSummary, VersionDetail } from '../read/versions.ts';

export function snapshotsTable(snaps: SnapshotSummary[], caption: string): Html {
  if (!snaps.length) return html`<p class="empty">No snapshot stored for this version: it was imported as text only.</p>`;
  return html`<div class="table-scroll"><table class="snapshots">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">Record</th><th scope="col">Fetched</th><th scope="col">URL</th><th scope="col">Type</th><th scope="col">Size</th><th scope="col">SHA-256</th><th scope="col">Bytes</th></tr></thead>
    <tbody>${snaps.map(
      (s) => html`<tr>
        <td><a href="${paths.snapshot(s.id)}">${recordId('snapshot', s.id)}</a></td>
        <td>${time(s.fetched_at)}</td>
        <td class="url">${externalLink(safeUrl(s.url), s.url)}</td>
        <td>${s.media_type}${s.http_status ? html` (HTTP ${s.http_status})` : ''}</td>
        <td class="num">${bytes(s.size)}</td>
        <td><code class="sha" title="${s.blob_sha256}">${s.blob_sha256.slice(0, 12)}…</code></td>
        <td><a href="${paths.snapshotRaw(s.id)}" download>download</a></td>
      </tr>`,
    )}</tbody></table></div>`;
}

export interface VersionView extends VersionDetail {
  origin: string;
  sections?: Html[];
}

export function versionPage(v: VersionView): string {
  const d = v.document;
  const ver = v.version;
  const rid = recordId('version', ver.id);
  const firstUrl = v.snapshots[0]?.url;
  const wb = firstUrl ? waybackUrl(firstUrl, ver.recorded_at) : undefined;
  const body = html`
  <header class="record-head">
    <p class="kicker"><a href="${paths.platform(d.platform_slug)}">${d.platform_name}</a> · <a href="${paths.document(d.platform_slug, d.key)}">${d.name}</a></p>
    <h1>${d.name} as recorded on ${time(ver.recorded_at, 'day')}</h1>
    <p class="actions">
      ${ver.previous_id ? html`<a href="${paths.diff(d.platform_slug, d.key, ver.previous_id, ver.id)}">What changed from the previous version</a> · ` : ''}
      <a href="${paths.versionPdf(ver.id)}">PDF</a> ·
      <a href="${paths.api.versionText(ver.id)}">Plain text</a> ·
      <a href="${paths.api.version(ver.id)}">JSON</a>
    </p>
  </header>
  <section aria-labelledby="meta-h" class="record">
    <h2 id="meta-h">Version record</h2>
    ${facts([
      ['Record id', recordCode(rid)],
      ['Document', html`<a href="${paths.document(d.platform_slug, d.key)}">${d.name}</a> ${recordCode(recordId('document', d.id))} · ${typeTitle(d.type)}`],
      ['Recorded', time(ver.recorded_at)],
      ['What', html`${kindLabel(ver.kind)}${ver.returns_to_id ? html`: the same text as <a href="${paths.version(ver.returns_to_id)}">${recordId('version', ver.returns_to_id)}</a>` : ''}`],
      ['Lines', ver.kind === 'first' ? '' : lines(ver.lines_added, ver.lines_removed)],
      ['Previous version', v.previous ? html`<a href="${paths.version(v.previous.id)}">${recordId('version', v.previous.id)}</a> (${time(v.previous.recorded_at, 'day')})` : html`<span class="muted">none: first record</span>`],
      ['Next version', v.next ? html`<a href="${paths.version(v.next.id)}">${recordId('version', v.next.id)}</a> (${time(v.next.recorded_at, 'day')})` : html`<span class="muted">none: this is the current text</span>`],
      ['Text SHA-256', html`<code class="sha">${ver.text_sha256}</code>`],
      ['Length', plural(v.chars, 'character')],
      ['Source', html`${ver.origin}${ver.origin_ref ? html` <code>${ver.origin_ref}</code>` : ''}`],
      ['Fetched by', v.confirmations.count ? html`${plural(v.confirmations.count, 'capture')} from ${time(v.confirmations.first_at)} to ${time(v.confirmations.last_at)}` : ''],
      ['Archived copy', wb ? externalLink(wb, 'Wayback Machine, nearest to this date') : ''],
    ])}
    <details class="verify"><summary>Check the hash yourself</summary>
      <pre><code>curl -s ${v.origin}${paths.api.versionText(ver.id)} | sha256sum</code></pre>
      <p>should print <code class="sha">${ver.text_sha256}</code>.</p>
    </details>
  </section>
  ${v.sections ?? []}
  <section aria-labelledby="snap-h">
    <h2 id="snap-h">Snapshots</h2>
    ${snapshotsTable(v.snapshots, 'The pages fetched by the capture that recorded this version')}
  </section>
  <section aria-labelledby="text-h">
    <h2 id="text-h">Text</h2>
    <p class="muted">As extracted and normalised to Markdown; formatting is rendered, links lead to the original targets.</p>
    <article class="doc-text" aria-labelledby="text-h">${renderMarkdown(v.text, 2)}</article>
  </section>`;
  return page({ title: `${d.name} — ${d.platform_name}, ${rid}`, section: 'platforms', crumbs: docCrumbs(d, rid), body });
}
