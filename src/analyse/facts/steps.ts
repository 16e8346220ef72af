// Opt-out instructions: the ordered steps under an "Opt out of … training" heading, per surface.

import type { FactProvision, OptOutSteps, Surface } from './types.ts';
import { IMPERATIVE_VERBS, OPT_OUT_HEADING, RESTRICTION_LEAD_IN, STEPS_INTRO, SURFACE_CUES, TRAINING_TOPIC } from './patterns.ts';
import { contentWords, repairGlue, splitSentences, stripLeadingSymbols } from './text.ts';
import { visibleText } from '../provisions/normalise.ts';

/** A step whose content words were nearly all said by earlier steps is a summary or caption, not a step. */
const REPEAT_COVERAGE = 0.75;
/** A second numbered list restating the steps already given is dropped as a whole at this mean coverage. */
const SUMMARY_LIST_COVERAGE = 0.6;

const IMPERATIVE = new RegExp(`^(?:${IMPERATIVE_VERBS.join('|')})\\b`, 'i');
const LEAD_PHRASE = new RegExp(`^(?:in|under|on|from|within|at|inside|via)\\s+[^,]{1,80},\\s*(?:${IMPERATIVE_VERBS.join('|')})\\b`, 'i');
const NUMBERING = /^(?:(\d{1,2})[.)]|step\s+(\d{1,2})\s*[:.)-]?)\s+/i;
const INLINE_NAV = /\b(?:go|navigate|head)\s+to\b|\bin\s+(?:your\s+)?(?:settings|preferences)\b|\bSettings\s*[>›→]/i;
/** A short line introducing the steps for one surface: "On the web:", "In the Harbor app for iOS and Android:". */
const SURFACE_INTRO = /^[^.]{0,80}:$/;
const INLINE_OFF = /\b(?:turn(?:ing)?\s+off|disabl(?:e|ing)|opt(?:ing)?[- ]?out|toggle\s+off|uncheck|deselect|switch\s+off)\b/i;

export function normaliseSection(section: string[] | string): string[] {
  return Array.isArray(section) ? section : section ? [section] : [];
}

/** An instruction starts with a verb in the imperative, possibly after a place: "In the Admin Console, open …". */
export function isInstruction(sentence: string): boolean {
  const s = stripLeadingSymbols(sentence).replace(NUMBERING, '');
  // "Access: you can request …" is a label, not an instruction.
  if (/^\S+\s*[:–—-]\s/.test(s)) return false;
  return IMPERATIVE.test(s) || LEAD_PHRASE.test(s);
}

function surfacesOf(text: string): Surface[] {
  if (SURFACE_CUES.api.test(text)) return ['api'];
  const ios = SURFACE_CUES.ios.test(text);
  const android = SURFACE_CUES.android.test(text);
  if (ios || android) return [...(ios ? (['ios'] as const) : []), ...(android ? (['android'] as const) : [])];
  if (SURFACE_CUES.mobile.test(text)) return ['ios', 'android'];
  if (SURFACE_CUES.web.test(text)) return ['web'];
  return [];
}

interface Candidate {
  text: string;
  id: string;
  number: number | null;
}

function dedupe(cands: Candidate[]): Candidate[] {
  const kept: Candidate[] = [];
  const covered = new Set<string>();
  const coverage = (text: string) => {
    const ws = contentWords(text);
    return ws.length ? ws.filter((w) => covered.has(w)).length / ws.length : 1;
  };
  const keep = (c: Candidate) => {
    kept.push(c);
    for (const w of contentWords(c.text)) covered.add(w);
  };
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i]!;
    // A numbered list starting again at 1 after steps were given in prose: a recap, judged as a whole.
    if (c.number === 1 && kept.length > 0 && kept[kept.length - 1]!.number === null) {
      let j = i;
      while (j < cands.length && cands[j]!.number !== null) j++;
      const block = cands.slice(i, j);
      const mean = block.reduce((sum, b) => sum + coverage(b.text), 0) / block.length;
      if (mean >= SUMMARY_LIST_COVERAGE) {
        i = j - 1;
        continue;
      }
    }
    if (contentWords(c.text).length >= 2 && coverage(c.text) >= REPEAT_COVERAGE) continue;
    keep(c);
  }
  return kept;
}

/** Ids of list items that follow a "you will not:" lead-in in the same run of provisions. */
export function restrictedIds(items: FactProvision[]): Set<string> {
  const out = new Set<string>();
  let inList = false;
  for (const p of items) {
    if (p.kind === 'list-item') {
      if (inList) out.add(p.id);
      continue;
    }
    inList = RESTRICTION_LEAD_IN.test(p.text.trim());
  }
  return out;
}

function tidy(step: string): string {
  const s = step.replace(NUMBERING, '').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Groups provisions by section. A section is an opt-out procedure when its heading path says so (or an
 * introduction such as "by following the procedure below:" does); its instruction sentences, glue-repaired
 * and with repeated captions and recap lists dropped, are the steps. The surface comes from the heading
 * ("(iOS and Android)", "Studio and API", "Admin Console"), else from the introduction. Outside such
 * sections, a single sentence such as "go to Settings > Data Controls and turn off …" is a one-step procedure.
 */
export function extractOptOutSteps(provisions: FactProvision[]): OptOutSteps[] {
  const groups: { path: string[]; items: FactProvision[] }[] = [];
  for (const p of provisions) {
    const path = normaliseSection(p.section);
    const last = groups[groups.length - 1];
    if (last && last.path.join('\u0000') === path.join('\u0000')) last.items.push(p);
    else groups.push({ path, items: [p] });
  }

  const out: OptOutSteps[] = [];
  for (const g of groups) {
    const headed = g.path.some((h) => OPT_OUT_HEADING.test(h));
    const aboutTraining = g.path.some((h) => TRAINING_TOPIC.test(h)) || g.items.some((p) => TRAINING_TOPIC.test(p.text));
    // Cheap screen on raw text before sentence splitting, which is the costly part.
    if (!aboutTraining) continue;
    // "## Web", "## iPhone" under a heading about training, with a step that switches something off.
    const surfaceSection =
      g.path.length > 0 && surfacesOf(g.path[g.path.length - 1]!).length > 0 && g.path.some((h) => TRAINING_TOPIC.test(h)) && g.items.some((p) => INLINE_OFF.test(p.text));
    if (!headed && !surfaceSection && !g.items.some((p) => STEPS_INTRO.test(p.text) || (INLINE_NAV.test(p.text) && INLINE_OFF.test(p.text)))) continue;
    const sentences = g.items.flatMap((p) => splitSentences(repairGlue(visibleText(p.text))).map((s) => ({ id: p.id, s: stripLeadingSymbols(s) })));
    const isProcedure = headed || surfaceSection || sentences.some(({ s }) => STEPS_INTRO.test(s));
    if (!isProcedure) {
      for (const { id, s } of sentences) {
        if (INLINE_NAV.test(s) && INLINE_OFF.test(s) && TRAINING_TOPIC.test(s)) {
          const surfaces = surfacesOf(s);
          for (const surface of surfaces.length ? surfaces : (['other'] as Surface[])) out.push({ surface, steps: [tidy(s)], evidence: [id] });
        }
      }
      continue;
    }
    // One section may hold several procedures, each after a line naming its surface ("On the web:",
    // "In the app for iOS and Android:"); a new block starts at such a line once steps have been given.
    const blocks: { intro: string[]; cands: Candidate[] }[] = [{ intro: [], cands: [] }];
    const restricted = restrictedIds(g.items);
    for (const { id, s } of sentences) {
      if (restricted.has(id)) continue;
      const block = blocks[blocks.length - 1]!;
      if (isInstruction(s)) {
        const m = NUMBERING.exec(s);
        block.cands.push({ text: s, id, number: m ? Number(m[1] ?? m[2]) : null });
      } else if (block.cands.length && SURFACE_INTRO.test(s) && surfacesOf(s).length) {
        blocks.push({ intro: [s], cands: [] });
      } else {
        block.intro.push(s);
      }
    }
    for (const block of blocks) {
      const steps = dedupe(block.cands);
      if (!steps.length) continue;
      let surfaces: Surface[] = blocks.length > 1 ? surfacesOf(block.intro.join(' ')) : [];
      for (let i = g.path.length - 1; i >= 0 && !surfaces.length; i--) surfaces = surfacesOf(g.path[i]!);
      if (!surfaces.length) surfaces = surfacesOf(block.intro.join(' '));
      if (!surfaces.length) surfaces = ['other'];
      const evidence = [...new Set(steps.map((s) => s.id))];
      for (const surface of surfaces) out.push({ surface, steps: steps.map((s) => tidy(s.text)), evidence });
    }
  }
  return out;
}
