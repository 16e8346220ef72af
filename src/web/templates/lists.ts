// Search results, the changes feed and the status page.
import { html, type Html } from '../html.ts';
import { paths } from '../paths.ts';
import { page } from './layout.ts';
import { changesTable, filtersForm, pager, problemsTable } from './components.ts';
import { plural, time, typeTitle } from '../format.ts';
import { recordId } from '../../domain/record-id.ts';
import type { SearchResult } from '../read/search.ts';
import type { ChangeRow } from '../read/changes.ts';
import type { ProblemRow } from '../read/status.ts';
import type { RecordFilters } from '../read/filters.ts';

export interface Choices {
  platforms: { slug: string; name: string }[];
  types: string[];
}

export function searchPage(v: { filters: RecordFilters & { q?: string }; choices: Choices; result?: SearchResult; page: number; pageSize: number; pending: number }): string {
  const r = v.result;
  let results: Html = html``;
  if (r) {
    const pages = Math.ceil(r.total / v.pageSize);
    const at = (n: number) => paths.search({ q: v.filters.q, platform: v.filters.platform, type: v.filters.type, from: v.filters.from, to: v.filters.to, page: n > 1 ? n : undefined });
    results = html`<section aria-labelledby="results-h">
      <h2 id="results-h">${r.total ? `${plural(r.total, 'document')} found` : 'Nothing found'}</h2>
      ${!r.terms.length && !r.total ? html`<p>The query holds only very common words, which are not indexed. Try more specific words.</p>` : ''}
      ${v.pending ? html`<p class="notice warn">${plural(v.pending, 'text')} recorded recently ${v.pending === 1 ? 'is' : 'are'} still being indexed; results may be incomplete for a moment.</p>` : ''}
      <ol class="results" start="${(v.page - 1) * v.pageSize + 1}">${r.hits.map(
        (h) => html`<li>
          <h3><a href="${paths.document(h.platform_slug, h.document_key)}">${h.platform_name}: ${h.document_name}</a></h3>
          <p class="meta">${typeTitle(h.document_type)} ·
            ${h.is_current ? html`the current text matches` : html`<strong>only earlier versions match</strong>`} ·
            best match <a href="${paths.version(h.version_id)}">${recordId('version', h.version_id)}</a> (${time(h.recorded_at, 'day')}) ·
            ${plural(h.matching_versions, 'matching version')}</p>
          <p class="snippet">${h.snippet.map((p) => (p.match ? html`<mark>${p.text}</mark>` : p.text))}</p>
        </li>`,
      )}</ol>
      ${pager(v.page > 1 ? at(v.page - 1) : undefined, v.page < pages ? at(v.page + 1) : undefined, 'Result pages')}
    </section>`;
  }
  const body = html`<h1>Search</h1>
    <p>Full text over every recorded version. Use quotes for a phrase, <code>or</code> for alternatives and <code>-word</code> to exclude a word.</p>
    ${filtersForm(paths.search(), v.filters, v.choices, { withQuery: true, legend: 'Search and filters' })}
    ${results}`;
  return page({ title: v.filters.q ? `Search: ${v.filters.q}` : 'Search', section: 'search', crumbs: [{ label: 'Home', href: paths.home() }, { label: 'Search' }], body, query: v.filters.q });
}

export function changesPage(v: { filters: RecordFilters; choices: Choices; rows: ChangeRow[]; next?: string; first: boolean }): string {
  const feed = v.filters.platform ? paths.feedPlatform(v.filters.platform) : paths.feedChanges();
  const body = html`<h1>Changes</h1>
    <p>Every change recorded at the source (a new text, or a return to an earlier one), newest first. First records and re-extractions are not listed.
      Only the ones that matter, with their clause types: <a href="${paths.materialChanges({ platform: v.filters.platform, from: v.filters.from, to: v.filters.to })}">material changes</a>.</p>
    ${filtersForm(paths.changes(), v.filters, v.choices, { legend: 'Filter changes' })}
    ${changesTable(v.rows, { caption: v.first ? 'Changes, newest first' : 'Changes, continued' })}
    ${pager(v.first ? undefined : paths.changes({ platform: v.filters.platform, type: v.filters.type, from: v.filters.from, to: v.filters.to }), v.next, 'Change pages')}
    <p><a href="${feed}">Atom feed</a> · <a href="${paths.api.changes()}">JSON</a></p>`;
  return page({ title: 'Changes', section: 'changes', crumbs: [{ label: 'Home', href: paths.home() }, { label: 'Changes' }], body, feeds: [{ title: 'Changes', href: feed }] });
}

export function statusPage(v: { current: ProblemRow[]; recent: ProblemRow[]; totals: { documents: number; captures: number } }): string {
  const body = html`<h1>Status</h1>
    <p>${plural(v.totals.documents, 'document')}, ${plural(v.totals.captures, 'capture')} in all. Fetch failures (timeouts, HTTP errors, bot walls, selectors that matched nothing…) never become versions;
      suspect extractions (error pages, redirect stubs, a sudden loss of most of the text) are held back for inspection and never recorded as changes.</p>
    <section aria-labelledby="now-h">
      <h2 id="now-h">Problems now</h2>
      ${problemsTable(v.current, 'Documents whose last capture failed or was held as suspect')}
    </section>
    <section aria-labelledby="recent-h">
      <h2 id="recent-h">Recent problems</h2>
      ${problemsTable(v.recent, 'The latest failed or suspect captures, newest first')}
    </section>`;
  return page({ title: 'Status', section: 'status', crumbs: [{ label: 'Home', href: paths.home() }, { label: 'Status' }], body });
}

export function errorPage(status: number, title: string, message: string): string {
  const body = html`<h1>${title}</h1><p class="error-message">${message}</p>
    <p><a href="${paths.home()}">Home</a> · <a href="${paths.search()}">Search</a></p>`;
  return page({ title, body });
}
