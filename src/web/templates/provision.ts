// The provision record page (CW-P-…): one analysed clause of one platform's document, everything a reader
// needs to understand it, act on it, compare it, check it and cite it. The provision text is untrusted
// (fetched): it reaches the page only through the escaping template and the safe Markdown renderer.
import { html, safeUrl, type Html } from '../html.ts';
import { paths } from '../paths.ts';
import { page } from './layout.ts';
import { externalLink, facts, recordCode } from './components.ts';
import { plural, time, typeTitle } from '../format.ts';
import { renderMarkdown } from '../markdown.ts';
import { recordId } from '../../domain/record-id.ts';
import { evidenceSection, citationSection, type EvidenceInfo } from '../evidence-view.ts';
import { aiTrainingMatrix, categoryTitle, clauseTitle, monitorLink, optOutSteps, regulationsSection, severityBadge, severityLabel, typeOf } from './analysis.ts';
import type { ProvisionChange, ProvisionExcerpt, ProvisionRow, PlatformAnalysisRow } from '../read/provisions.ts';
import type { PlatformClause } from '../read/prevalence.ts';
import type { TrackingRecord } from '../read/documents.ts';

export interface ProvisionView {
  p: ProvisionRow;
  tracking: TrackingRecord;
  /** When the document's latest version was recorded. */
  documentLastChanged?: Date | null;
  history: ProvisionChange[];
  platform: PlatformAnalysisRow | undefined;
  prevalence: {
    typeId: string | null;
    /** Platforms (this one included) with the provision's main clause type. */
    found: number;
    /** Platforms with analysed provisions. */
    of: number;
    others: (PlatformClause & { excerpt?: ProvisionExcerpt })[];
  };
  evidence: EvidenceInfo;
  citations: { format: string; label: string; text: string }[];
  archiveUrl?: string;
  origin: string;
}

const AI_TYPES = /^ai-/;

export function provisionTitle(p: Pick<ProvisionRow, 'types' | 'section' | 'body'>): string {
  const main = p.types[0];
  if (main) return clauseTitle(main.id);
  const where = p.section[p.section.length - 1];
  return where ? `Provision under “${where}”` : `Provision: “${p.body.split(/\s+/).slice(0, 8).join(' ')}…”`;
}

function shareLinks(url: string, title: string): Html {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  return html`<ul class="share" aria-label="Share this record">
    <li>${externalLink(`https://x.com/intent/post?url=${u}&text=${t}`, 'Share on X')}</li>
    <li>${externalLink(`https://www.linkedin.com/sharing/share-offsite/?url=${u}`, 'Share on LinkedIn')}</li>
    <li>${externalLink(`https://bsky.app/intent/compose?text=${t}%20${u}`, 'Share on Bluesky')}</li>
    <li><a href="${`mailto:?subject=${t}&body=${u}`}">Share by email</a></li>
  </ul>`;
}

function whatItIs(v: ProvisionView): Html {
  const { p } = v;
  const ai = v.platform?.ai_training;
  const isAi = p.types.some((t) => AI_TYPES.test(t.id));
  const plans = ai?.plans ?? [];
  const on = plans.filter((x) => x.default === 'on').map((x) => x.plan);
  const off = plans.filter((x) => x.default === 'off' || x.default === 'never').map((x) => x.plan);
  return html`<section aria-labelledby="what-h">
    <h2 id="what-h">What it is</h2>
    ${p.types.length
      ? html`<p>${v.p.platform_name}'s ${v.p.document_name} contains a clause of the type <strong>${clauseTitle(p.types[0]!.id)}</strong>${
          p.types.length > 1 ? html`, and also touches ${p.types.slice(1).map((t, i) => html`${i ? ', ' : ''}<a href="${paths.clauseType(t.id)}">${clauseTitle(t.id)}</a>`)}` : ''
        }. The question it answers: <em>${typeOf(p.types[0]!.id)?.question ?? ''}</em></p>`
      : html`<p>The classifier found no clause type in this provision; it is kept because it is part of the document and may be cited.</p>`}
    ${isAi && plans.length
      ? html`<p>Read together with ${v.p.platform_name}'s other documents:
          ${on.length ? html`data of <strong>${on.join(', ')}</strong> ${on.length === 1 ? 'is' : 'are'} used to train AI models by default` : 'no plan is said to be used for training by default'}${
            off.length ? html`; <strong>${off.join(', ')}</strong> ${off.length === 1 ? 'is' : 'are'} not` : ''
          }. The full matrix is below.</p>`
      : ''}
    <p class="note">An automated reading (classifier ${p.model ? html`<code>${p.model}</code>` : 'not run'}, ${time(p.classified_at, 'day')}) of what the document says, not a legal determination. Whether a clause is enforceable depends on the law where you live.${
      p.types[0] ? html` <a href="${paths.clauseType(p.types[0].id)}">About this clause type</a>.` : ''}</p>
  </section>`;
}

function whyItMatters(v: ProvisionView): Html {
  const { p } = v;
  const t = p.types[0] ? typeOf(p.types[0].id) : undefined;
  return html`<section aria-labelledby="why-h">
    <h2 id="why-h">Why it matters</h2>
    <p>${severityBadge(p.severity)}${t ? html` — clauses of this type ${t.polarity === 'protects' ? 'protect users' : t.polarity === 'harms' ? 'usually work against users' : 'are neutral on their own'} (the type's usual rating: ${severityLabel(t.defaultSeverity).toLowerCase()}).` : ''}</p>
    ${p.severity_reasons.length ? html`<ul>${p.severity_reasons.map((r) => html`<li>${r}</li>`)}</ul>` : ''}
    ${t ? html`<h3>Consumer impact</h3><p>${t.consumerImpact}</p>` : ''}
  </section>`;
}

function whatYouCanDo(v: ProvisionView): Html {
  const { p } = v;
  const typed = p.types.map((t) => typeOf(t.id)).filter((t) => t && t.actions.length);
  const ai = v.platform?.ai_training ?? null;
  const isAi = p.types.some((t) => AI_TYPES.test(t.id));
  if (!typed.length && !(isAi && ai?.optOutSteps.length)) return html``;
  return html`<section aria-labelledby="do-h">
    <h2 id="do-h">What you can do</h2>
    <p class="note">These steps may give you more control or transparency; they may not remove the clause's effect, and what works depends on where you live.</p>
    ${isAi ? optOutSteps(ai, p.platform_name) : ''}
    ${typed.map((t) => html`<h3>For “${t!.title}”</h3><ul>${t!.actions.map((a) => html`<li>${a}</li>`)}</ul>`)}
  </section>`;
}

function otherPlatforms(v: ProvisionView): Html {
  const { prevalence: pr, p } = v;
  if (!pr.typeId) return html``;
  const title = clauseTitle(pr.typeId);
  return html`<section aria-labelledby="others-h">
    <h2 id="others-h">How other platforms handle it</h2>
    ${pr.others.length
      ? html`<p>${plural(pr.others.length, 'other platform')} ${pr.others.length === 1 ? 'has' : 'have'} a clause of the type “${title}”; each is shown with its clearest provision.</p>
      <ul class="others">${pr.others.map(
        (o) => html`<li>
          <h3><a href="${paths.platform(o.slug)}">${o.name}</a> ${severityBadge(o.severity)}</h3>
          ${o.excerpt ? html`<blockquote><p>${o.excerpt.excerpt.length > 320 ? `${o.excerpt.excerpt.slice(0, 320)}…` : o.excerpt.excerpt}</p></blockquote>
          <p class="muted"><a href="${paths.provision(o.example.provisionId)}">${recordId('provision', o.example.provisionId)}</a> in ${o.excerpt.document_name}${o.provisions > 1 ? ` (and ${plural(o.provisions - 1, 'more provision')} of this type)` : ''}</p>` : ''}
        </li>`,
      )}</ul>`
      : html`<p>No other tracked platform has a clause of the type “${title}” in its current documents.</p>`}
    <p><a href="${paths.clauseType(pr.typeId)}">Every platform with “${title}”, grouped by how they handle it</a> · <a href="${paths.provisions({ clause_type: pr.typeId })}">search these provisions</a></p>
    ${p.types.length > 1 ? html`<p class="muted">Also: ${p.types.slice(1).map((t, i) => html`${i ? ' · ' : ''}<a href="${paths.clauseType(t.id)}">${clauseTitle(t.id)}</a>`)}</p>` : ''}
  </section>`;
}

function historySection(v: ProvisionView): Html {
  const { p } = v;
  return html`<section aria-labelledby="history-h">
    <h2 id="history-h">Recent changes</h2>
    <p>${v.platform ? html`${p.platform_name} recorded <strong>${plural(v.platform.material_30d, 'material change')}</strong> to its documents in the last 30 days. ` : ''}
      This provision was first seen ${time(p.first_seen, 'day')}${p.last_changed_on ? html`, last changed ${time(p.last_changed_on, 'day')}` : ', and has not changed since'}${p.removed_on ? html`; it was <strong>removed</strong> on ${time(p.removed_on, 'day')}` : ''}.</p>
    ${v.history.length
      ? html`<div class="table-scroll"><table class="history">
      <caption>Changes to this provision, newest first</caption>
      <thead><tr><th scope="col">Recorded</th><th scope="col">Change</th><th scope="col">Material?</th><th scope="col">Summary</th><th scope="col">Version</th></tr></thead>
      <tbody>${v.history.map(
        (h) => html`<tr>
          <td>${time(h.recorded_at, 'day')}</td>
          <td>${h.returned ? 'returned' : h.kind}${h.source_change ? '' : html` <span class="muted">(re-extraction, not a change at the source)</span>`}</td>
          <td>${h.material ? html`<span class="tag bad">material</span>` : html`<span class="tag">cosmetic${h.cosmetic_reason ? `: ${h.cosmetic_reason.replace(/-/g, ' ')}` : ''}</span>`}</td>
          <td>${h.summary}</td>
          <td><a href="${paths.version(h.version_id)}">${recordId('version', h.version_id)}</a>${h.previous_version_id ? html` · <a href="${paths.diff(p.platform_slug, p.document_key, h.previous_version_id, h.version_id)}">diff</a>` : ''}</td>
        </tr>`,
      )}</tbody></table></div>`
      : ''}
  </section>`;
}

function documentRecord(v: ProvisionView): Html {
  const { p, tracking } = v;
  const source = tracking.source_urls[0];
  const snap = tracking.latest_snapshot;
  return html`<section aria-labelledby="record-h" class="record">
    <h2 id="record-h">Document record</h2>
    ${facts([
      ['Record id', recordCode(recordId('provision', p.id))],
      ['Document', html`<a href="${paths.document(p.platform_slug, p.document_key)}">${p.document_name}</a> (${recordCode(recordId('document', p.document_id))}, ${typeTitle(p.document_type)})`],
      ['Platform', html`<a href="${paths.platform(p.platform_slug)}">${p.platform_name}</a> (${recordCode(recordId('platform', p.platform_id))})`],
      ['Document first tracked', time(tracking.first_tracked_at)],
      ['Document last changed', v.documentLastChanged ? time(v.documentLastChanged) : ''],
      ['Provision first seen', time(p.first_seen)],
      ['Last verified', html`${time(tracking.last_verified_at)} <span class="muted">(last capture that fetched the document's current text)</span>`],
      ['Text read in', html`<a href="${paths.version(p.version_id)}">${recordId('version', p.version_id)}</a>, recorded ${time(p.version_recorded_at)}${p.document_version_id && p.document_version_id !== p.version_id ? html` <span class="muted">(the latest version holding this text; the document's latest is <a href="${paths.version(p.document_version_id)}">${recordId('version', p.document_version_id)}</a>)</span>` : ''}`],
      ['Source URL', source ? externalLink(safeUrl(source), source) : ''],
      ['Archive', v.archiveUrl ? externalLink(safeUrl(v.archiveUrl), 'Wayback Machine copy nearest to the capture') : ''],
      ['Provision text SHA-256', html`<code class="sha">${p.text_sha256}</code>`],
      ['Version text SHA-256', html`<code class="sha">${p.version_sha256}</code>`],
      ['Snapshot stored', snap ? html`<a href="${paths.snapshot(snap.id)}">${recordId('snapshot', snap.id)}</a> (${time(snap.fetched_at)}) · <a href="${paths.snapshotRaw(snap.id)}" download>download the bytes</a> · SHA-256 <code class="sha">${snap.blob_sha256}</code>` : html`<span class="muted">no snapshot (imported history)</span>`],
      ['Classification', p.types.length ? html`${severityLabel(p.severity)}; ${p.types.map((t, i) => html`${i ? ', ' : ''}<a href="${paths.clauseType(t.id)}">${clauseTitle(t.id)}</a> <span class="muted">(${categoryTitle(t.id)}, score ${t.score.toFixed(2)})</span>`)}` : 'no clause type found'],
      ['Analysis', html`classifier ${p.model ? html`<code>${p.model}</code>` : 'not run'}, ${time(p.classified_at)}`],
    ])}
    <p class="note">“Verified” here means you can check it: the SHA-256 of the provision text is a leaf of our append-only Merkle log, and the inclusion proof and signed checkpoint below let you check it offline, without trusting this site.</p>
  </section>`;
}

function faq(v: ProvisionView): Html {
  const { p } = v;
  const title = provisionTitle(p);
  const t = p.types[0] ? typeOf(p.types[0].id) : undefined;
  const ai = v.platform?.ai_training;
  const items: [string, Html | string][] = [
    [`What does ${p.platform_name}'s “${title}” clause say?`, html`It is quoted in full under “Original clause language” above, exactly as recorded in ${recordId('version', p.version_id)} of the ${p.document_name}.`],
  ];
  if (t) items.push(['How does this clause affect you?', t.consumerImpact]);
  if (p.types.some((x) => AI_TYPES.test(x.id)) && ai?.optOutSteps.length) items.push([`Can I opt out of AI training on ${p.platform_name}?`, `${p.platform_name}'s documents describe an opt-out on: ${ai.optOutSteps.map((s) => s.surface).join(', ')}. The steps are under “What you can do”.`]);
  items.push([`How many platforms have this kind of clause?`, v.prevalence.typeId ? `${v.prevalence.found} of the ${v.prevalence.of} platforms whose documents have been analysed, ${p.platform_name} included.` : 'None: no clause type was found in this provision.']);
  items.push(['How can I check this text is what the platform published?', 'Download the snapshot (the bytes as fetched) and the evidence bundle; the verifier recomputes the SHA-256 and the Merkle inclusion proof against the signed checkpoint, offline.']);
  items.push([`Is Clausewatch affiliated with ${p.platform_name}?`, `No. Clausewatch independently records ${p.platform_name}'s public documents; it is not affiliated with, endorsed or sponsored by ${p.platform_name}.`]);
  return html`<section aria-labelledby="faq-h">
    <h2 id="faq-h">Frequently asked questions</h2>
    <dl class="faq">${items.map(([q, a]) => html`<dt>${q}</dt><dd>${a}</dd>`)}</dl>
  </section>`;
}

export function provisionPage(v: ProvisionView): string {
  const { p } = v;
  const rid = recordId('provision', p.id);
  const title = provisionTitle(p);
  const url = `${v.origin}${paths.provision(p.id)}`;
  const source = v.tracking.source_urls[0];
  const isAi = p.types.some((t) => AI_TYPES.test(t.id));
  const body = html`
  <header class="record-head">
    <p class="kicker"><a href="${paths.platform(p.platform_slug)}">${p.platform_name}</a> · <a href="${paths.document(p.platform_slug, p.document_key)}">${p.document_name}</a>${source ? html` · ${externalLink(safeUrl(source), 'original document')}` : ''}</p>
    <h1>${title}</h1>
    <p class="badges">${severityBadge(p.severity)}
      ${v.prevalence.typeId ? html`<span class="prevalence">Found in <strong>${v.prevalence.found}</strong> of ${plural(v.prevalence.of, 'analysed platform')}</span>` : ''}
      ${p.removed_on ? html`<span class="tag bad">removed from the current document</span>` : ''}
      ${recordCode(rid)}</p>
    ${shareLinks(url, `${p.platform_name}: ${title} (${rid})`)}
    <p class="actions"><a href="${paths.provisionPdf(p.id)}">PDF of this record</a> · <a href="${paths.api.provision(p.id)}">JSON</a> · ${monitorLink(p.platform_slug, p.platform_name)}</p>
  </header>
  ${whatItIs(v)}
  ${whyItMatters(v)}
  ${whatYouCanDo(v)}
  ${isAi ? html`<section aria-labelledby="ai-h"><h2 id="ai-h">AI training at ${p.platform_name}</h2>${aiTrainingMatrix(v.platform?.ai_training ?? null, p.platform_name)}</section>` : ''}
  ${otherPlatforms(v)}
  <section aria-labelledby="orig-h">
    <h2 id="orig-h">Original clause language</h2>
    ${p.section.length ? html`<p class="muted">Under: ${p.section.join(' › ')}</p>` : ''}
    <blockquote class="clause">${renderMarkdown(p.body, 3)}</blockquote>
    <p class="muted">— Excerpt from ${p.platform_name}'s ${p.document_name}, <a href="${paths.version(p.version_id)}">${recordId('version', p.version_id)}</a> (recorded ${time(p.version_recorded_at, 'day')}).</p>
  </section>
  ${historySection(v)}
  ${regulationsSection(p.types.map((t) => t.id))}
  ${documentRecord(v)}
  ${evidenceSection(v.evidence, v.origin)}
  ${citationSection(v.citations, 'provision')}
  ${faq(v)}
  <section aria-labelledby="monitor-h">
    <h2 id="monitor-h">Monitoring</h2>
    <p>${p.platform_name} has changed its documents ${v.history.length ? 'before' : 'since they were first tracked, or may in future'}. ${monitorLink(p.platform_slug, p.platform_name)} or follow the <a href="${paths.feedPlatform(p.platform_slug)}">Atom feed of its changes</a>${v.prevalence.typeId ? html` and of <a href="${paths.feedClauseType(v.prevalence.typeId)}">changes to “${clauseTitle(v.prevalence.typeId)}” clauses</a>` : ''}.</p>
  </section>`;
  return page({
    title: `${p.platform_name}: ${title} (${rid})`,
    section: 'platforms',
    crumbs: [{ label: 'Home', href: paths.home() }, { label: p.platform_name, href: paths.platform(p.platform_slug) }, { label: p.document_name, href: paths.document(p.platform_slug, p.document_key) }, { label: rid }],
    feeds: [{ title: `${p.platform_name}: changes`, href: paths.feedPlatform(p.platform_slug) }],
    description: `${p.platform_name} ${p.document_name}: ${title}. ${severityLabel(p.severity)}.`,
    body,
  });
}
