// Home: recent changes across platforms, search, the platforms — or, on an empty database, how to fill it.
import { html, type Html } from '../html.ts';
import { paths } from '../paths.ts';
import { page } from './layout.ts';
import { changesTable } from './components.ts';
import { plural, time } from '../format.ts';
import type { PlatformSummary, TrackingTotals } from '../read/platforms.ts';
import type { ChangeRow } from '../read/changes.ts';
import type { GradeRow, MaterialChangeRow } from '../read/analysis-lists.ts';
import { gradesTable, materialChangesTable } from './analysis-pages.ts';

export function platformsTable(platforms: PlatformSummary[], caption: string): Html {
  return html`<div class="table-scroll"><table class="platforms">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">Platform</th><th scope="col" class="num">Documents</th><th scope="col" class="num">Versions</th><th scope="col" class="num">Changes</th><th scope="col">Last change</th><th scope="col">Problems now</th></tr></thead>
    <tbody>${platforms.map(
      (p) => html`<tr>
        <th scope="row"><a href="${paths.platform(p.slug)}">${p.name}</a></th>
        <td class="num">${p.documents}</td>
        <td class="num">${p.versions}</td>
        <td class="num">${p.changes}</td>
        <td>${p.last_change_at ? time(p.last_change_at, 'day') : p.captures ? html`<span class="muted">none</span>` : html`<span class="muted">not tracked yet</span>`}</td>
        <td>${p.problems ? html`<a class="tag bad" href="${paths.platform(p.slug)}#problems">${plural(p.problems, 'document')}</a>` : html`<span class="muted">none</span>`}</td>
      </tr>`,
    )}</tbody></table></div>`;
}

export function emptyState(totals: TrackingTotals): Html {
  return html`<section class="notice" aria-labelledby="empty-h">
    <h2 id="empty-h">Nothing has been recorded yet</h2>
    <p>${totals.captures
      ? html`${plural(totals.captures, 'fetch attempt')} were made, and none produced a version: this machine may be offline.
        See <a href="${paths.status()}">the status page</a> for each problem.`
      : html`No document has been fetched yet.`}</p>
    <p>To see real histories now, import an Open Terms Archive dataset (a git repository or bundle), for example:</p>
    <pre><code>npx clausewatch import-ota ../shared/corpus/ota/pga-versions.bundle</code></pre>
    <p>or track the catalogue (${plural(totals.platforms, 'platform')} declared) when the machine is online:</p>
    <pre><code>npx clausewatch track</code></pre>
    <p>This page updates by itself once versions are recorded; reload it.</p>
  </section>`;
}

export function homePage(v: { totals: TrackingTotals; platforms: PlatformSummary[]; recent: ChangeRow[]; problems: number; material?: MaterialChangeRow[]; grades?: GradeRow[] }): string {
  const body = html`
  <h1>Legal documents of online platforms, every version kept</h1>
  <p class="lead">${plural(v.totals.documents, 'document')} of ${plural(v.totals.platforms, 'platform')};
    ${plural(v.totals.versions, 'version')} from ${plural(v.totals.captures, 'capture')} and ${plural(v.totals.snapshots, 'stored snapshot')}, each with its SHA-256.</p>
  <form class="big-search" role="search" method="get" action="${paths.search()}">
    <label for="home-q">Search every version of every document</label>
    <div class="row"><input id="home-q" name="q" type="search" placeholder="e.g. arbitration, &quot;train our models&quot;" maxlength="500" required>
    <button type="submit">Search</button></div>
  </form>
  ${v.totals.versions === 0 ? emptyState(v.totals) : ''}
  ${v.problems ? html`<p class="notice warn">${plural(v.problems, 'document')} had a fetch problem or a suspect capture at the last attempt: <a href="${paths.status()}">see status</a>.</p>` : ''}
  ${v.totals.versions
    ? html`<section aria-labelledby="material-h">
    <h2 id="material-h">Recent material changes</h2>
    ${materialChangesTable(v.material ?? [], 'Changes that matter, across platforms, newest first')}
    <p><a href="${paths.materialChanges()}">All material changes, with filters</a> · <a href="${paths.feedMaterial()}">Atom feed</a> · <a href="${paths.provisions()}">Search provisions</a> · <a href="${paths.clauseTypes()}">Clause types</a></p>
  </section>
  <section aria-labelledby="grades-h">
    <h2 id="grades-h">Platforms by grade</h2>
    ${gradesTable(v.grades ?? [])}
  </section>`
    : ''}
  <section aria-labelledby="recent-h">
    <h2 id="recent-h">Recent changes</h2>
    ${changesTable(v.recent, { caption: 'The latest changes recorded at the source, newest first' })}
    <p><a href="${paths.changes()}">All changes</a> · <a href="${paths.feedChanges()}">Atom feed</a></p>
  </section>
  <section aria-labelledby="platforms-h">
    <h2 id="platforms-h">Platforms</h2>
    ${v.platforms.length ? platformsTable(v.platforms, 'Platforms, with their tracked documents') : html`<p class="empty">No platform declared.</p>`}
  </section>`;
  return page({ title: 'Home', section: 'home', body, feeds: [{ title: 'All changes', href: paths.feedChanges() }], description: 'Every version of platforms\u2019 terms, privacy and AI-training policies, with SHA-256 evidence.' });
}

export function platformsPage(platforms: PlatformSummary[]): string {
  return page({
    title: 'Platforms',
    section: 'platforms',
    crumbs: [{ label: 'Home', href: paths.home() }, { label: 'Platforms' }],
    body: html`<h1>Platforms</h1>${platformsTable(platforms, `${platforms.length} platforms`)}`,
  });
}
