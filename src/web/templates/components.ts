// Pieces several pages share: change lists, filter forms, pagers, problem tables, record metadata.
import { html, type Html, type Renderable } from '../html.ts';
import { paths } from '../paths.ts';
import { kindLabel, outcomeLabel, time, typeTitle } from '../format.ts';
import { recordId } from '../../domain/record-id.ts';
import type { ChangeRow } from '../read/changes.ts';
import type { ProblemRow } from '../read/status.ts';
import type { RecordFilters } from '../read/filters.ts';

export function lines(added: number, removed: number): Html {
  return html`<span class="delta"><span class="plus" title="lines added">+${added}</span> <span class="minus" title="lines removed">−${removed}</span></span>`;
}

export function recordCode(id: string): Html {
  return html`<code class="rid">${id}</code>`;
}

export function changesTable(rows: ChangeRow[], opts: { caption: string; showPlatform?: boolean }): Html {
  if (!rows.length) return html`<p class="empty">No changes recorded${opts.showPlatform === false ? ' for this platform' : ''} yet.</p>`;
  return html`<div class="table-scroll"><table class="changes">
    <caption>${opts.caption}</caption>
    <thead><tr><th scope="col">Recorded</th>${opts.showPlatform === false ? '' : html`<th scope="col">Platform</th>`}<th scope="col">Document</th><th scope="col">What</th><th scope="col">Lines</th><th scope="col">Record</th></tr></thead>
    <tbody>${rows.map(
      (c) => html`<tr>
        <td>${time(c.recorded_at)}</td>
        ${opts.showPlatform === false ? '' : html`<td><a href="${paths.platform(c.platform_slug)}">${c.platform_name}</a></td>`}
        <td><a href="${paths.document(c.platform_slug, c.document_key)}">${c.document_name}</a> <span class="muted">${typeTitle(c.document_type) === c.document_name ? '' : typeTitle(c.document_type)}</span></td>
        <td>${kindLabel(c.kind)}${c.previous_id ? html` · <a href="${paths.diff(c.platform_slug, c.document_key, c.previous_id, c.id)}">what changed</a>` : ''}</td>
        <td>${lines(c.lines_added, c.lines_removed)}</td>
        <td><a href="${paths.version(c.id)}">${recordId('version', c.id)}</a></td>
      </tr>`,
    )}</tbody></table></div>`;
}

export function filtersForm(action: string, f: RecordFilters & { q?: string }, choices: { platforms: { slug: string; name: string }[]; types: string[] }, opts: { withQuery?: boolean; legend: string }): Html {
  return html`<form class="filters" method="get" action="${action}">
    <fieldset><legend>${opts.legend}</legend>
    ${opts.withQuery ? html`<p class="field grow"><label for="f-q">Words or "a phrase"</label><input id="f-q" name="q" type="search" value="${f.q ?? ''}" maxlength="500" required></p>` : ''}
    <p class="field"><label for="f-platform">Platform</label>
      <select id="f-platform" name="platform"><option value="">All platforms</option>
      ${choices.platforms.map((p) => html`<option value="${p.slug}"${p.slug === f.platform ? html` selected` : ''}>${p.name}</option>`)}
      </select></p>
    <p class="field"><label for="f-type">Document type</label>
      <select id="f-type" name="type"><option value="">All types</option>
      ${choices.types.map((t) => html`<option value="${t}"${t === f.type ? html` selected` : ''}>${typeTitle(t)}</option>`)}
      </select></p>
    <p class="field"><label for="f-from">From</label><input id="f-from" name="from" type="date" value="${f.from ?? ''}"></p>
    <p class="field"><label for="f-to">To</label><input id="f-to" name="to" type="date" value="${f.to ?? ''}"></p>
    <p class="field submit"><button type="submit">${opts.withQuery ? 'Search' : 'Filter'}</button></p>
    </fieldset>
  </form>`;
}

export function pager(prev: string | undefined, next: string | undefined, label = 'Pages'): Html {
  if (!prev && !next) return html``;
  return html`<nav class="pager" aria-label="${label}">
    ${prev ? html`<a rel="prev" href="${prev}">← Newer</a>` : html`<span></span>`}
    ${next ? html`<a rel="next" href="${next}">Older →</a>` : ''}
  </nav>`;
}

export function problemsTable(rows: ProblemRow[], caption: string, opts: { showPlatform?: boolean } = {}): Html {
  if (!rows.length) return html`<p class="empty ok">No problems.</p>`;
  return html`<div class="table-scroll"><table class="problems">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">When</th>${opts.showPlatform === false ? '' : html`<th scope="col">Platform</th>`}<th scope="col">Document</th><th scope="col">Problem</th><th scope="col">Detail</th><th scope="col">Capture</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr>
        <td>${time(r.captured_at)}</td>
        ${opts.showPlatform === false ? '' : html`<td><a href="${paths.platform(r.platform_slug)}">${r.platform_name}</a></td>`}
        <td><a href="${paths.document(r.platform_slug, r.document_key)}">${r.document_name}</a></td>
        <td><span class="tag ${r.outcome === 'suspect' ? 'warn' : 'bad'}">${outcomeLabel(r.outcome)}</span> ${r.problem_kind ?? ''}${r.http_status ? html` (HTTP ${r.http_status})` : ''}</td>
        <td class="detail">${r.detail ?? ''}</td>
        <td><a href="${paths.capture(r.capture_id)}">${recordId('capture', r.capture_id)}</a></td>
      </tr>`,
    )}</tbody></table></div>`;
}

/** A description list of label → value, skipping empty values. */
export function facts(items: [string, Renderable][]): Html {
  return html`<dl class="facts">${items
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`;
}

export function externalLink(href: string | undefined, label: Renderable): Html {
  if (!href) return html`${label}`;
  return html`<a href="${href}" rel="nofollow noopener noreferrer">${label}<span class="visually-hidden"> (external site)</span></a>`;
}
