// Plain-words summaries: what an edit does, and what changed in the AI-training facts.

import { diffArrays } from 'diff';
import { visibleText } from '../provisions/normalise.ts';
import type { AiTrainingFacts, PlanFact, Surface, TrainingDefault } from '../facts/types.ts';
import { ALL_PLANS_NAME, OTHER_PLANS_NAME } from '../facts/extract.ts';
import { EXCEPTION_KINDS } from '../facts/patterns.ts';

const MAX_PHRASE_WORDS = 12;
const MAX_EDITS_SHOWN = 2;
/** Word-diff budget (edit operations); beyond it an edit is reported as a rewrite. */
const MAX_EDIT_LENGTH = 120;
/** Differing middles longer than this (both sides, in words) are not diffed at all. */
const MAX_DIFF_WORDS = 300;

export function excerpt(text: string, words = MAX_PHRASE_WORDS): string {
  const ws = visibleText(text).split(/\s+/).filter(Boolean);
  return ws.length <= words ? ws.join(' ') : `${ws.slice(0, words).join(' ')}…`;
}

type Part = { added?: boolean; removed?: boolean; value: string };
type Hunk = { removed: string; added: string };

function hunksOf(parts: Part[]): Hunk[] {
  const hunks: Hunk[] = [];
  let open: Hunk | null = null;
  for (const p of parts) {
    if (!p.added && !p.removed) {
      // A lone short common word between two edits belongs to one edit, not two.
      if (open && p.value.trim().split(/\s+/).length > 1) {
        hunks.push(open);
        open = null;
      } else if (open) {
        open.removed += p.value;
        open.added += p.value;
      }
      continue;
    }
    open ??= { removed: '', added: '' };
    if (p.removed) open.removed += p.value;
    else open.added += p.value;
  }
  if (open) hunks.push(open);
  return hunks
    .map((h) => ({ removed: h.removed.replace(/\s+/g, ' ').trim(), added: h.added.replace(/\s+/g, ' ').trim() }))
    .filter((h) => h.removed || h.added);
}

const sentencesOf = (s: string) => s.split(/(?<=[.!?;|])\s+/).filter(Boolean);

/**
 * The largest edits between two texts, in reading order: “will submit” → “agree to submit to Murf”;
 * “Murf’s prior approval.” → “review.”. Long texts with large edits are compared sentence by sentence.
 */
export function describeEdit(before: string, after: string): string {
  // Common leading and trailing words are cut first: long provisions with a small edit diff quickly.
  const bw = visibleText(before).split(' ');
  const aw = visibleText(after).split(' ');
  let head = 0;
  while (head < bw.length && head < aw.length && bw[head] === aw[head]) head++;
  let tail = 0;
  while (tail < bw.length - head && tail < aw.length - head && bw[bw.length - 1 - tail] === aw[aw.length - 1 - tail]) tail++;
  const removedText = bw.slice(head, bw.length - tail).join(' ');
  const addedText = aw.slice(head, aw.length - tail).join(' ');
  let hunks: Hunk[] | null = null;
  const asParts = (parts: { added?: boolean; removed?: boolean; value: string[] }[]) =>
    parts.map((p) => ({ ...(p.added ? { added: true } : {}), ...(p.removed ? { removed: true } : {}), value: p.value.join(' ') + ' ' }));
  if (bw.length + aw.length - 2 * (head + tail) <= MAX_DIFF_WORDS) {
    // Word arrays compared by plain equality: much cheaper than a tokenising word diff, same result here.
    const parts = diffArrays(bw.slice(head, bw.length - tail), aw.slice(head, aw.length - tail), { maxEditLength: MAX_EDIT_LENGTH });
    if (parts) hunks = hunksOf(asParts(parts));
  }
  if (!hunks) {
    hunks = hunksOf(asParts(diffArrays(sentencesOf(removedText), sentencesOf(addedText))));
  }
  if (!hunks.length) return 'wording changed';
  const size = (h: Hunk) => (h.removed + ' ' + h.added).split(/\s+/).filter(Boolean).length;
  // The largest edits, in reading order.
  const shown = [...hunks].sort((a, b) => size(b) - size(a)).slice(0, MAX_EDITS_SHOWN);
  const q = (s: string) => `“${excerpt(s)}”`;
  const text = hunks
    .filter((h) => shown.includes(h))
    .map((h) => (h.removed && h.added ? `${q(h.removed)} → ${q(h.added)}` : h.removed ? `deletes ${q(h.removed)}` : `inserts ${q(h.added)}`))
    .join('; ');
  const more = hunks.length - shown.length;
  return more > 0 ? `${text} (+${more} more edit${more > 1 ? 's' : ''})` : text;
}

export interface FactDifference {
  summary: string;
  /** Provision ids (keys) on each side that the difference rests on. */
  before: string[];
  after: string[];
}

const planLabel = (plan: string) => (plan === ALL_PLANS_NAME ? 'All plans' : plan === OTHER_PLANS_NAME ? 'Other plans' : `${plan} plan`);
const SURFACE_NAMES: Record<Surface, string> = { web: 'the web', ios: 'iOS', android: 'Android', api: 'the API', other: 'other surfaces' };
const isOff = (d: TrainingDefault) => d === 'off' || d === 'never';

function planChange(plan: string, b: PlanFact | undefined, a: PlanFact | undefined): string[] {
  const label = planLabel(plan);
  const out: string[] = [];
  const opt = (f: PlanFact) => (f.optOut === true ? ' (opt-out available)' : f.optOut === false ? ' (no opt-out)' : '');
  // Statements that name no plan read better without the plan list wording.
  const all = plan === ALL_PLANS_NAME;
  if (b && !a) {
    if (isOff(b.default)) out.push(all ? 'No longer says that user data is not used for training' : `${label} no longer listed among plans whose data is not used for training`);
    else if (b.default === 'on') out.push(all ? 'No longer says that user data is used for training' : `${label} no longer listed among plans whose data is used for training`);
    return out;
  }
  if (!b && a) {
    const not = a.default === 'never' ? 'never' : 'not';
    if (isOff(a.default)) out.push(all ? `Now says user data is ${not} used for training` : `${label} now listed among plans whose data is ${not} used for training`);
    else if (a.default === 'on') out.push(all ? `Now says user data is used for training${opt(a)}` : `${label} now listed among plans whose data is used for training${opt(a)}`);
    return out;
  }
  if (!b || !a) return out;
  if (b.default !== a.default) {
    const opt = a.optOut === true ? '; opt-out available' : a.optOut === false ? '; no opt-out' : '';
    if (a.default === 'on') out.push(`${label}: data now used for training by default (previously ${b.default === 'unstated' ? 'not stated' : 'not used'}${opt})`);
    else if (b.default === 'on' && isOff(a.default)) out.push(`${label}: data no longer used for training by default`);
    else if (b.default === 'never' && a.default === 'off') out.push(`${label}: promise never to train on data weakened to "not by default"`);
    else if (b.default === 'off' && a.default === 'never') out.push(`${label}: now promises never to use data for training`);
    else if (a.default === 'unstated') out.push(`${label}: no longer says whether data is used for training`);
    else out.push(`${label}: training default changed from ${b.default} to ${a.default}`);
  }
  if (b.default === a.default && b.optOut !== a.optOut && a.default === 'on') {
    if (a.optOut === true) out.push(`${label}: opt-out from training now offered`);
    else if (b.optOut === true && a.optOut === false) out.push(`${label}: opt-out from training removed`);
    else if (b.optOut === true) out.push(`${label}: opt-out from training no longer mentioned`);
    else if (a.optOut === false) out.push(`${label}: now says there is no opt-out from training`);
  }
  return out;
}

/** What changed for users between two sets of AI-training facts, plan by plan, then steps and exceptions. */
export function diffFacts(before: AiTrainingFacts, after: AiTrainingFacts): FactDifference[] {
  const out: FactDifference[] = [];
  const named = (f: AiTrainingFacts) => new Map(f.plans.filter((p) => p.default !== 'unstated' || p.evidence.length).map((p) => [p.plan, p]));
  const bp = named(before);
  const ap = named(after);
  const plans = [...new Set([...before.plans.map((p) => p.plan), ...after.plans.map((p) => p.plan)])];
  for (const plan of plans) {
    const b = bp.get(plan);
    const a = ap.get(plan);
    for (const summary of planChange(plan, b, a)) out.push({ summary, before: b?.evidence ?? [], after: a?.evidence ?? [] });
  }

  const stepsBy = (f: AiTrainingFacts) => {
    const m = new Map<Surface, { steps: string[]; evidence: string[] }>();
    for (const s of f.optOutSteps) {
      const e = m.get(s.surface);
      if (e) {
        e.steps.push(...s.steps);
        e.evidence.push(...s.evidence);
      } else m.set(s.surface, { steps: [...s.steps], evidence: [...s.evidence] });
    }
    return m;
  };
  const bs = stepsBy(before);
  const as = stepsBy(after);
  for (const surface of ['web', 'ios', 'android', 'api', 'other'] as Surface[]) {
    const b = bs.get(surface);
    const a = as.get(surface);
    const name = SURFACE_NAMES[surface];
    if (b && !a) out.push({ summary: `Opt-out instructions for ${name} removed`, before: b.evidence, after: [] });
    else if (!b && a) out.push({ summary: `Opt-out instructions for ${name} added`, before: [], after: a.evidence });
    else if (b && a && b.steps.join('\n') !== a.steps.join('\n')) out.push({ summary: `Opt-out steps for ${name} changed`, before: b.evidence, after: a.evidence });
  }

  const be = new Map(before.exceptions.map((e) => [e.kind, e.evidence]));
  const ae = new Map(after.exceptions.map((e) => [e.kind, e.evidence]));
  for (const k of EXCEPTION_KINDS) {
    const b = be.get(k.kind as never);
    const a = ae.get(k.kind as never);
    if (!b && a) out.push({ summary: `Adds training exception: ${k.title} may be used for training`, before: [], after: a });
    if (b && !a) out.push({ summary: `Removes training exception: ${k.title}`, before: b, after: [] });
  }
  return out;
}
