// Platform page: its documents, change activity (chart, last 30 days), recent changes and fetch problems.
import { html, type Html } from '../html.ts';
import { paths } from '../paths.ts';
import { page } from './layout.ts';
import { changesTable, externalLink, facts, problemsTable, recordCode } from './components.ts';
import { activityChart } from './chart.ts';
import { outcomeLabel, plural, time, typeTitle } from '../format.ts';
import { recordId } from '../../domain/record-id.ts';
import { safeUrl } from '../html.ts';
import type { ActivityMonth, DocumentSummary, PlatformSummary } from '../read/platforms.ts';
import type { ChangeRow } from '../read/changes.ts';
import type { ProblemRow } from '../read/status.ts';

export interface PlatformView {
  platform: PlatformSummary;
  documents: DocumentSummary[];
  activity: ActivityMonth[];
  span: { first: Date | null; last: Date | null };
  last30: number;
  recent: ChangeRow[];
  problems: ProblemRow[];
  recentProblems: ProblemRow[];
  /**
   * Sections contributed by later layers (grade and its reasons, the AI-training matrix, provisions by
   * severity): rendered right after the summary, before change activity and the documents, in order.
   */
  sections?: Html[];
}

function documentsTable(v: PlatformView): Html {
  if (!v.documents.length) return html`<p class="empty">No documents declared.</p>`;
  return html`<div class="table-scroll"><table class="documents">
    <caption>Documents of ${v.platform.name}</caption>
    <thead><tr><th scope="col">Document</th><th scope="col">Type</th><th scope="col" class="num">Versions</th><th scope="col" class="num">Changes</th><th scope="col">First tracked</th><th scope="col">Last change</th><th scope="col">Last capture</th></tr></thead>
    <tbody>${v.documents.map(
      (d) => html`<tr>
        <th scope="row"><a href="${paths.document(v.platform.slug, d.key)}">${d.name}</a></th>
        <td>${typeTitle(d.type)}</td>
        <td class="num">${d.versions}</td>
        <td class="num">${d.changes}</td>
        <td>${time(d.first_tracked_at, 'day')}</td>
        <td>${d.last_change_at ? time(d.last_change_at, 'day') : html`<span class="muted">none</span>`}</td>
        <td>${d.last_captured_at ? html`${time(d.last_captured_at, 'day')} <span class="tag ${d.last_outcome === 'failed' ? 'bad' : d.last_outcome === 'suspect' ? 'warn' : 'ok'}">${outcomeLabel(d.last_outcome)}</span>` : html`<span class="muted">never</span>`}</td>
      </tr>`,
    )}</tbody></table></div>`;
}

export function platformPage(v: PlatformView): string {
  const p = v.platform;
  const body = html`
  <header class="record-head">
    <h1>${p.name}</h1>
    ${facts([
      ['Record id', recordCode(recordId('platform', p.id))],
      ['Homepage', p.homepage ? externalLink(safeUrl(p.homepage), p.homepage) : ''],
      ['Jurisdictions', p.jurisdictions.join(', ')],
      ['Documents', String(p.documents)],
      ['Versions', String(p.versions)],
    ])}
    <p class="actions"><a href="${paths.feedPlatform(p.slug)}">Atom feed of ${p.name}'s changes</a> · <a href="${paths.api.platform(p.slug)}">JSON</a></p>
  </header>
  ${v.sections ?? []}
  <section aria-labelledby="activity-h">
    <h2 id="activity-h">Change activity</h2>
    <p class="stat"><strong>${plural(v.last30, 'change')}</strong> in the last 30 days${p.last_change_at ? html`; last change ${time(p.last_change_at, 'day')}` : ''}; ${plural(p.changes, 'change')} in all.</p>
    ${activityChart(v.activity, v.span, 'activity')}
  </section>
  <section aria-labelledby="documents-h">
    <h2 id="documents-h">Documents</h2>
    ${documentsTable(v)}
  </section>
  <section aria-labelledby="recent-h">
    <h2 id="recent-h">Recent changes</h2>
    ${changesTable(v.recent, { caption: `The latest changes to ${p.name}'s documents`, showPlatform: false })}
    ${v.recent.length ? html`<p><a href="${paths.changes({ platform: p.slug })}">All changes of ${p.name}</a></p>` : ''}
  </section>
  <section aria-labelledby="problems-h" id="problems">
    <h2 id="problems-h">Fetch problems</h2>
    <h3>Now</h3>
    ${problemsTable(v.problems, 'Documents whose last capture failed or was held as suspect', { showPlatform: false })}
    ${v.recentProblems.length ? html`<h3>Recently</h3>${problemsTable(v.recentProblems, 'Recent failed or suspect captures', { showPlatform: false })}` : ''}
  </section>`;
  return page({
    title: p.name,
    section: 'platforms',
    crumbs: [{ label: 'Home', href: paths.home() }, { label: 'Platforms', href: paths.platforms() }, { label: p.name }],
    feeds: [{ title: `${p.name}: changes`, href: paths.feedPlatform(p.slug) }],
    description: `${p.name}: ${plural(p.documents, 'tracked document')}, ${plural(p.versions, 'version')}.`,
    body,
  });
}
