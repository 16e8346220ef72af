// Pages and page sections of the analysis layer other than the provision record: the platform's grade,
// AI-training matrix and provisions by severity; clause-type index and pages; search over provisions;
// the material-changes feed; and the platforms by grade on the home page.
import { html, type Html } from '../html.ts';
import { paths } from '../paths.ts';
import { page } from './layout.ts';
import { pager } from './components.ts';
import { plural, time, typeTitle } from '../format.ts';
import { recordId } from '../../domain/record-id.ts';
import { aiTrainingMatrix, clauseTitle, gradeBadge, monitorLink, optOutSteps, regulationsSection, severityBadge, severityLabel, taxonomy, typeOf } from './analysis.ts';
import { SEVERITY_ORDER, type PlatformClause, type SeverityName } from '../read/prevalence.ts';
import type { PlatformAnalysisRow, ProvisionExcerpt, SeverityProvision } from '../read/provisions.ts';
import type { AnalysisFilters, GradeRow, MaterialChangeRow, ProvisionSearch } from '../read/analysis-lists.ts';

// ---------------------------------------------------------------- platform page sections

export function platformAnalysisSections(v: { slug: string; name: string; analysis: PlatformAnalysisRow | undefined; bySeverity: { rows: SeverityProvision[]; counts: Record<SeverityName, number> } }): Html[] {
  const a = v.analysis;
  const grade = html`<section aria-labelledby="grade-h">
    <h2 id="grade-h">Grade</h2>
    ${a?.computed_at
      ? html`<p class="badges">${gradeBadge(a.grade)} <span>score ${a.score === null ? '–' : String(a.score)} / 100, computed ${time(a.computed_at)}${a.stale ? html` <span class="tag warn">being recomputed</span>` : ''}</span></p>
        <h3>Why this grade</h3>
        <ul>${(a.grade_reasons ?? []).map((r) => html`<li>${r}</li>`)}</ul>
        <p class="note">100 points, minus points for each clause type found at high, medium or low severity, plus points for protective clauses; AI training by default and recent material changes count too. <a href="${paths.clauseTypes()}">Clause types</a>.</p>`
      : html`<p class="empty">${v.name}'s documents have not been analysed yet.</p>`}
    <p class="actions">${monitorLink(v.slug, v.name)} · <a href="${paths.platformReport(v.slug)}">Platform report (PDF)</a> · <a href="${paths.api.platformAnalysis(v.slug)}">JSON</a></p>
  </section>`;
  const ai = html`<section aria-labelledby="ai-h">
    <h2 id="ai-h">AI training</h2>
    ${aiTrainingMatrix(a?.ai_training ?? null, v.name)}
    ${optOutSteps(a?.ai_training ?? null, v.name)}
  </section>`;
  const counts = v.bySeverity.counts;
  const sev = html`<section aria-labelledby="severity-h">
    <h2 id="severity-h">Provisions by severity</h2>
    ${v.bySeverity.rows.length
      ? html`<p>${SEVERITY_ORDER.map((s, i) => html`${i ? ' · ' : ''}<a href="${paths.provisions({ platform: v.slug, severity: s })}">${plural(counts[s], `${severityLabel(s).toLowerCase()} provision`)}</a>`)}</p>
      ${SEVERITY_ORDER.filter((s) => counts[s]).map(
        (s) => html`<details${s === 'high' ? html` open` : ''}><summary>${severityLabel(s)} (${String(counts[s])})</summary>
          <ul>${v.bySeverity.rows.filter((r) => r.severity === s).map((r) => html`<li><a href="${paths.provision(r.id)}">${r.type_id ? clauseTitle(r.type_id) : recordId('provision', r.id)}</a> <span class="muted">${r.document_name}</span>: “${r.excerpt.length >= 200 ? `${r.excerpt}…` : r.excerpt}”</li>`)}</ul>
          ${counts[s] > v.bySeverity.rows.filter((r) => r.severity === s).length ? html`<p><a href="${paths.provisions({ platform: v.slug, severity: s })}">All ${String(counts[s])}</a></p>` : ''}
        </details>`,
      )}`
      : html`<p class="empty">No provision with a clause type yet.</p>`}
  </section>`;
  return [grade, ai, sev];
}

// ---------------------------------------------------------------- home

export function gradesTable(rows: GradeRow[]): Html {
  if (!rows.length) return html`<p class="empty">No platform has been graded yet: grades appear once documents are analysed.</p>`;
  return html`<div class="table-scroll"><table class="grades">
    <caption>Platforms by grade, best first</caption>
    <thead><tr><th scope="col">Platform</th><th scope="col">Grade</th><th scope="col" class="num">Score</th><th scope="col">High-severity clause types</th><th scope="col">Trains AI on user data by default</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr><th scope="row"><a href="${paths.platform(r.slug)}">${r.name}</a></th><td>${gradeBadge(r.grade)}</td><td class="num">${r.score === null ? '–' : String(r.score)}</td>
        <td class="num">${String(r.clause_counts?.high ?? 0)}</td><td>${r.ai_on ? html`<span class="ai ai-on">yes, for some plans</span>` : html`<span class="muted">not stated</span>`}</td></tr>`,
    )}</tbody></table></div>`;
}

export function materialChangesTable(rows: MaterialChangeRow[], caption: string, showPlatform = true): Html {
  if (!rows.length) return html`<p class="empty">No material change recorded yet.</p>`;
  return html`<div class="table-scroll"><table class="changes">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">Recorded</th>${showPlatform ? html`<th scope="col">Platform</th>` : ''}<th scope="col">Document</th><th scope="col">What changed</th><th scope="col">Clause types</th><th scope="col">Record</th></tr></thead>
    <tbody>${rows.map(
      (c) => html`<tr>
        <td>${time(c.recorded_at, 'day')}</td>
        ${showPlatform ? html`<td><a href="${paths.platform(c.platform_slug)}">${c.platform_name}</a></td>` : ''}
        <td><a href="${paths.document(c.platform_slug, c.document_key)}">${c.document_name}</a></td>
        <td>${c.summary}${c.previous_id ? html` · <a href="${paths.diff(c.platform_slug, c.document_key, c.previous_id, c.id)}">diff</a>` : ''}</td>
        <td>${c.types.slice(0, 4).map((t, i) => html`${i ? ', ' : ''}<a href="${paths.clauseType(t)}">${clauseTitle(t)}</a>`)}${c.types.length > 4 ? ` +${c.types.length - 4}` : ''}</td>
        <td><a href="${paths.version(c.id)}">${recordId('version', c.id)}</a></td>
      </tr>`,
    )}</tbody></table></div>`;
}

// ---------------------------------------------------------------- filters

export interface AnalysisChoices {
  platforms: { slug: string; name: string }[];
  types: string[];
  jurisdictions: string[];
}

export function analysisFiltersForm(action: string, f: AnalysisFilters & { q?: string }, c: AnalysisChoices, opts: { withQuery: boolean; legend: string; severity?: boolean }): Html {
  const tax = taxonomy();
  const sel = (name: string, label: string, all: string, options: [string, string][], value: string | undefined) => html`<p class="field"><label for="f-${name}">${label}</label>
    <select id="f-${name}" name="${name}"><option value="">${all}</option>${options.map(([v, l]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${l}</option>`)}</select></p>`;
  return html`<form class="filters" method="get" action="${action}">
    <fieldset><legend>${opts.legend}</legend>
    ${opts.withQuery ? html`<p class="field grow"><label for="f-q">Words or "a phrase"</label><input id="f-q" name="q" type="search" value="${f.q ?? ''}" maxlength="500"></p>` : ''}
    ${sel('platform', 'Platform', 'All platforms', c.platforms.map((p) => [p.slug, p.name]), f.platform)}
    ${sel('clause_type', 'Clause type', 'All clause types', tax.types.map((t) => [t.id, t.title]), f.clause_type)}
    ${sel('category', 'Category', 'All categories', tax.categories.map((x) => [x.id, x.title]), f.category)}
    ${opts.severity !== false ? sel('severity', 'Severity', 'Any severity', SEVERITY_ORDER.map((s) => [s, severityLabel(s)]), f.severity) : ''}
    ${sel('jurisdiction', 'Jurisdiction', 'All jurisdictions', c.jurisdictions.map((j) => [j, j]), f.jurisdiction)}
    ${sel('type', 'Document type', 'All document types', c.types.map((t) => [t, typeTitle(t)]), f.type)}
    <p class="field"><label for="f-from">${opts.withQuery ? 'First seen from' : 'From'}</label><input id="f-from" name="from" type="date" value="${f.from ?? ''}"></p>
    <p class="field"><label for="f-to">To</label><input id="f-to" name="to" type="date" value="${f.to ?? ''}"></p>
    <p class="field submit"><button type="submit">${opts.withQuery ? 'Search' : 'Filter'}</button></p>
    </fieldset>
  </form>`;
}

// ---------------------------------------------------------------- search over provisions

export function provisionSearchPage(v: { filters: AnalysisFilters & { q?: string }; choices: AnalysisChoices; result: ProvisionSearch; page: number; pageSize: number; prev?: string; next?: string }): string {
  const r = v.result;
  const body = html`<h1>Search provisions</h1>
  <p class="lead">Full text over the current provisions of every analysed document, with their clause types and severity. To search every version's full text instead, use <a href="${paths.search(v.filters.q ? { q: v.filters.q } : {})}">document search</a>.</p>
  ${analysisFiltersForm(paths.provisions(), v.filters, v.choices, { withQuery: true, legend: 'Search and filter provisions' })}
  <section aria-labelledby="results-h">
    <h2 id="results-h">${plural(r.total, 'provision')}${v.filters.q ? html` matching “${v.filters.q}”` : ''}</h2>
    ${r.hits.length
      ? html`<ol class="results" start="${String((v.page - 1) * v.pageSize + 1)}">${r.hits.map(
          (h) => html`<li>
          <h3><a href="${paths.provision(h.id)}">${h.types[0] ? clauseTitle(h.types[0].id) : recordId('provision', h.id)}</a> ${severityBadge(h.severity)}</h3>
          <p class="muted"><a href="${paths.platform(h.platform_slug)}">${h.platform_name}</a> · <a href="${paths.document(h.platform_slug, h.document_key)}">${h.document_name}</a>${h.section.length ? ` · ${h.section.join(' › ')}` : ''} · ${recordId('provision', h.id)} · first seen ${time(h.first_seen, 'day')}</p>
          <blockquote><p>${h.excerpt.length >= 400 ? `${h.excerpt}…` : h.excerpt}</p></blockquote>
        </li>`,
        )}</ol>`
      : html`<p class="empty">Nothing found. Fewer words or filters may help.</p>`}
    ${pager(v.prev, v.next, 'Result pages')}
  </section>`;
  return page({ title: v.filters.q ? `Provisions: ${v.filters.q}` : 'Search provisions', section: 'search', crumbs: [{ label: 'Home', href: paths.home() }, { label: 'Provisions' }], body, query: v.filters.q });
}

// ---------------------------------------------------------------- material changes

export function materialChangesPage(v: { filters: AnalysisFilters; choices: AnalysisChoices; rows: MaterialChangeRow[]; next?: string; first: boolean }): string {
  const body = html`<h1>Material changes</h1>
  <p class="lead">Versions whose analysis found a change that matters (a provision added, removed or reworded; an AI-training fact changed), newest first. Cosmetic edits (dates, numbering, formatting) and re-extractions are left out. <a href="${paths.changes()}">Every change at the source</a> · <a href="${paths.feedMaterial()}">Atom feed</a></p>
  ${analysisFiltersForm(paths.materialChanges(), v.filters, v.choices, { withQuery: false, legend: 'Filter material changes' })}
  ${materialChangesTable(v.rows, 'Material changes, newest first')}
  ${pager(v.first ? undefined : paths.materialChanges({ ...v.filters }), v.next, 'Older material changes')}`;
  return page({ title: 'Material changes', section: 'changes', crumbs: [{ label: 'Home', href: paths.home() }, { label: 'Changes', href: paths.changes() }, { label: 'Material' }], feeds: [{ title: 'Material changes', href: paths.feedMaterial() }], body });
}

// ---------------------------------------------------------------- clause types

export function clauseTypesPage(v: { counts: Map<string, number>; of: number }): string {
  const tax = taxonomy();
  const body = html`<h1>Clause types</h1>
  <p class="lead">What the classifier looks for in every provision, by category, with how many of the ${plural(v.of, 'analysed platform')} have each.</p>
  ${tax.categories.map((c) => {
    const types = tax.types.filter((t) => t.category === c.id);
    if (!types.length) return '';
    return html`<section aria-labelledby="cat-${c.id}"><h2 id="cat-${c.id}">${c.title}</h2>
      <ul>${types.map((t) => html`<li><a href="${paths.clauseType(t.id)}">${t.title}</a> — ${severityBadge(t.defaultSeverity)} <span class="muted">found in ${String(v.counts.get(t.id) ?? 0)} of ${String(v.of)} platforms</span></li>`)}</ul></section>`;
  })}`;
  return page({ title: 'Clause types', section: 'platforms', crumbs: [{ label: 'Home', href: paths.home() }, { label: 'Clause types' }], body });
}

const HOW: Record<string, string> = {
  high: 'High severity: the clause works strongly against users',
  medium: 'Medium severity',
  low: 'Low severity',
  positive: 'Protects users',
  none: 'Mentioned without a severity',
};

export function clauseTypePage(v: { typeId: string; platforms: (PlatformClause & { excerpt?: ProvisionExcerpt })[]; of: number; aiDefaults?: Map<number, string> }): string {
  const t = typeOf(v.typeId)!;
  const cat = taxonomy().categories.find((c) => c.id === t.category);
  const groups = new Map<string, typeof v.platforms>();
  for (const p of v.platforms) {
    const k = p.severity ?? 'none';
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  const body = html`<header class="record-head">
    <p class="kicker">Clause type · ${cat?.title ?? t.category}</p>
    <h1>${t.title}</h1>
    <p class="badges">${severityBadge(t.defaultSeverity)} <span class="muted">(default severity)</span>
      <span class="prevalence">Found in <strong>${String(v.platforms.length)}</strong> of ${plural(v.of, 'analysed platform')}</span></p>
    <p><em>${t.question}</em></p>
    <p class="actions"><a href="${paths.feedClauseType(t.id)}">Atom feed of changes to these clauses</a> · <a href="${paths.provisions({ clause_type: t.id })}">Search these provisions</a> · <a href="${paths.api.clauseType(t.id)}">JSON</a></p>
  </header>
  <section aria-labelledby="impact-h"><h2 id="impact-h">What it means for you</h2><p>${t.consumerImpact}</p>
    ${t.actions.length ? html`<h3>What you can do</h3><ul>${t.actions.map((a) => html`<li>${a}</li>`)}</ul>` : ''}</section>
  <section aria-labelledby="platforms-h" class="groups">
    <h2 id="platforms-h">Platforms with this clause, by how they handle it</h2>
    ${v.platforms.length
      ? [...SEVERITY_ORDER, 'none'].filter((k) => groups.has(k)).map(
          (k) => html`<h3>${HOW[k]} (${String(groups.get(k)!.length)})</h3>
          <ul class="others">${groups.get(k)!.map(
            (p) => html`<li><h4><a href="${paths.platform(p.slug)}">${p.name}</a>${v.aiDefaults?.get(p.platformId) ? html` <span class="muted">· ${v.aiDefaults.get(p.platformId)}</span>` : ''}</h4>
            ${p.excerpt ? html`<blockquote><p>${p.excerpt.excerpt.length > 320 ? `${p.excerpt.excerpt.slice(0, 320)}…` : p.excerpt.excerpt}</p></blockquote>` : ''}
            <p class="muted"><a href="${paths.provision(p.example.provisionId)}">${recordId('provision', p.example.provisionId)}</a>${p.excerpt ? ` in ${p.excerpt.document_name}` : ''}; ${plural(p.provisions, 'provision')} of this type</p></li>`,
          )}</ul>`,
        )
      : html`<p class="empty">No tracked platform has this clause in its current documents.</p>`}
  </section>
  ${regulationsSection([t.id])}`;
  return page({ title: t.title, section: 'platforms', crumbs: [{ label: 'Home', href: paths.home() }, { label: 'Clause types', href: paths.clauseTypes() }, { label: t.title }], feeds: [{ title: `${t.title}: changes`, href: paths.feedClauseType(t.id) }], body });
}

// ---------------------------------------------------------------- version and document sections

export interface VersionAnalysisView {
  status: string;
  note: string | null;
  summary: string;
  material: boolean | null;
  sourceChange: boolean;
  provisions: number;
  typedProvisions: number;
  changes: { provision: string; kind: string; material: boolean; cosmeticReason: string | null; returned: boolean; summary: string }[];
}

/** The analysis of one version: its summary and every provision-level change, material or cosmetic (with why). */
export function versionAnalysisSection(a: VersionAnalysisView | undefined): Html {
  return html`<section aria-labelledby="analysis-h">
    <h2 id="analysis-h">Analysis</h2>
    ${!a
      ? html`<p class="empty">Not analysed yet.</p>`
      : html`<p>${a.material ? html`<span class="tag bad">material change</span> ` : a.material === false ? html`<span class="tag">no material change</span> ` : ''}${a.sourceChange ? '' : html`<span class="tag">re-extraction, not a change at the source</span> `}${a.summary}</p>
      <p class="muted">${plural(a.provisions, 'provision')}, ${plural(a.typedProvisions, 'with a clause type', 'with clause types')}${a.note ? ` · ${a.note}` : ''}.</p>
      ${a.changes.length
        ? html`<div class="table-scroll"><table class="provision-changes"><caption>Provision-level changes against the previous analysed version</caption>
          <thead><tr><th scope="col">Provision</th><th scope="col">Change</th><th scope="col">Material?</th><th scope="col">Summary</th></tr></thead>
          <tbody>${a.changes.map((c) => html`<tr><td><a href="${paths.record(c.provision)}">${c.provision}</a></td><td>${c.returned ? 'returned' : c.kind}</td>
            <td>${c.material ? html`<span class="tag bad">material</span>` : html`<span class="tag cosmetic">cosmetic${c.cosmeticReason ? `: ${c.cosmeticReason.replace(/-/g, ' ')}` : ''}</span>`}</td><td>${c.summary}</td></tr>`)}</tbody></table></div>`
        : ''}`}
  </section>`;
}

/** A document's current provisions that carry a clause type, worst first, linked to their records. */
export function documentProvisionsSection(slug: string, rows: { id: number; severity: SeverityName | null; type_id: string | null; excerpt: string }[], total: number): Html {
  return html`<section aria-labelledby="provisions-h">
    <h2 id="provisions-h">Provisions with a clause type</h2>
    ${rows.length
      ? html`<ul>${rows.map((r) => html`<li>${severityBadge(r.severity)} <a href="${paths.provision(r.id)}">${r.type_id ? clauseTitle(r.type_id) : recordId('provision', r.id)}</a>: “${r.excerpt.length >= 160 ? `${r.excerpt}…` : r.excerpt}”</li>`)}</ul>
        ${total > rows.length ? html`<p><a href="${paths.provisions({ platform: slug })}">All ${String(total)} of the platform's provisions</a></p>` : ''}`
      : html`<p class="empty">No provision with a clause type (not analysed yet, or another language).</p>`}
  </section>`;
}
