// Document page: the document record (ids, hashes, where it comes from, when verified), the versions
// timeline, and a form to compare any two versions.
import { html, safeUrl, type Html } from '../html.ts';
import { paths } from '../paths.ts';
import { page, type Crumb } from './layout.ts';
import { externalLink, facts, lines, recordCode } from './components.ts';
import { bytes, isoMinute, kindLabel, outcomeLabel, plural, shortSha, time, typeTitle } from '../format.ts';
import { recordId } from '../../domain/record-id.ts';
import { waybackUrl } from '../archive.ts';
import type { DocumentDetail, DocumentIdentity } from '../read/documents.ts';
import type { VersionRow } from '../../record/queries.ts';

export function docCrumbs(d: DocumentIdentity, last?: string): Crumb[] {
  const crumbs: Crumb[] = [
    { label: 'Home', href: paths.home() },
    { label: d.platform_name, href: paths.platform(d.platform_slug) },
  ];
  if (last) crumbs.push({ label: d.name, href: paths.document(d.platform_slug, d.key) }, { label: last });
  else crumbs.push({ label: d.name });
  return crumbs;
}

function versionOption(v: VersionRow, selected: boolean): Html {
  return html`<option value="${recordId('version', v.id)}"${selected ? html` selected` : ''}>${isoMinute(v.recorded_at)} · ${recordId('version', v.id)} · ${kindLabel(v.kind)}</option>`;
}

export function compareForm(d: DocumentIdentity, versions: VersionRow[], chosen: { from?: number; to?: number; view?: string }): Html {
  if (versions.length < 2) return html`<p class="empty">Only one version so far: nothing to compare yet.</p>`;
  const newestFirst = [...versions].reverse();
  const to = chosen.to ?? versions[versions.length - 1]!.id;
  const from = chosen.from ?? versions[versions.length - 2]!.id;
  return html`<form class="compare" method="get" action="${paths.document(d.platform_slug, d.key)}/diff">
    <fieldset><legend>Compare two versions</legend>
    <p class="field"><label for="cmp-from">From</label>
      <select id="cmp-from" name="from">${newestFirst.map((v) => versionOption(v, v.id === from))}</select></p>
    <p class="field"><label for="cmp-to">To</label>
      <select id="cmp-to" name="to">${newestFirst.map((v) => versionOption(v, v.id === to))}</select></p>
    <fieldset class="radios"><legend>Layout</legend>
      <label><input type="radio" name="view" value="side"${chosen.view !== 'inline' ? html` checked` : ''}> Side by side</label>
      <label><input type="radio" name="view" value="inline"${chosen.view === 'inline' ? html` checked` : ''}> Inline</label>
    </fieldset>
    <p class="field submit"><button type="submit">Compare</button></p>
    </fieldset>
  </form>`;
}

function timeline(d: DocumentIdentity, versions: VersionRow[]): Html {
  if (!versions.length) return html`<p class="empty">No version recorded yet.</p>`;
  const byId = new Map(versions.map((v) => [v.id, v]));
  return html`<div class="table-scroll"><table class="timeline">
    <caption>${plural(versions.length, 'version')}, newest first</caption>
    <thead><tr><th scope="col">Recorded</th><th scope="col">Record</th><th scope="col">What</th><th scope="col">Lines</th><th scope="col">Text SHA-256</th><th scope="col">Compare</th></tr></thead>
    <tbody>${[...versions].reverse().map(
      (v) => html`<tr class="kind-${v.kind}">
        <td>${time(v.recorded_at)}</td>
        <td><a href="${paths.version(v.id)}">${recordId('version', v.id)}</a></td>
        <td>${kindLabel(v.kind)}${v.returns_to_id && byId.has(v.returns_to_id) ? html` (<a href="${paths.version(v.returns_to_id)}">${recordId('version', v.returns_to_id)}</a>)` : ''}</td>
        <td>${v.kind === 'first' ? '' : lines(v.lines_added, v.lines_removed)}</td>
        <td><code class="sha" title="${v.text_sha256}">${shortSha(v.text_sha256)}…</code></td>
        <td>${v.previous_id ? html`<a href="${paths.diff(d.platform_slug, d.key, v.previous_id, v.id)}">with previous</a>` : ''}</td>
      </tr>`,
    )}</tbody></table></div>`;
}

export interface DocumentView extends DocumentDetail {
  /** Absolute origin of this site (scheme://host), for copy-paste verification commands. */
  origin: string;
  /** Sections contributed by later layers (provisions by severity, material changes), in order. */
  sections?: Html[];
}

export function documentRecord(v: DocumentView): Html {
  const d = v.document;
  const r = v.record;
  const current = v.versions[v.versions.length - 1];
  const sources = r.source_urls;
  return html`<section aria-labelledby="record-h" class="record">
    <h2 id="record-h">Document record</h2>
    ${facts([
      ['Record id', recordCode(recordId('document', d.id))],
      ['Platform', html`<a href="${paths.platform(d.platform_slug)}">${d.platform_name}</a> ${recordCode(recordId('platform', d.platform_id))}`],
      ['Type', typeTitle(d.type)],
      ['Source URL', sources.length ? html`${sources.map((u, i) => html`${i ? html`<br>` : ''}${externalLink(safeUrl(u), u)}`)}` : html`<span class="muted">not recorded (imported as text only)</span>`],
      ['Archived copies', sources.length ? html`${sources.map((u, i) => {
        const w = waybackUrl(u, current?.recorded_at);
        return w ? html`${i ? html`<br>` : ''}${externalLink(w, 'Wayback Machine, nearest to the current version')}` : '';
      })}` : ''],
      ['First tracked', time(r.first_tracked_at)],
      ['Last verified', r.last_verified_at ? html`${time(r.last_verified_at)} <span class="muted">(last capture that fetched the current text)</span>` : html`<span class="muted">never</span>`],
      ['Last capture', r.last_captured_at ? html`${time(r.last_captured_at)} · <span class="tag ${r.last_outcome === 'failed' ? 'bad' : r.last_outcome === 'suspect' ? 'warn' : 'ok'}">${outcomeLabel(r.last_outcome)}</span>${r.last_problem ? html` ${r.last_problem}: ${r.last_detail ?? ''}` : ''}` : ''],
      ['Captures', String(r.captures)],
      ['Current version', current ? html`<a href="${paths.version(current.id)}">${recordId('version', current.id)}</a>, recorded ${time(current.recorded_at)}` : ''],
      ['Current text SHA-256', current ? html`<code class="sha">${current.text_sha256}</code>` : ''],
      ['Latest snapshot', r.latest_snapshot
        ? html`<a href="${paths.snapshot(r.latest_snapshot.id)}">${recordId('snapshot', r.latest_snapshot.id)}</a>, fetched ${time(r.latest_snapshot.fetched_at)},
            ${r.latest_snapshot.media_type}, ${bytes(r.latest_snapshot.size)} · <a href="${paths.snapshotRaw(r.latest_snapshot.id)}" download>download the snapshot</a>`
        : html`<span class="muted">no snapshot stored (text-only import)</span>`],
      ['Snapshot SHA-256', r.latest_snapshot ? html`<code class="sha">${r.latest_snapshot.blob_sha256}</code>` : ''],
    ])}
    ${current ? html`<details class="verify"><summary>Check the hashes yourself</summary>
      <p>Every hash above can be recomputed from what this site serves. The current text:</p>
      <pre><code>curl -s ${v.origin}${paths.api.versionText(current.id)} | sha256sum</code></pre>
      <p>should print <code class="sha">${current.text_sha256}</code>.${r.latest_snapshot ? html` The latest snapshot, byte for byte as fetched:` : ''}</p>
      ${r.latest_snapshot ? html`<pre><code>curl -s ${v.origin}${paths.snapshotRaw(r.latest_snapshot.id)} | sha256sum</code></pre>
      <p>should print <code class="sha">${r.latest_snapshot.blob_sha256}</code>.</p>` : ''}
    </details>` : ''}
  </section>`;
}

export function documentPage(v: DocumentView): string {
  const d = v.document;
  const body = html`
  <header class="record-head">
    <p class="kicker"><a href="${paths.platform(d.platform_slug)}">${d.platform_name}</a> · ${typeTitle(d.type)}</p>
    <h1>${d.name}</h1>
    <p class="actions">
      ${v.versions.length ? html`<a href="${paths.version(v.versions[v.versions.length - 1]!.id)}">Read the current text</a> · ` : ''}
      <a href="${paths.documentPdf(d.platform_slug, d.key)}">PDF of this page</a> ·
      <a href="${paths.api.document(d.id)}">JSON</a>
    </p>
  </header>
  ${documentRecord(v)}
  ${v.sections ?? []}
  <section aria-labelledby="compare-h" class="no-print">
    <h2 id="compare-h">Compare versions</h2>
    ${compareForm(d, v.versions, {})}
  </section>
  <section aria-labelledby="versions-h">
    <h2 id="versions-h">Versions</h2>
    <p class="muted">A <em>change</em> is a new text at the source; a <em>return</em> is the text going back to an earlier version;
      a <em>re-extraction</em> re-reads an old snapshot with new rules and is not a change at the source.</p>
    ${timeline(d, v.versions)}
  </section>`;
  return page({
    title: `${d.name} — ${d.platform_name}`,
    section: 'platforms',
    crumbs: docCrumbs(d),
    body,
    description: `${d.platform_name} ${d.name}: ${plural(v.versions.length, 'version')} with SHA-256, diffs and snapshots.`,
  });
}
