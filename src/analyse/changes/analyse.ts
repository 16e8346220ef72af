// What changed between two versions of a document, which changes matter, and in plain words.

import type { Provision } from '../provisions/types.ts';
import { matchProvisions } from '../provisions/match.ts';
import { keyText } from '../provisions/normalise.ts';
import { extractAiTrainingFacts } from '../facts/extract.ts';
import type { AiTrainingFacts, FactOptions } from '../facts/types.ts';
import { OPT_OUT_HEADING, TRAINING_TOPIC, USER_RESTRICTION } from '../facts/patterns.ts';
import { ANY_PLAN_WORD } from '../facts/plans.ts';
import { cosmeticReason, isDateStamp, REASON_TITLES, type CosmeticReason } from './cosmetic.ts';
import { describeEdit, diffFacts, excerpt, type FactDifference } from './summary.ts';

/** The clause classifier, supplied by the caller (src/analyse/classify): one result per input text. */
export type ClassifyFn = (texts: string[]) => { types: { id: string; score: number }[] }[];

export interface Change {
  kind: 'added' | 'removed' | 'modified';
  before?: string;
  after?: string;
  /** Section path on the side that has the provision (next side for modified). */
  section: string[];
  /** Keys of the provisions involved: [previous, next] for modified, one key otherwise. */
  provisionKeys: string[];
  /** Clause type ids the classifier gives either text. */
  types: string[];
  material: boolean;
  cosmeticReason?: CosmeticReason;
  summary: string;
}

export interface ChangeAnalysis {
  changes: Change[];
  material: boolean;
  summary: string;
  aiTraining: { before: AiTrainingFacts; after: AiTrainingFacts; differences: string[] };
}

export interface AnalyseOptions {
  /** Display title of a clause type id; defaults to the id in words. */
  typeTitle?: (id: string) => string;
  /** Classifier scores below this do not count. Default 0.5. */
  minScore?: number;
  facts?: FactOptions;
  /** How many change summaries the one-line summary names before "(+N more)". Default 3. */
  summaryItems?: number;
}

const FACT_RELEVANT = [TRAINING_TOPIC, ANY_PLAN_WORD, OPT_OUT_HEADING, USER_RESTRICTION];

const defaultTitle = (id: string) => {
  const s = id.replace(/[-_.]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
};

/** Positions of the pairs that stay in order; the rest moved (longest increasing subsequence, O(n log n)). */
function inOrder(seq: number[]): Set<number> {
  const tails: number[] = [];
  const prevIdx = new Array<number>(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]!]! < seq[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prevIdx[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  let k = tails.length ? tails[tails.length - 1]! : -1;
  while (k !== -1) {
    keep.add(k);
    k = prevIdx[k]!;
  }
  return keep;
}

function cosmeticSummary(reason: CosmeticReason, before?: Provision, after?: Provision): string {
  switch (reason) {
    case 'last-updated-date':
      return after ? `Last-updated date now “${excerpt(after.text)}”` : `Date line removed: “${excerpt(before!.text)}”`;
    case 'heading-only':
      return after ? `Heading added: “${excerpt(after.text)}”` : `Heading removed: “${excerpt(before!.text)}”`;
    case 'moved':
      return `Moved to “${(after?.section ?? []).join(' › ') || 'the top'}”`;
    default:
      return `Cosmetic: ${REASON_TITLES[reason]} changed`;
  }
}

const prefixes = (ps: Provision[]) => {
  const set = new Set<string>();
  for (const p of ps) for (let k = 1; k <= p.section.length; k++) set.add(p.section.slice(0, k).join('\u0000'));
  return set;
};

/**
 * One line per material change, except that changes inside a section that appeared or vanished as a whole
 * are told as one: "Removes section “9. API Terms” (12 provisions)".
 */
function sectionLines(changes: Change[], previous: Provision[], next: Provision[]): string[] {
  const nextPre = prefixes(next);
  const prevPre = prefixes(previous);
  const wholeSection = (c: Change): string | null => {
    if (c.kind === 'modified') return null;
    const other = c.kind === 'removed' ? nextPre : prevPre;
    for (let k = 1; k <= c.section.length; k++) {
      const pre = c.section.slice(0, k).join('\u0000');
      if (!other.has(pre)) return `${c.kind}\u0001${pre}`;
    }
    return null;
  };
  const material = changes.filter((c) => c.material);
  const groups = new Map<string, number>();
  for (const c of material) {
    const g = wholeSection(c);
    if (g) groups.set(g, (groups.get(g) ?? 0) + 1);
  }
  const lines: string[] = [];
  const told = new Set<string>();
  for (const c of material) {
    const g = wholeSection(c);
    if (g && groups.get(g)! >= 2) {
      if (told.has(g)) continue;
      told.add(g);
      const [kind, pre] = g.split('\u0001') as [string, string];
      const name = pre.split('\u0000').pop();
      lines.push(`${kind === 'removed' ? 'Removes' : 'Adds'} section “${name}” (${groups.get(g)} provisions)`);
    } else {
      lines.push(c.summary);
    }
  }
  return lines;
}

/**
 * Compares two versions of a document provision by provision (see matchProvisions) and says which changes
 * are material. Cosmetic: markup, link targets and tracking parameters, whitespace, words split by markup,
 * punctuation or case, duplicated text, renumbering, reordering, date formats, a changed "last updated"
 * line on its own, headings without text. Everything else is material. Summaries name AI-training plan
 * changes first (from extractAiTrainingFacts on both versions), then clause types from `classify`, then
 * the edit itself.
 */
export function analyseChange(previous: Provision[], next: Provision[], classify?: ClassifyFn, options: AnalyseOptions = {}): ChangeAnalysis {
  const title = options.typeTitle ?? defaultTitle;
  const minScore = options.minScore ?? 0.5;
  const m = matchProvisions(previous, next);
  type Draft = Omit<Change, 'types' | 'summary'> & { summary?: string; p?: Provision; n?: Provision; pos: number };
  const drafts: Draft[] = [];

  // Same key, different raw text: by construction only markup, spacing, case, punctuation or numbering.
  for (const [p, n] of m.unchanged) {
    if (p.text === n.text) continue;
    const reason = cosmeticReason(p.text, n.text) ?? 'markup';
    drafts.push({ kind: 'modified', before: p.text, after: n.text, section: n.section, provisionKeys: [p.key, n.key], material: false, cosmeticReason: reason, p, n, pos: n.ordinal });
  }
  // Reordered lists and moved paragraphs: pairs outside the longest run that kept its order.
  const pairs = [...m.unchanged, ...m.modified].sort((a, b) => a[1].ordinal - b[1].ordinal);
  const kept = inOrder(pairs.map(([p]) => p.ordinal));
  pairs.forEach(([p, n], i) => {
    if (kept.has(i) || p.text !== n.text || p.key !== n.key) return;
    drafts.push({ kind: 'modified', before: p.text, after: n.text, section: n.section, provisionKeys: [p.key, n.key], material: false, cosmeticReason: 'reordered', p, n, pos: n.ordinal });
  });
  for (const [p, n] of m.modified) {
    let reason = cosmeticReason(p.text, n.text);
    if (reason && p.section.join('\u0000') !== n.section.join('\u0000') && (reason === 'markup' || p.text === n.text)) reason = 'moved';
    drafts.push({ kind: 'modified', before: p.text, after: n.text, section: n.section, provisionKeys: [p.key, n.key], material: reason === null, ...(reason ? { cosmeticReason: reason } : {}), p, n, pos: n.ordinal });
  }
  // Text counts per side, built only when something was added or removed (keyText is the costly part).
  const counts = (ps: Provision[]) => {
    const map = new Map<string, number>();
    if (!m.added.length && !m.removed.length) return map;
    for (const p of ps) {
      const k = keyText(p.text);
      map.set(k, (map.get(k) ?? 0) + 1);
    }
    return map;
  };
  const nextTexts = counts(next);
  const prevTexts = counts(previous);
  const soleReason = (pr: Provision, sameSide: Map<string, number>, otherSide: Map<string, number>): CosmeticReason | null => {
    if (pr.kind === 'heading-text') return 'heading-only';
    if (isDateStamp(pr.text)) return 'last-updated-date';
    const k = keyText(pr.text);
    // The same text still present once: the copy that came or went was a duplicate rendering.
    if ((otherSide.get(k) ?? 0) >= 1 && (sameSide.get(k) ?? 0) !== (otherSide.get(k) ?? 0)) return 'duplicated-text';
    return null;
  };
  for (const n of m.added) {
    const reason = soleReason(n, nextTexts, prevTexts);
    drafts.push({ kind: 'added', after: n.text, section: n.section, provisionKeys: [n.key], material: reason === null, ...(reason ? { cosmeticReason: reason } : {}), n, pos: n.ordinal });
  }
  // A removed provision is told where it stood: just after the next-side partner of its nearest kept predecessor.
  const partner = new Map<Provision, number>();
  for (const [p, n] of [...m.unchanged, ...m.modified]) partner.set(p, n.ordinal);
  const removed = new Set(m.removed);
  let anchor = -1;
  previous.forEach((p, i) => {
    const at = partner.get(p);
    if (at !== undefined) anchor = at;
    if (!removed.has(p)) return;
    const reason = soleReason(p, prevTexts, nextTexts);
    drafts.push({ kind: 'removed', before: p.text, section: p.section, provisionKeys: [p.key], material: reason === null, ...(reason ? { cosmeticReason: reason } : {}), p, pos: anchor + 0.5 + i / (previous.length + 1) / 2 });
  });
  drafts.sort((a, b) => a.pos - b.pos);

  // Clause types, one classifier call for every text involved in a material change.
  const typesOf = new Map<string, string[]>();
  if (classify) {
    const texts = [...new Set(drafts.filter((d) => d.material).flatMap((d) => [d.before, d.after]).filter((t): t is string => !!t))];
    if (texts.length) {
      const results = classify(texts);
      texts.forEach((t, i) => {
        const ids = (results[i]?.types ?? []).filter((x) => x.score >= minScore).sort((a, b) => b.score - a.score).map((x) => x.id);
        typesOf.set(t, ids);
      });
    }
  }

  // AI-training facts on both sides; differences attach to the changes whose provisions they rest on.
  const asFacts = (ps: Provision[]) => ps.map((p) => ({ id: p.key, text: p.text, section: p.section, kind: p.kind, ...(p.columns ? { columns: p.columns } : {}) }));
  const factsBefore = extractAiTrainingFacts(asFacts(previous), options.facts);
  // Facts depend only on provisions that mention training or plans, restrict the user, or sit under such
  // headings; when no change touches one, the facts are the same and need not be read again.
  const touchesFacts = drafts.some((d) => [d.before, d.after, ...d.section].some((t) => t !== undefined && FACT_RELEVANT.some((re) => re.test(t))));
  const factsAfter = touchesFacts ? extractAiTrainingFacts(asFacts(m.next), options.facts) : factsBefore;
  const differences: FactDifference[] = diffFacts(factsBefore, factsAfter);

  const changes: Change[] = drafts.map((d) => {
    const types = [...new Set([...(d.before ? typesOf.get(d.before) ?? [] : []), ...(d.after ? typesOf.get(d.after) ?? [] : [])])];
    const [pk, nk] = d.kind === 'modified' ? d.provisionKeys : d.kind === 'added' ? [undefined, d.provisionKeys[0]] : [d.provisionKeys[0], undefined];
    const factSummaries = differences.filter((f) => (pk && f.before.includes(pk)) || (nk && f.after.includes(nk))).map((f) => f.summary);
    let summary: string;
    let material = d.material;
    if (factSummaries.length) {
      summary = factSummaries.join('; ');
      material = true;
    } else if (!d.material) {
      summary = cosmeticSummary(d.cosmeticReason!, d.p, d.n);
    } else {
      const titles = types.map(title).join(', ');
      if (d.kind === 'added') summary = titles ? `Adds: ${titles} — “${excerpt(d.after!)}”` : `Adds: “${excerpt(d.after!)}”`;
      else if (d.kind === 'removed') summary = titles ? `Removes: ${titles} — “${excerpt(d.before!)}”` : `Removes: “${excerpt(d.before!)}”`;
      else summary = `${titles ? `Changes ${titles}` : 'Changes'}: ${describeEdit(d.before!, d.after!)}`;
    }
    const change: Change = { kind: d.kind, section: d.section, provisionKeys: d.provisionKeys, types, material, summary };
    if (d.before !== undefined) change.before = d.before;
    if (d.after !== undefined) change.after = d.after;
    if (!material && d.cosmeticReason) change.cosmeticReason = d.cosmeticReason;
    return change;
  });

  const material = changes.some((c) => c.material) || differences.length > 0;
  const items = options.summaryItems ?? 3;
  let summary: string;
  if (!changes.length && !differences.length) {
    summary = 'No change';
  } else if (!material) {
    const reasons = [...new Set(changes.map((c) => c.cosmeticReason).filter((r): r is CosmeticReason => !!r))].map((r) => REASON_TITLES[r]);
    summary = `No material change (only ${reasons.join(', ')})`;
  } else {
    const lines = [...new Set([...differences.map((d) => d.summary), ...sectionLines(changes, previous, next)])];
    summary = lines.slice(0, items).join('; ') + (lines.length > items ? ` (+${lines.length - items} more)` : '');
  }
  return { changes, material, summary, aiTraining: { before: factsBefore, after: factsAfter, differences: differences.map((d) => d.summary) } };
}
