// Snapshot and capture records: the raw evidence behind versions, and the attempts that failed or were held.
import { html, safeUrl, type Html } from '../html.ts';
import { paths } from '../paths.ts';
import { page } from './layout.ts';
import { docCrumbs } from './document.ts';
import { externalLink, facts, recordCode } from './components.ts';
import { bytes, outcomeLabel, plural, time } from '../format.ts';
import { recordId } from '../../domain/record-id.ts';
import { waybackUrl } from '../archive.ts';
import type { DocumentIdentity } from '../read/documents.ts';
import type { SnapshotSummary } from '../read/versions.ts';
import type { CaptureDetail } from '../read/status.ts';

export function snapshotPage(v: { snapshot: SnapshotSummary & { version_id: number | null; captured_at: Date }; document: DocumentIdentity; origin: string; sections?: Html[] }): string {
  const s = v.snapshot;
  const rid = recordId('snapshot', s.id);
  const wb = waybackUrl(s.url, s.fetched_at);
  const body = html`
  <header class="record-head">
    <p class="kicker"><a href="${paths.platform(v.document.platform_slug)}">${v.document.platform_name}</a> · <a href="${paths.document(v.document.platform_slug, v.document.key)}">${v.document.name}</a></p>
    <h1>Snapshot ${rid}</h1>
    <p class="actions"><a href="${paths.snapshotRaw(s.id)}" download>Download the bytes as fetched</a> · <a href="${paths.api.snapshot(s.id)}">JSON</a></p>
  </header>
  <section aria-labelledby="meta-h" class="record">
    <h2 id="meta-h">Snapshot record</h2>
    ${facts([
      ['Record id', recordCode(rid)],
      ['Fetched', time(s.fetched_at)],
      ['URL', externalLink(safeUrl(s.url), s.url)],
      ['Final URL', s.final_url && s.final_url !== s.url ? externalLink(safeUrl(s.final_url), s.final_url) : ''],
      ['Archived copy', wb ? externalLink(wb, 'Wayback Machine, nearest to this date') : ''],
      ['Media type', s.media_type],
      ['HTTP status', s.http_status ? String(s.http_status) : ''],
      ['Fetcher', s.fetcher],
      ['Size', bytes(s.size)],
      ['SHA-256', html`<code class="sha">${s.blob_sha256}</code>`],
      ['Page', s.page_index ? `page ${s.page_index + 1} of a multi-page document` : ''],
      ['Capture', html`<a href="${paths.capture(s.capture_id)}">${recordId('capture', s.capture_id)}</a> · ${outcomeLabel(s.outcome)}`],
      ['Version', s.version_id ? html`<a href="${paths.version(s.version_id)}">${recordId('version', s.version_id)}</a>` : html`<span class="muted">none (this capture recorded no version)</span>`],
    ])}
    <details class="verify" open><summary>Check the hash yourself</summary>
      <pre><code>curl -s ${v.origin}${paths.snapshotRaw(s.id)} | sha256sum</code></pre>
      <p>should print <code class="sha">${s.blob_sha256}</code>. The download is the exact bytes that were fetched (stored compressed, served decompressed).</p>
    </details>
  </section>
  ${v.sections ?? []}`;
  return page({ title: `Snapshot ${rid}`, section: 'platforms', crumbs: docCrumbs(v.document, rid), body });
}

export function capturePage(v: { capture: CaptureDetail; document: DocumentIdentity; snapshots: SnapshotSummary[]; textPreview: string | null }): string {
  const c = v.capture;
  const rid = recordId('capture', c.capture_id);
  const body = html`
  <header class="record-head">
    <p class="kicker"><a href="${paths.platform(v.document.platform_slug)}">${v.document.platform_name}</a> · <a href="${paths.document(v.document.platform_slug, v.document.key)}">${v.document.name}</a></p>
    <h1>Capture ${rid}: ${outcomeLabel(c.outcome)}</h1>
  </header>
  <section aria-labelledby="meta-h" class="record">
    <h2 id="meta-h">Capture record</h2>
    ${facts([
      ['Record id', recordCode(rid)],
      ['When', time(c.captured_at)],
      ['Outcome', html`<span class="tag ${c.outcome === 'failed' ? 'bad' : c.outcome === 'suspect' ? 'warn' : 'ok'}">${outcomeLabel(c.outcome)}</span>`],
      ['Problem', c.problem_kind ? html`${c.problem_kind}${c.http_status ? html` (HTTP ${c.http_status})` : ''}` : ''],
      ['Detail', c.detail ?? ''],
      ['URL', c.url ? externalLink(safeUrl(c.url), c.url) : ''],
      ['Source', html`${c.origin}${c.origin_ref ? html` <code>${c.origin_ref}</code>` : ''}`],
      ['Version', c.version_id ? html`<a href="${paths.version(c.version_id)}">${recordId('version', c.version_id)}</a>` : ''],
      ['Text SHA-256', c.text_sha256 ? html`<code class="sha">${c.text_sha256}</code>` : ''],
    ])}
  </section>
  <section aria-labelledby="snap-h">
    <h2 id="snap-h">Snapshots</h2>
    ${v.snapshots.length
      ? html`<ul>${v.snapshots.map((s) => html`<li><a href="${paths.snapshot(s.id)}">${recordId('snapshot', s.id)}</a> · ${s.url} · ${bytes(s.size)} · <a href="${paths.snapshotRaw(s.id)}" download>download</a></li>`)}</ul>`
      : html`<p class="empty">No bytes were kept for this capture.</p>`}
  </section>
  ${v.textPreview !== null
    ? html`<section aria-labelledby="held-h">
        <h2 id="held-h">The text that was held back</h2>
        <p class="muted">A suspect extraction is stored for inspection and never recorded as a change${c.text_chars ? html` (${plural(c.text_chars, 'character')}; the first part is shown)` : ''}.</p>
        <pre class="held">${v.textPreview}</pre>
      </section>`
    : ''}`;
  return page({ title: `Capture ${rid}`, section: 'status', crumbs: docCrumbs(v.document, rid), body });
}
