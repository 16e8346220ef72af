// What a platform's own documents teach the fact extractor before it reads them: its product names, the
// names of its training controls, and the labels ("**Pro:** …", "- **Business**") that scope what follows.

import type { OptOutSteps } from './types.ts';
import { PLAN_NOUNS, PLAN_WORDS, TRAINING_TOPIC } from './patterns.ts';
import type { PlanRecogniser } from './plans.ts';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PLAN_WORD_ALT = PLAN_WORDS.flatMap((p) => p.words).join('|');
const WORD_TO_PLAN = new Map(PLAN_WORDS.flatMap((p) => p.words.map((w) => [w, p.plan] as const)));

/** Words that are capitalised for other reasons than being a product. */
const NOT_PRODUCTS = new Set(['The', 'Our', 'Your', 'A', 'An', 'All', 'Any', 'Each', 'Every', 'Other', 'For', 'On', 'In', 'With', 'If', 'When', 'Free', 'Microsoft', 'Google', ...WORD_TO_PLAN.keys()]);
const CAPITALISED = /\b[A-Z][a-z]{2,}[A-Za-z]*\b/g;
const PRODUCT_BEFORE_PLAN_SOURCE = `\\b([A-Z][a-z]{2,}[A-Za-z]*)\\s+(?:(?:${PLAN_WORD_ALT})\\b|[A-Z][a-z]+\\s+(?:plan|subscribers|subscription|members|tier)\\b)`;
const PRODUCT_BEFORE_PLAN = new RegExp(PRODUCT_BEFORE_PLAN_SOURCE, 'g');
const STARTS_PRODUCT_BEFORE_PLAN = new RegExp(`^${PRODUCT_BEFORE_PLAN_SOURCE}`);

/**
 * Product names the documents use before plan words ("Corvid Plus", "Corvid Teams", "Lumen API"): a
 * capitalised word that the documents put before a plan word, use at least three times in all, and name
 * the provider by (in a document title, a possessive, "Corvid's replies", or a domain, "privacy@lingofox.example"),
 * so that one "Example Pro" in passing or "Ads API" in developer terms does not make a product.
 */
export function inferProducts(texts: readonly string[], titles: readonly string[] = []): string[] {
  const before = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(PRODUCT_BEFORE_PLAN)) if (!NOT_PRODUCTS.has(m[1]!)) before.add(m[1]!);
  if (!before.size) return [];
  const counts = new Map<string, number>();
  for (const t of texts) for (const m of t.matchAll(CAPITALISED)) if (before.has(m[0])) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  // A title word not used there before a plan word: "Does Corvid learn …", not "Ads API Agreement".
  const titleWords = new Set(titles.flatMap((t) => [...t.matchAll(CAPITALISED)].filter((m) => !STARTS_PRODUCT_BEFORE_PLAN.test(t.slice(m.index))).map((m) => m[0])));
  const namesProvider = (w: string) => {
    // The provider's own domain, not a subdomain of another ("ads.x.com").
    const domain = new RegExp(`[@/.]${escape(w.toLowerCase())}\\.(?:com|net|org|io|ai|app|dev|co|example)\\b`);
    return texts.some((t) => t.includes(`${w}'s `) || t.includes(`${w}’s `) || domain.test(t));
  };
  return [...before].filter((w) => (counts.get(w) ?? 0) >= 3 && (titleWords.has(w) || namesProvider(w)));
}

/** "Switch off **Teach Parlance**", "turn off the switch called Learn from my chats", "Untick Contribute …". */
const CONTROL_IN_STEP = [
  /\b(?:switch|turn|toggle)\s+(?:it\s+)?off\s+(?:the\s+)?(?:(?:switch|toggle|setting|option|checkbox)\s+(?:called|named|labell?ed)\s+)?["“‘]?(.+?)["”’]?(?:\s+(?:toggle|switch|setting|option))?\s*[.;]?$/i,
  /\b(?:untick|uncheck|clear|deselect|disable)\s+(?:the\s+)?["“‘]?(.+?)["”’]?(?:\s+(?:toggle|switch|setting|option|checkbox|box))?\s*[.;]?$/i,
  /\bset\s+["“‘]?(.+?)["”’]?\s+to\s+["“]?off\b/i,
];

/**
 * The names of the settings or programmes that turn training off, taken from the opt-out steps (the thing a
 * step switches off). Sentences that name one are about training even when they never say "train":
 * "Stealth mode does not keep your images out of the Atelier", "Business workspaces are never part of Nimbus Lab".
 */
export function controlNames(steps: readonly OptOutSteps[]): string[] {
  const names = new Set<string>();
  for (const s of steps) {
    for (const step of s.steps) {
      for (const re of CONTROL_IN_STEP) {
        const m = re.exec(step);
        const name = m?.[1]?.trim();
        // A control name is a label, not a clause: capitalised, a few words, no further instruction.
        if (!name || !/^[A-Z]/.test(name) || name.split(/\s+/).length > 8 || /\b(?:and|then|to\s+confirm)\b.*\b(?:click|tap|select)\b/i.test(name)) continue;
        names.add(name);
        // "Contribute to the Atelier", "Share snippets with Nimbus Lab": the programme is the proper name at the end.
        const tail = /\b(?:to|with|in|into|from)\s+(?:the\s+)?([A-Z][\w]+(?:\s+[A-Z][\w]+){0,3})$/.exec(name)?.[1];
        if (tail && name.split(/\s+/).length >= 3) names.add(tail);
        break;
      }
    }
  }
  return [...names];
}

/** Tests whether a sentence is about training: by its words, or by naming one of the platform's training controls. */
export function trainingTopic(controls: readonly string[]): { test(text: string): boolean } {
  const alt = [...controls].sort((a, b) => b.length - a.length).map(escape).join('|');
  const re = controls.length ? new RegExp(`${TRAINING_TOPIC.source}|\\b(?:${alt})\\b`, 'i') : TRAINING_TOPIC;
  // "Staff training", "specialist training", "Training mode lets new agents practise": people, not models.
  return { test: (text) => re.test(text) && (!PEOPLE_TRAINING.test(text) || re.test(text.replace(PEOPLE_TRAINING_ALL, ' '))) };
}

const PEOPLE_TRAINING_SOURCE =
  '\\b(?:staff|employees?|agents?|team|specialist|safety|security|compliance|privacy|customer[- ]success|new\\s+hires?|professional)\\s+training\\b|\\btraining\\s+(?:sessions?|courses?|mode|staff|our\\s+staff|your\\s+staff|new\\s+agents)\\b|\\btraining\\s+for\\s+(?:staff|employees|agents)\\b';
const PEOPLE_TRAINING = new RegExp(PEOPLE_TRAINING_SOURCE, 'i');
const PEOPLE_TRAINING_ALL = new RegExp(PEOPLE_TRAINING_SOURCE, 'gi');

export interface LeadLabel {
  label: string;
  /** The text after the label; empty when the provision is only a label (a list item whose sub-items follow). */
  rest: string;
}

// A bullet or a clause number may come first: "- **Business**", "3.1 **Circlet Basic.** …", "(a) **Pro:** …".
const LABEL_LEAD = '^\\s*(?:[-*+]\\s+|\\d+(?:\\.\\d+)*\\.?\\s+|\\([a-z0-9]{1,3}\\)\\s+)?';
const LABEL_WITH_PUNCTUATION_AFTER = new RegExp(`${LABEL_LEAD}\\*\\*([^*]{1,60}?)\\*\\*\\s*([.:—–-]\\s*)?([^]*)$`);
const LABEL_WITH_PUNCTUATION_INSIDE = new RegExp(`${LABEL_LEAD}\\*\\*([^*]{1,60}?)([.:])\\*\\*\\s*()([^]*)$`);

/** "**Basic (free) and Pro.** Meeting audio …", "**Creator:** Yes, unless …", "- **Business**". */
export function leadLabel(text: string): LeadLabel | null {
  const m = LABEL_WITH_PUNCTUATION_AFTER.exec(text) ?? LABEL_WITH_PUNCTUATION_INSIDE.exec(text);
  if (!m) return null;
  const label = m[1]!.trim().replace(/[.:]$/, '');
  const rest = (m[3] ?? m[4] ?? '').trim();
  if (rest && !m[2] && !/[.:]$/.test(m[1]!.trim())) return null; // "**Settings** opens …": a bold word in a sentence.
  return { label, rest };
}

const PLAN_NOUN_WORD = new RegExp(`^(?:${PLAN_NOUNS})$`, 'i');
const TITLE_WORD = /^(?:[A-Z][\w'’-]*|for|of|and|the|&)$/;

/**
 * The plans a label names. Known plan words count alone here ("**Pro**", "**Lumen API**"), since a label
 * is a name; parentheticals such as "(free)" are dropped. Other Title Case names ("Creator", "Studio for
 * Schools") are returned as unknown, for the caller to accept only where the labels around them are plans.
 */
export function labelPlans(label: string, recogniser: PlanRecogniser): { known: string[]; unknown: string[] } {
  const cleaned = label.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (!cleaned || cleaned.split(' ').length > 6) return { known: [], unknown: [] };
  const known: string[] = [];
  const unknown: string[] = [];
  for (const part of cleaned.split(/\s*(?:,|\band\b|&|\/)\s*/).map((x) => x.trim()).filter(Boolean)) {
    const words = part.split(' ');
    // Plan words name plans alone here; otherwise only the provider's editions ("Lingofox for Classrooms") do.
    // A name, not a phrase that contains a plan word: "Studio Teams", "Team workspaces", not "Retention of
    // your Personal Data".
    const nameLike = words.length <= 4 && words.every((w) => TITLE_WORD.test(w) || PLAN_NOUN_WORD.test(w));
    const direct = nameLike ? words.map((w) => WORD_TO_PLAN.get(w)).filter((p): p is string => !!p) : [];
    const found = direct.length ? direct : recogniser.find(part);
    if (found.length) known.push(...found);
    else if (words.length <= 4 && words.every((w) => TITLE_WORD.test(w)) && /^[A-Z]/.test(words[words.length - 1]!)) unknown.push(part);
    else return { known: [], unknown: [] };
  }
  return { known: [...new Set(known)], unknown };
}
