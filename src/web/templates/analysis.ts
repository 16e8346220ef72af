// Pieces of the analysis layer shared by provision, clause-type and platform pages: severity badges, the
// AI-training matrix with opt-out steps, regulations and agencies (with the reference's confirmed mark),
// and the grade.
import { html, safeUrl, type Html } from '../html.ts';
import { paths } from '../paths.ts';
import { externalLink } from './components.ts';
import type { SeverityName } from '../read/prevalence.ts';
import type { StoredAiTraining } from '../../analyse/store/platform.ts';
import { loadTaxonomy, regulationsConcerning, type ClauseType, type Taxonomy } from '../../analyse/taxonomy.ts';

export function taxonomy(): Taxonomy {
  return loadTaxonomy();
}

export function typeOf(id: string): ClauseType | undefined {
  return taxonomy().byId.get(id);
}

export function clauseTitle(id: string): string {
  return typeOf(id)?.title ?? id;
}

export function categoryTitle(typeId: string): string {
  const t = typeOf(typeId);
  return taxonomy().categories.find((c) => c.id === t?.category)?.title ?? t?.category ?? 'unknown category';
}

const SEVERITY_LABEL: Record<SeverityName, string> = { high: 'High severity', medium: 'Medium severity', low: 'Low severity', positive: 'Protects you' };

export function severityLabel(s: SeverityName | null): string {
  return s ? SEVERITY_LABEL[s] : 'No severity (no clause type found)';
}

export function severityBadge(s: SeverityName | null): Html {
  return html`<span class="sev sev-${s ?? 'none'}">${severityLabel(s)}</span>`;
}

const DEFAULT_LABEL: Record<string, string> = {
  on: 'Used for training by default',
  off: 'Not used for training by default',
  never: 'Never used for training',
  unstated: 'Not stated',
};
const SURFACE_LABEL: Record<string, string> = { web: 'Web', ios: 'iPhone / iPad app', android: 'Android app', api: 'API / developer console', other: 'Elsewhere' };
const EXCEPTION_LABEL: Record<string, string> = {
  feedback: 'Feedback you give (ratings, thumbs up/down) may still be used for training',
  'flagged-content': 'Content flagged by moderation or reported may still be used',
  'opt-in': 'Used when you opt in',
  'legal-obligation': 'Used where the law requires',
};

const evidenceLinks = (ids: string[]) => html`${ids.slice(0, 6).map((id, i) => html`${i ? ', ' : ''}<a href="${paths.record(id)}">${id}</a>`)}${ids.length > 6 ? ` and ${ids.length - 6} more` : ''}`;

/** Plan → default, opt-out, with the provisions each fact was read from. */
export function aiTrainingMatrix(ai: StoredAiTraining | null, platformName: string, idPrefix = 'ai'): Html {
  if (!ai || !ai.plans.length) return html`<p class="empty">No AI-training facts have been read from ${platformName}'s documents yet.</p>`;
  return html`<div class="table-scroll"><table class="ai-matrix">
    <caption>${platformName}: whether your data trains AI models, by plan</caption>
    <thead><tr><th scope="col">Plan</th><th scope="col">By default</th><th scope="col">Opt-out</th><th scope="col">Read from</th></tr></thead>
    <tbody>${ai.plans.map(
      (p) => html`<tr>
        <th scope="row">${p.plan === 'Other plans' ? html`Other plans <span class="muted">(not named by the documents)</span>` : p.plan}</th>
        <td><span class="ai ai-${p.default}">${DEFAULT_LABEL[p.default] ?? p.default}</span></td>
        <td>${p.optOut === true ? 'Available' : p.optOut === false ? 'Not available' : html`<span class="muted">not stated</span>`}</td>
        <td>${evidenceLinks(p.evidence)}</td>
      </tr>`,
    )}</tbody></table></div>
    ${ai.exceptions.length ? html`<h3 id="${idPrefix}-exceptions">Exceptions</h3><ul>${ai.exceptions.map((e) => html`<li>${EXCEPTION_LABEL[e.kind] ?? e.kind} (${evidenceLinks(e.evidence)})</li>`)}</ul>` : ''}`;
}

/** The platform's own steps to opt out, per surface (web, apps, API), each citing where they come from. */
export function optOutSteps(ai: StoredAiTraining | null, platformName: string, level: 3 | 4 = 3): Html {
  if (!ai?.optOutSteps.length) return html``;
  return html`${ai.optOutSteps.map((s) => {
    const h = html`How to opt out: ${SURFACE_LABEL[s.surface] ?? s.surface}`;
    return html`<div class="steps">
      ${level === 3 ? html`<h3>${h}</h3>` : html`<h4>${h}</h4>`}
      <ol>${s.steps.map((step) => html`<li>${step}</li>`)}</ol>
      <p class="muted">Steps as ${platformName} describes them (${evidenceLinks(s.evidence)}).</p>
    </div>`;
  })}`;
}

function mark(m: { confirmed: boolean; secondary: boolean }): Html {
  return html`${m.confirmed ? '' : html` <span class="tag warn" title="the regulations reference marks this unconfirmed">unconfirmed</span>`}${m.secondary ? html` <span class="tag" title="from a secondary source, not an official text">secondary source</span>` : ''}`;
}

/** Regulations that may apply to these clause types, and agencies with where to complain. Unconfirmed entries say so. */
export function regulationsSection(typeIds: string[], headingId = 'regulations-h'): Html {
  const tax = taxonomy();
  const { refs, regulators } = regulationsConcerning(tax, typeIds);
  if (!refs.size && !regulators.length) return html``;
  return html`<section aria-labelledby="${headingId}">
    <h2 id="${headingId}">Applicable regulations and agencies</h2>
    <p class="note">Reference, not legal advice: which laws may apply depends on where you live and on facts this page cannot know.
      Entries the regulations reference has not confirmed are marked <span class="tag warn">unconfirmed</span> and are not stated as fact.</p>
    <h3>Regulations</h3>
    <ul class="regs">${[...refs].map(([id, e]) => {
      const ins = tax.instrumentsById.get(id);
      if (!ins) return '';
      const arts = ins.articles.filter((a) => e.articles.has(a.id));
      const other = [...e.articles].filter((a) => !ins.articles.some((x) => x.id === a));
      return html`<li><strong>${ins.name}</strong> <span class="muted">(${ins.jurisdiction})</span>${mark(ins)}
        — ${e.relation === 'DR' ? 'directly regulates this kind of clause' : 'may be relevant'}
        ${arts.length || other.length ? html`<ul>${arts.map((a) => html`<li>${/^\d/.test(a.id) ? 'Art. ' : ''}${a.id}: ${a.confirmed ? a.summary : html`possibly: ${a.summary}`}${mark(a)}</li>`)}${other.map((a) => html`<li>${a}</li>`)}</ul>` : ''}</li>`;
    })}</ul>
    ${regulators.length
      ? html`<h3>Agencies and where to complain</h3>
    <ul class="regs">${regulators.map((id) => {
      const r = tax.regulatorsById.get(id);
      if (!r) return '';
      return html`<li><strong>${r.name}</strong> <span class="muted">(${r.jurisdiction})</span>${mark(r)}
        <p>${r.takes}</p>
        ${r.complaint.length ? html`<p>${r.complaint.map((c, i) => html`${i ? ' · ' : ''}${externalLink(safeUrl(c.url), r.complaint.length > 1 ? `File a complaint (${i + 1})` : 'File a complaint')}${c.confirmed ? '' : html` <span class="tag warn">address unconfirmed</span>`}`)}</p>` : ''}
        ${r.complaintNote ? html`<p class="muted">${r.complaintNote}</p>` : ''}</li>`;
    })}</ul>`
      : ''}
  </section>`;
}

export function gradeBadge(grade: string | null): Html {
  return grade ? html`<span class="grade grade-${grade}" aria-label="grade ${grade}">${grade}</span>` : html`<span class="muted">not graded yet</span>`;
}

export function monitorLink(slug: string, name: string): Html {
  return html`<a class="button" href="${paths.monitor(slug)}">Monitor ${name}</a>`;
}
