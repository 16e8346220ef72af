// Opt-out instructions: the ordered steps under an "Opt out of … training" heading, per surface.

import type { FactProvision, OptOutSteps, Surface } from './types.ts';
import { IMPERATIVE_VERBS, OPT_OUT_HEADING, RESTRICTION_LEAD_IN, STEPS_INTRO, SURFACE_CUES, TRAINING_TOPIC } from './patterns.ts';
import { contentWords, repairGlue, splitSentences, stripLeadingSymbols } from './text.ts';
import { leadLabel } from './context.ts';
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
const INLINE_OFF = /\b(?:turn(?:ing)?\s+off|disabl(?:e|ing)|opt(?:ing)?[- ]?out|toggle\s+off|uncheck|untick|deselect|switch\s+off|leave|object\s+to|exclude|clear|set\s+.{1,60}?\s+to\s+["“*]*off)\b/i;
/** Choosing an option that says no: "Select Atelier: off", "choose No members may share snippets". */
const OFF_CHOICE = /\b(?:choose|select|pick|set)\b[^.]{0,60}\b(?:off|no|none|never|don['’]t|do\s+not)\b/i;
/** A heading over instructions for leaving a training programme: "Leaving Nimbus Lab", "How do I stop contributing?". */
const LEAVE_HEADING = /\b(?:opt(?:ing)?[- ]?out|turn(?:ing)?\s+(?:it\s+)?off|switch(?:ing)?\s+(?:it\s+)?off|leav(?:e|ing)|stop(?:ping)?\s+contributing|withdraw(?:ing)?|disabl(?:e|ing))\b/i;
/** Place and sequence words before a prose instruction: "On the website, first open …", "Then choose …", "Finally, turn off …". */
const PLACE_LEAD = /^(?:(?:on|in|from|within|using)\s+(?:the\s+)?[^,:]{1,80}?(?:,\s*|\s+(?=first\b|then\b)))?/i;
const PROSE_SEQUENCE = /\b(?:then|finally|next)\b|:\s*\w+\s[^.]*,\s*(?:and\s+)?\w+/i;
const SEQUENCE_LEAD = /^(?:first(?:ly)?|then|next|finally|lastly|after\s+that|now)\b,?\s*/i;

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
  // A desktop app, browser extension or bot is neither the website nor a phone, unless the line names those too.
  if (SURFACE_CUES.other.test(text) && !SURFACE_CUES.web.test(text.replace(SURFACE_CUES.other, ' ')) && !SURFACE_CUES.ios.test(text) && !SURFACE_CUES.android.test(text)) return ['other'];
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

const COMPOUND_SPLIT = new RegExp(
  `,\\s*(?:and\\s+)?(?:then\\s+|finally\\s+|next\\s+)?(?=(?:${IMPERATIVE_VERBS.join('|')})\\b)|\\s+and\\s+(?:then\\s+|finally\\s+)?(?=(?:${IMPERATIVE_VERBS.join('|')})\\b)`,
  'i',
);
/** Three or more actions in one sentence are separate steps; "Choose Settings, then open Privacy." stays one. */
function splitCompound(sentence: string): string[] {
  const parts = sentence.split(COMPOUND_SPLIT).map((x) => x.trim()).filter(Boolean);
  return parts.length >= 3 && parts.slice(1).every((x) => IMPERATIVE.test(x)) ? parts : [sentence];
}

const sentenceCase = (x: string) => {
  const t = x.trim().replace(/[,;]$/, '');
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
};

/** "(a) on the web: go to Settings, select Your data, then select Object to AI training and confirm;" */
function colonList(s: string): { place: string; steps: string[] } | null {
  const colon = /^([^:]{3,120}):\s*(.+)$/.exec(s);
  if (!colon || /^\S+\s*:/.test(s)) return null;
  const body = colon[2]!.replace(/[;.]\s*$/, '');
  const parts = body.split(COMPOUND_SPLIT).map((x) => x.trim()).filter(Boolean);
  return parts.length >= 2 && parts.every((x) => IMPERATIVE.test(x)) ? { place: colon[1]!, steps: parts } : null;
}

/** The line right before the steps ("On the web:") names their surface before anything said earlier. */
function introSurfaces(intro: string[]): Surface[] {
  for (let i = intro.length - 1; i >= 0; i--) if (SURFACE_INTRO.test(intro[i]!) && surfacesOf(intro[i]!).length) return surfacesOf(intro[i]!);
  return surfacesOf(intro.join(' '));
}

/**
 * Instructions written as prose: "On the website, first open Settings … Then choose the Privacy section.
 * Finally, turn off the switch called Learn from my chats. In the apps for iPhone and Android the path is
 * shorter: tap your avatar, tap Privacy, and switch off Learn from my chats." Each place phrase starts a
 * procedure; a colon list of imperatives is one procedure. Kept only if it ends by switching something off.
 */
function proseProcedures(sentences: { id: string; s: string }[]): { place: string; steps: Candidate[] }[] {
  const out: { place: string; steps: Candidate[] }[] = [];
  let current: { place: string; steps: Candidate[] } | null = null;
  const imperative = (x: string) => IMPERATIVE.test(x);
  for (const { id, s } of sentences) {
    const listed = colonList(s);
    if (listed) {
      out.push({ place: listed.place, steps: listed.steps.map((x) => ({ text: sentenceCase(x), id, number: null })) });
      current = null;
      continue;
    }
    const place = PLACE_LEAD.exec(s)?.[0] ?? '';
    const afterPlace = s.slice(place.length);
    const sequenced = SEQUENCE_LEAD.exec(afterPlace);
    const body = afterPlace.slice(sequenced?.[0].length ?? 0);
    if ((place || sequenced) && imperative(body)) {
      if (place && surfacesOf(place).length) {
        current = { place, steps: [] };
        out.push(current);
      }
      if (current) for (const part of splitCompound(body)) current.steps.push({ text: sentenceCase(part), id, number: null });
      continue;
    }
    current = null;
  }
  return out.filter((p) => p.steps.length >= 2 && p.steps.some((x) => INLINE_OFF.test(x.text)));
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
  const documentAboutTraining = provisions.some((p) => TRAINING_TOPIC.test(p.text));
  for (const g of groups) {
    const last = g.path[g.path.length - 1] ?? '';
    const leaving = documentAboutTraining && g.path.some((h) => LEAVE_HEADING.test(h));
    const headed = g.path.some((h) => OPT_OUT_HEADING.test(h)) || leaving;
    const aboutTraining = leaving || g.path.some((h) => TRAINING_TOPIC.test(h)) || g.items.some((p) => TRAINING_TOPIC.test(p.text));
    // Cheap screen on raw text before sentence splitting, which is the costly part.
    if (!aboutTraining) continue;
    // "## Web", "## iPhone" under a heading about training, with a step that switches something off.
    const surfaceSection =
      g.path.length > 0 && surfacesOf(last).length > 0 && g.path.some((h) => TRAINING_TOPIC.test(h)) && g.items.some((p) => INLINE_OFF.test(p.text));
    const mayHoldSteps = (p: FactProvision) => STEPS_INTRO.test(p.text) || (INLINE_OFF.test(p.text) && (INLINE_NAV.test(p.text) || PROSE_SEQUENCE.test(p.text)));
    if (!headed && !surfaceSection && !g.items.some(mayHoldSteps)) continue;
    // A provision that is only a bold label ("**Desktop app and web**") introduces the steps after it.
    const sentences = g.items.flatMap((p) => {
      const label = leadLabel(p.text);
      if (label && !label.rest) return [{ id: p.id, s: `${label.label}:`, label: true }];
      return splitSentences(repairGlue(visibleText(p.text))).map((s) => ({ id: p.id, s: stripLeadingSymbols(s), label: false }));
    });
    const isProcedure = headed || surfaceSection || sentences.some(({ s }) => STEPS_INTRO.test(s));
    if (!isProcedure) {
      const prose = g.items.flatMap((p) => proseProcedures(sentences.filter((x) => x.id === p.id)));
      for (const proc of prose) {
        const surfaces = surfacesOf(proc.place);
        const evidence = [...new Set(proc.steps.map((x) => x.id))];
        for (const surface of surfaces.length ? surfaces : (['other'] as Surface[])) out.push({ surface, steps: proc.steps.map((x) => x.text), evidence });
      }
      if (prose.length) continue;
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
    for (const { id, s, label } of sentences) {
      if (restricted.has(id)) continue;
      const block = blocks[blocks.length - 1]!;
      if (label) {
        if (block.cands.length) blocks.push({ intro: [s], cands: [] });
        else block.intro.push(s);
      } else if (!isInstruction(s) && colonList(s)) {
        // "(b) in the app for iOS and Android: tap Menu, tap Settings, and switch off …": a procedure of its own.
        const listed = colonList(s)!;
        const own = { intro: [`${listed.place}:`], cands: listed.steps.map((x) => ({ text: sentenceCase(x), id, number: null })) };
        if (block.cands.length || block.intro.length) blocks.push(own);
        else blocks.splice(blocks.length - 1, 1, own);
      } else if (isInstruction(s)) {
        const m = NUMBERING.exec(s);
        // "Open the app, tap your initials, tap Settings, and turn off …": one step per action.
        splitCompound(s).forEach((part, i) => block.cands.push({ text: i ? sentenceCase(part) : part, id, number: m && !i ? Number(m[1] ?? m[2]) : null }));
      } else if (block.cands.length && SURFACE_INTRO.test(s) && surfacesOf(s).length) {
        blocks.push({ intro: [s], cands: [] });
      } else if (!block.cands.length) {
        // Only what comes before the steps introduces them; "The mobile apps don't let you change it yet" after them does not.
        block.intro.push(s);
      }
    }
    for (const block of blocks) {
      const steps = dedupe(block.cands);
      // A procedure that switches nothing off ("Access your personal information", "Visit our Advertising
      // Preferences page") is some other instruction under a broad heading, not the opt-out.
      if (!steps.some((x) => INLINE_OFF.test(x.text) || OFF_CHOICE.test(x.text))) continue;
      let surfaces: Surface[] = blocks.length > 1 ? introSurfaces(block.intro) : [];
      // A labelled block without a surface ("**Workspace admins**", "**In a community server**") is "other".
      if (blocks.length > 1 && !surfaces.length && block.intro.length) surfaces = ['other'];
      // The document title ("Quillon Studio — AI training FAQ") names the product, not a surface.
      for (let i = g.path.length - 1; i >= (g.path.length > 1 ? 1 : 0) && !surfaces.length; i--) surfaces = surfacesOf(g.path[i]!);
      if (!surfaces.length) surfaces = introSurfaces(block.intro);
      if (!surfaces.length) surfaces = ['other'];
      const evidence = [...new Set(steps.map((s) => s.id))];
      for (const surface of surfaces) out.push({ surface, steps: steps.map((s) => tidy(s.text)), evidence });
    }
  }
  return out;
}
