// The difference between two versions of a document, word by word: side by side or inline.
import { html, type Html } from '../html.ts';
import { paths } from '../paths.ts';
import { page } from './layout.ts';
import { compareForm, docCrumbs } from './document.ts';
import { plural, time } from '../format.ts';
import { recordId } from '../../domain/record-id.ts';
import { sides, type DiffRow, type DiffView } from '../diff-view.ts';
import type { DiffPart } from '../../record/diff.ts';
import type { DocumentIdentity } from '../read/documents.ts';
import type { VersionRow } from '../../record/queries.ts';
import { cosmeticReason } from '../../analyse/changes/cosmetic.ts';

/** Why a changed passage is only cosmetic (formatting, dates, numbering…), by the analysis layer's rules; null when it matters. */
function cosmeticOf(r: Extract<DiffRow, { kind: 'change' }>): string | null {
  if (!r.before.length || !r.after.length) return null;
  const reason = cosmeticReason(r.before.join('\n\n'), r.after.join('\n\n'));
  return reason ? reason.replace(/-/g, ' ') : null;
}

function cosmeticTag(reason: string | null): Html {
  return reason ? html`<span class="tag cosmetic" title="a change of form, not of meaning">cosmetic: ${reason}</span> ` : html``;
}

function parts(ps: DiffPart[]): Html {
  return html`${ps.map((p) => (p.op === 'insert' ? html`<ins>${p.text}</ins>` : p.op === 'delete' ? html`<del>${p.text}</del>` : p.text))}`;
}

function skipped(blocks: string[], colspan?: number): Html {
  const inner = html`<details class="skip"><summary>${plural(blocks.length, 'unchanged paragraph')}</summary><div class="blocks">${blocks.map((b) => html`<p>${b}</p>`)}</div></details>`;
  return colspan ? html`<tr class="skip"><td colspan="${colspan}">${inner}</td></tr>` : inner;
}

function sideBySide(rows: DiffRow[], from: VersionRow, to: VersionRow): Html {
  return html`<div class="table-scroll"><table class="diff side">
    <caption class="visually-hidden">Side by side: deletions on the left, insertions on the right</caption>
    <thead><tr><th scope="col">From ${recordId('version', from.id)} (${time(from.recorded_at)})</th><th scope="col">To ${recordId('version', to.id)} (${time(to.recorded_at)})</th></tr></thead>
    <tbody>${rows.map((r) => {
      if (r.kind === 'equal') return html`<tr class="same"><td>${r.text}</td><td>${r.text}</td></tr>`;
      if (r.kind === 'skip') return skipped(r.blocks, 2);
      const s = sides(r);
      const c = cosmeticOf(r);
      return html`<tr class="changed${c ? ' cosmetic' : ''}"><td class="old">${cosmeticTag(c)}${parts(s.left)}</td><td class="new">${parts(s.right)}</td></tr>`;
    })}</tbody></table></div>`;
}

function inline(rows: DiffRow[]): Html {
  return html`<div class="diff inline">${rows.map((r) => {
    if (r.kind === 'equal') return html`<p class="same">${r.text}</p>`;
    if (r.kind === 'skip') return skipped(r.blocks);
    const c = cosmeticOf(r);
    if (c && r.words) return html`<p class="changed cosmetic">${cosmeticTag(c)}${parts(r.words)}</p>`;
    if (!r.words) return html`<div class="changed">${r.before.map((b) => html`<p><del>${b}</del></p>`)}${r.after.map((b) => html`<p><ins>${b}</ins></p>`)}</div>`;
    return html`<p class="changed">${parts(r.words)}</p>`;
  })}</div>`;
}

export interface DiffPageView {
  document: DocumentIdentity;
  versions: VersionRow[];
  from: VersionRow;
  to: VersionRow;
  diff: DiffView;
  view: 'side' | 'inline';
  /** The analysis of `to` when it was compared with `from` (consecutive versions): material or not, and why. */
  analysis?: { summary: string; material: boolean | null };
}

function cosmeticCount(d: DiffView): number {
  return d.rows.filter((r) => r.kind === 'change' && cosmeticOf(r) !== null).length;
}

export function diffPage(v: DiffPageView): string {
  const d = v.document;
  const s = v.diff.stats;
  const other = v.view === 'side' ? 'inline' : 'side';
  const body = html`
  <header class="record-head">
    <p class="kicker"><a href="${paths.platform(d.platform_slug)}">${d.platform_name}</a> · <a href="${paths.document(d.platform_slug, d.key)}">${d.name}</a></p>
    <h1>What changed between ${time(v.from.recorded_at, 'day')} and ${time(v.to.recorded_at, 'day')}</h1>
    <p>From <a href="${paths.version(v.from.id)}">${recordId('version', v.from.id)}</a> to <a href="${paths.version(v.to.id)}">${recordId('version', v.to.id)}</a>:
      ${v.diff.identical
        ? html`<strong>the two texts are identical</strong>.`
        : html`${plural(s.hunks, 'changed passage')}, ${plural(s.wordsAdded, 'word')} added and ${plural(s.wordsRemoved, 'word')} removed
          (${plural(s.blocksAdded, 'paragraph')} in, ${plural(s.blocksRemoved, 'paragraph')} out).`}</p>
    <p class="actions"><a href="${paths.diff(d.platform_slug, d.key, v.from.id, v.to.id, other)}">Show ${other === 'side' ? 'side by side' : 'inline'}</a> ·
      <a href="${paths.api.diff(v.from.id, v.to.id)}">JSON</a></p>
    ${v.analysis ? html`<p>Analysis: ${v.analysis.material ? html`<span class="tag bad">material</span>` : v.analysis.material === false ? html`<span class="tag">no material change</span>` : ''} ${v.analysis.summary}</p>` : ''}
    ${cosmeticCount(v.diff) ? html`<p>${plural(cosmeticCount(v.diff), 'changed passage')} ${cosmeticCount(v.diff) === 1 ? 'is' : 'are'} only cosmetic (formatting, dates, numbering, order) and marked as such.</p>` : ''}
    <p class="legend"><span>Legend:</span> <del>removed words</del> <ins>added words</ins> <span class="tag cosmetic">cosmetic: …</span> a change of form, not of meaning</p>
  </header>
  <section aria-labelledby="diff-h">
    <h2 id="diff-h" class="visually-hidden">Differences</h2>
    ${v.diff.identical ? '' : v.view === 'side' ? sideBySide(v.diff.rows, v.from, v.to) : inline(v.diff.rows)}
  </section>
  <section aria-labelledby="compare-h" class="no-print">
    <h2 id="compare-h">Compare other versions</h2>
    ${compareForm(d, v.versions, { from: v.from.id, to: v.to.id, view: v.view })}
  </section>`;
  return page({ title: `Changes to ${d.name} — ${d.platform_name}`, section: 'platforms', crumbs: docCrumbs(d, 'Compare'), body });
}
