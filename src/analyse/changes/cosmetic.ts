// Is an edit to a provision cosmetic? Each rule removes one kind of noise; an edit is cosmetic when the
// rules, applied together, make the two texts equal.

import { stripEnumeration, visibleText } from '../provisions/normalise.ts';
import { DATE_PLACEHOLDER, maskDates, sameDates, type FoundDate } from './dates.ts';

export type CosmeticReason =
  | 'markup'
  | 'link-target'
  | 'tracking-parameter'
  | 'whitespace'
  | 'split-words'
  | 'punctuation-or-case'
  | 'duplicated-text'
  | 'renumbered'
  | 'reordered'
  | 'date-format'
  | 'last-updated-date'
  | 'moved'
  | 'heading-only';

export const REASON_TITLES: Record<CosmeticReason, string> = {
  markup: 'formatting markup',
  'link-target': 'link target',
  'tracking-parameter': 'tracking parameter in a link',
  whitespace: 'whitespace',
  'split-words': 'words split or joined by markup',
  'punctuation-or-case': 'punctuation or letter case',
  'duplicated-text': 'duplicated text',
  renumbered: 'numbering',
  reordered: 'order of items',
  'date-format': 'date format',
  'last-updated-date': 'last-updated date',
  moved: 'section heading or position',
  'heading-only': 'heading without text',
};

type Step = 'markup' | 'whitespace' | 'split-words' | 'punctuation-or-case' | 'duplicated-text' | 'renumbered' | 'reordered' | 'date';
/** Least to most invasive; the first prefix of this list that makes two texts equal says why. */
const STEPS: Step[] = ['markup', 'whitespace', 'split-words', 'punctuation-or-case', 'duplicated-text', 'renumbered', 'reordered', 'date'];

/** "X X" → "X": responsive pages render the same line twice; also consecutive repeated sentences. */
export function dedupeRepeats(s: string): string {
  const words = s.trim().split(/\s+/);
  if (words.length >= 2 && words.length % 2 === 0) {
    const half = words.length / 2;
    if (words.slice(0, half).join(' ') === words.slice(half).join(' ')) return words.slice(0, half).join(' ');
  }
  const sentences = s.split(/(?<=[.!?])\s+/);
  return sentences.filter((x, i) => i === 0 || x !== sentences[i - 1]).join(' ');
}

/** Menus and short lists written on one line: the same items in another order are the same list. */
function sortListItems(s: string): string {
  const items = s.split(/\s*(?:[|·•;,]|\s[-–—]\s)\s*/).filter(Boolean);
  if (items.length < 3 || items.some((i) => i.split(/\s+/).length > 6)) return s.replace(/[|·•;,]/g, ' ');
  return [...items].map((i) => i.replace(/^(?:and|or)\s+/i, '')).sort().join('|');
}

function canon(x: string, visible: string, steps: Set<Step>): string {
  let s = steps.has('markup') ? visible : x;
  if (steps.has('date')) s = maskDates(s).masked;
  if (steps.has('duplicated-text')) s = dedupeRepeats(s);
  if (steps.has('renumbered')) s = stripEnumeration(s);
  if (steps.has('punctuation-or-case')) {
    s = s.normalize('NFKC').toLowerCase().replace(new RegExp(`[^\\p{L}\\p{N}\\s${DATE_PLACEHOLDER}|·•;,]`, 'gu'), ' ');
    if (!steps.has('reordered')) s = s.replace(/[|·•;,]/g, ' ');
  }
  if (steps.has('reordered')) s = sortListItems(s);
  // Scripts written without spaces (and full-width punctuation) do not separate words with them.
  if (steps.has('whitespace')) s = s.replace(/\s+/g, ' ').replace(/ ?([\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]) ?/g, '$1').trim();
  if (steps.has('split-words')) s = s.replace(/\s+/g, '');
  return s;
}

const STAMP_WORDS = new Set([
  'last', 'updated', 'update', 'modified', 'revised', 'revision', 'effective', 'date', 'dated', 'of', 'as', 'on', 'at',
  'version', 'published', 'posted', 'this', 'the', 'policy', 'terms', 'notice', 'statement', 'privacy', 'cookie',
  'cookies', 'service', 'services', 'agreement', 'from', 'since', 'in', 'force', 'and', 'use', 'conditions',
  '更新日期', '生效日期', '更新', '生效', '日期', '版本', 'mis', 'à', 'jour', 'le', 'dernière', 'mise', 'vigueur', 'en',
  'stand', 'gültig', 'ab', 'letzte', 'aktualisierung',
]);

/** Words that make a date a version stamp when they lead into it. */
const STAMP_CUES = new Set(['updated', 'update', 'modified', 'revised', 'revision', 'effective', 'dated', '更新日期', '生效日期', '更新', '生效']);

/**
 * A date that a version-stamp phrase leads into at the start of a sentence: "Last Modified on ⟨date⟩ …",
 * "Effective ⟨date⟩ (archived versions)". Not "The new fees are effective on ⟨date⟩".
 */
function isStampDate(text: string, d: FoundDate): boolean {
  const lead = text.slice(0, d.start).split(/[.!?;]\s+/).pop() ?? '';
  const words = lead.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return words.length <= 6 && words.some((w) => STAMP_CUES.has(w)) && words.every((w) => STAMP_WORDS.has(w));
}

/** "Last updated: ⟨date⟩", "Effective Date: ⟨date⟩", or a date alone: a line that only stamps the version. */
export function isDateStamp(text: string): boolean {
  const { masked, dates } = maskDates(visibleText(text));
  if (!dates.length) return false;
  const words = masked.replace(new RegExp(DATE_PLACEHOLDER, 'g'), ' ').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return words.length <= 12 && words.every((w) => STAMP_WORDS.has(w));
}

const URL_IN_MD = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\)|\bhttps?:\/\/[^\s)<>"]+/g;
function linkTargets(s: string): string[] {
  return [...s.matchAll(URL_IN_MD)].map((m) => m[1] ?? m[0]);
}
function stripQuery(u: string): string {
  return u.replace(/[?#].*$/, '');
}

/** Why two texts whose only differences are in markup differ: a link target, a tracking parameter, or neither. */
function markupReason(before: string, after: string): CosmeticReason {
  const a = linkTargets(before);
  const b = linkTargets(after);
  if (a.join('\n') === b.join('\n')) return 'markup';
  if (a.length === b.length && a.every((u, i) => stripQuery(u) === stripQuery(b[i]!))) return 'tracking-parameter';
  return 'link-target';
}

const MONTH_NAMES =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b|\d+(?:st|nd|rd|th|er)\b/g;
/** Letter counts differing by at most this many are worth the full check (relabelled "(a)" → "(b)"). */
const LETTER_SLACK = 12;

/**
 * Cheap screen: every cosmetic rule keeps the letters (ignoring dates and labels), doubles them
 * (duplicated text) or changes a few (enumeration labels). Anything else is a real edit.
 */
function lettersCouldMatch(a: string, b: string): boolean {
  const count = (s: string) => {
    const m = new Map<string, number>();
    for (const ch of s.toLowerCase().replace(MONTH_NAMES, ' ').replace(/[^\p{L}]+/gu, '')) m.set(ch, (m.get(ch) ?? 0) + 1);
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  let diff = 0;
  let doubled = true;
  for (const k of new Set([...ca.keys(), ...cb.keys()])) {
    const x = ca.get(k) ?? 0;
    const y = cb.get(k) ?? 0;
    diff += Math.abs(x - y);
    if (x * 2 !== y && y * 2 !== x) doubled = false;
  }
  return diff <= LETTER_SLACK || doubled;
}

/**
 * The cosmetic reason for an edit, or null when the edit is material. A changed date counts as cosmetic only
 * on a line that does nothing but stamp the version ("Last updated: …"); any other date is content.
 */
export function cosmeticReason(before: string, after: string): CosmeticReason | null {
  if (before === after) return 'markup';
  const vb = visibleText(before);
  const va = visibleText(after);
  const ws = (x: string) => x.replace(/\s+/g, ' ').trim();
  // The common case on real pages (a link's tracking parameter changed) needs no further work.
  if (vb === va) return ws(before) === ws(after) ? 'whitespace' : markupReason(before, after);
  if (!lettersCouldMatch(vb, va)) return null;
  const same = (steps: Set<Step>) => canon(before, vb, steps) === canon(after, va, steps);
  // Most edits are real: one comparison with every rule applied settles those.
  if (!same(new Set(STEPS))) return null;
  const active = new Set<Step>();
  let level = STEPS.length - 1;
  for (let i = 0; i < STEPS.length; i++) {
    active.add(STEPS[i]!);
    if (same(active)) {
      level = i;
      break;
    }
  }
  // Of the steps used, which were needed? The most invasive needed one names the reason.
  const needed = STEPS.slice(0, level + 1).filter((step) => !same(new Set(STEPS.slice(0, level + 1).filter((s) => s !== step))));
  const top = needed[needed.length - 1] ?? STEPS[level]!;
  if (top === 'date' || needed.includes('date')) {
    const db = maskDates(vb).dates;
    const da = maskDates(va).dates;
    if (sameDates(db, da)) return 'date-format';
    if (isDateStamp(before) && isDateStamp(after)) return 'last-updated-date';
    // Inside a longer provision, every date that changed must be a version stamp.
    const changed = db.map((d, i) => [d, da[i]!] as const).filter(([b, a]) => !b.candidates.some((c) => a.candidates.includes(c)));
    return changed.every(([b, a]) => isStampDate(vb, b) && isStampDate(va, a)) ? 'last-updated-date' : null;
  }
  if (top === 'markup') {
    return ws(before) === ws(after) ? 'whitespace' : markupReason(before, after);
  }
  return top;
}
