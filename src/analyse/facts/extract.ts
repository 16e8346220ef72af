// Rule-based extraction of AI-training facts from all of a platform's documents.

import type { AiTrainingFacts, FactOptions, FactProvision, PlanFact, TrainingException } from './types.ts';
import {
  EXCEPT_RE, EXCEPTION_FRAME, EXCEPTION_KINDS, NEVER_CUES, NO_OPT_OUT_CUES, OFF_CUES, ON_CUES, OPT_OUT_CUES,
  OTHER_PLANS, PLAN_NOUNS, PLAN_WORDS, TRAINING_TOPIC, USER_RESTRICTION, type Cue,
} from './patterns.ts';
import { ANY_PLAN_WORD, planRecogniser, type PlanRecogniser } from './plans.ts';
import { extractOptOutSteps, isInstruction, normaliseSection, restrictedIds } from './steps.ts';
import { controlNames, inferProducts, labelPlans, leadLabel, trainingTopic } from './context.ts';
import { repairGlue, splitSentences, stripLeadingSymbols } from './text.ts';
import { visibleText } from '../provisions/normalise.ts';

export const OTHER_PLANS_NAME = 'Other plans';
export const ALL_PLANS_NAME = 'All';

type Default = 'on' | 'off' | 'never';
type Scope = { plans: string[]; fromHeading?: true } | { other: true } | { unscoped: true };

interface Candidate {
  scope: Scope;
  default: Default;
  optOut: boolean | null;
  /**
   * 3: the sentence names the plan; 2: inferred ("other plans", "you may wish to opt out"); 1: names no plan;
   * 0: only implied by a description of the opt-out, used when nothing else is said.
   */
  strength: number;
  /** Says only that an opt-out exists ("You can switch it back off"): votes on the default only if nothing else does. */
  optOutOnly?: true;
  /** The main part of "we do not train on your data, except …": about every plan the exception does not name. */
  contrast?: true;
  id: string;
  order: number;
  section: string;
}

const firstIndex = (cues: Cue[], s: string): number => {
  let best = -1;
  for (const c of cues) {
    const m = c.re.exec(s);
    if (m && (best === -1 || m.index < best)) best = m.index;
  }
  return best;
};
const any = (cues: Cue[], s: string) => cues.some((c) => c.re.test(s));
/** Cheap screen for sentences that only count in a training context: opt-outs and exceptions. */
const FOLLOW_UP_CUE = /\b(?:opt|turn|switch|stop|disabl|uncheck|untick|deselect|feedback|thumbs|flag|report|violat)/i;
/** "… may be used to train … even if the setting is off / regardless of your settings / whatever your setting". */
const STILL_USED = /\b(?:even\s+(?:if|when|after|on)|regardless\s+of|whatever\s+your|irrespective\s+of)\b/i;
/** "If Teach Parlance is on, we may …" describes what the setting does, not which default it has. */
const WHILE_SETTING_ON = /^\s*(?:if|when|while)\s+(?:the\s+)?(?:["“]?[A-Z][^,]{0,50}?|it|this(?:\s+setting)?)\s+is\s+(?:on|enabled|turned\s+on|switched\s+on)\b/;
/** "Individual members can't override the administrator's choice": about members, not whether the plan can opt out. */
const MEMBER_LEVEL = /\b(?:individual|members?|agents?|employees?|end[- ]users?|your\s+customers|students?|pupils?)\b[^.;]{0,40}\b(?:can(?:not|[’']t)|are\s+unable\s+to)\b/i;
const optOutOf = (s: string): boolean | null => (any(NO_OPT_OUT_CUES, s) ? (MEMBER_LEVEL.test(s) ? null : false) : any(OPT_OUT_CUES, s) ? true : null);
/** "Once you opt out, we will not use …" describes the opt-out, not a default. */
const AFTER_OPT_OUT = /\b(?:once|after|if|when)\s+(?:you\s+)?(?:have\s+)?(?:opt(?:ed)?[- ]?out|(?:turn|switch)(?:ed)?\s+(?:(?:it|this|[A-Z][\w ]{0,40}?)\s+)?off|disabl\w*|the\s+opt[- ]?out|leave|left)/i;
/**
 * Sentences that describe rather than state: "This article explains when … is used to train", "It does not
 * change whether they are used for training", "The Atelier is what we call the collection … we use to train".
 */
const DESCRIBES = /\b(?:this|the\s+following)\s+(?:article|page|policy|section|faq|guide|document|notice)\s+(?:explains|describes|sets\s+out|covers|tells|answers|shows)\b|\bwhether\b[^,.;]{0,40}\b(?:used|train\w*|included)\b|\bis\s+what\s+we\s+call\b|\brefers\s+to\b/i;
/**
 * Feedback or flagged content is what the sentence is about: named before its cue ("Ratings … are not used as
 * training data") or in a sentence framed as an exception ("… even on Enterprise plans"). Not "Super
 * subscribers are included by default, … no difference to Lily's feedback".
 */
function aboutException(s: string): boolean {
  const kindAt = Math.min(...DATA_EXCEPTIONS.map((k) => k.re.exec(s)?.index ?? Infinity));
  if (kindAt === Infinity) return false;
  const cueAt = Math.min(...[firstIndex(ON_CUES, s), firstIndex(OFF_CUES, s), firstIndex(NEVER_CUES, s)].filter((i) => i >= 0));
  return kindAt < cueAt || STILL_USED.test(s);
}
/** Exceptions that are kinds of data (feedback, flagged content), as opposed to opt-ins and legal duties. */
const isDataException = (kind: string) => kind === 'feedback' || kind === 'flagged-content';
const DATA_EXCEPTIONS = EXCEPTION_KINDS.filter((k) => isDataException(k.kind));
/** Features and deleted data, not plans: "start a Private Chat; those are never used for training", "Content you have deleted … will not be used". */
const FEATURE_SCOPE = /\b(?:temporary|private|incognito|ghost|ephemeral)\s+(?:\w+\s+)?(?:chats?|mode|conversations?|sessions?|messages)\b|\b(?:you\s+(?:have\s+)?deleted?|deleted\s+(?:content|chats?|conversations?|data|recordings?|files?)|once\s+deleted|after\s+deletion)\b/i;

function exceptionKinds(s: string): string[] {
  return EXCEPTION_KINDS.filter((k) => k.re.test(s)).map((k) => k.kind);
}

/** Reads one sentence about training: which plans, which default, whether an opt-out exists, which exceptions. */
function readSentence(s: string, named: string[], plans: PlanRecogniser, headingPlans: string[]): { claims: Omit<Candidate, 'id' | 'order' | 'section'>[]; exceptions: string[] } {
  // A sentence that names no plan under a heading that does ("## ChatGPT Team and Enterprise") is about those.
  const scope = (p: string[]): Scope =>
    p.length ? { plans: p } : OTHER_PLANS.test(s) ? { other: true } : headingPlans.length ? { plans: headingPlans, fromHeading: true } : { unscoped: true };
  const strengthOf = (sc: Scope, inferred = false) => ('plans' in sc ? (inferred || sc.fromHeading ? 2 : 3) : 'other' in sc ? 2 : 1);

  const neg = firstIndex(OFF_CUES, s);
  const never = any(NEVER_CUES, s);
  const afterNeg = neg >= 0 ? s.slice(neg) : '';
  const exceptAt = neg >= 0 ? EXCEPT_RE.exec(afterNeg) : null;

  // "We do not use Your Data to train … except (a) when you use a free subscription … (b) when you provide Feedback"
  if (exceptAt && !AFTER_OPT_OUT.test(s.slice(0, neg))) {
    const cut = neg + exceptAt.index;
    const main = s.slice(0, cut);
    const rest = s.slice(cut);
    const mainPlans = plans.find(main);
    const restPlans = plans.find(rest);
    const claims: Omit<Candidate, 'id' | 'order' | 'section'>[] = [];
    const base: Default = never ? 'never' : 'off';
    if (restPlans.length) {
      claims.push({ scope: { plans: restPlans }, default: 'on', optOut: optOutOf(rest), strength: 3 });
      const mainScope: Scope = mainPlans.length ? { plans: mainPlans } : headingPlans.length ? { plans: headingPlans, fromHeading: true } : { unscoped: true };
      claims.push({ scope: mainScope, default: base, optOut: null, strength: strengthOf(mainScope), contrast: true });
    } else {
      // "… not used for training unless you choose to join the Beta Lab": a condition, not other plans.
      const sc = scope(mainPlans);
      claims.push({ scope: sc, default: base, optOut: null, strength: strengthOf(sc), ...(exceptionKinds(rest).some((k) => k === 'feedback' || k === 'flagged-content') ? { contrast: true as const } : {}) });
    }
    return { claims, exceptions: exceptionKinds(rest) };
  }

  const sc = scope(named);
  const optOut = optOutOf(s);
  const framed = EXCEPTION_FRAME.test(s);
  const pos = any(ON_CUES, s);
  let claim: Omit<Candidate, 'id' | 'order' | 'section'> | null = null;
  if ((AFTER_OPT_OUT.test(s) || WHILE_SETTING_ON.test(s)) && !never) {
    // Says what opting out does; about the default only by implication, so it counts only when nothing else does.
    claim = { scope: sc, default: 'on', optOut: true, strength: 'plans' in sc ? 2 : 0 };
  } else if (never) {
    claim = { scope: sc, default: 'never', optOut: null, strength: strengthOf(sc) };
  } else if (neg >= 0) {
    claim = { scope: sc, default: 'off', optOut: null, strength: strengthOf(sc) };
  } else if (pos) {
    claim = { scope: sc, default: 'on', optOut, strength: strengthOf(sc) };
  } else if (optOut !== null) {
    const weak = /\bmay\s+wish\s+to\b/i.test(s);
    claim = { scope: sc, default: 'on', optOut, strength: strengthOf(sc, weak), optOutOnly: true };
  }
  // "Requests flagged this way … but they are not added to training data": framed, but not used.
  const found = pos && !(neg >= 0 && !framed) ? exceptionKinds(s) : [];
  // An opt-in is how default-off works, not an exception to it, unless framed as one.
  const exceptions = framed ? found : found.filter((k) => k !== 'opt-in');
  // "Conversations flagged for review may be used to train", "Ratings are not used as training data", "… even
  // on Enterprise plans": about the exception, not about any plan's default.
  if (aboutException(s) || (exceptions.length && !named.length)) claim = null;
  if (DESCRIBES.test(s) || FEATURE_SCOPE.test(s)) claim = null;
  return { claims: claim ? [claim] : [], exceptions };
}

const CELL_NEVER = /^\s*never\b/i;
/** A sentence that only says which plans the next ones are about: "Yes, on the Free and Premium plans.", "For Team plans:". */
const PLAN_LEAD_IN = /^(?:yes|no)\b|^(?:for|on|in|with)\s+(?:the\s+|your\s+|our\s+)?[^,]{0,60}\b(?:plans?|tiers?|accounts?|subscriptions?|workspaces?)\b|:\s*$/i;
/** A heading made of plan words only (with plan nouns and joining words): "Individual", "Pro and Team plans". */
const ONLY_PLAN_WORDS = new RegExp(`^\\s*(?:(?:${PLAN_WORDS.flatMap((p) => p.words).join('|')}|${PLAN_NOUNS}|and|or|for|the|&|/|,)\\s*)+$`, 'i');
const PLAN_HEADING = /\b(?:plans?|tiers?|subscriptions?|memberships?|editions?|pricing)\b/i;
const PLAN_COLUMN = /\b(?:plans?|tiers?|subscriptions?|accounts?|editions?|products?)\b/i;
const CELL_NO = /^\s*(?:no|not|off|excluded|disabled|opted[- ]out|✗|✘|❌)\b/i;
const CELL_YES = /^\s*(?:yes|on|used|enabled|included|by\s+default|✓|✔|✅)/i;
/** A column asking whether training can be switched off: "Can I turn it off?", "Opt-out available". */
const OPT_OUT_COLUMN = /\b(?:opt(?:[- ]?out)?|turn\s+(?:it\s+|this\s+)?off|switch\s+(?:it\s+)?off|disable)\b/i;

/**
 * A table row under a header such as "| Plan | Used for training | Can I turn it off? |": the plan cell names
 * the plans, the training cell says yes (on; "unless turned off" means an opt-out), no (off) or never, and an
 * opt-out column, if any, says whether an on default can be switched off.
 */
function readTableRow(cells: string[], columns: string[], plans: PlanRecogniser): Omit<Candidate, 'id' | 'order' | 'section'>[] {
  const col = columns.findIndex((c) => TRAINING_TOPIC.test(c));
  if (col === -1 || cells.length !== columns.length) return [];
  const optCol = columns.findIndex((c, i) => i !== col && OPT_OUT_COLUMN.test(c));
  // A cell of the plan column names a plan even when the name is the provider's own ("| Studio | Never |").
  const named = cells.flatMap((c, i) => {
    if (i === col || i === optCol) return [];
    const found = plans.find(c.replace(/^(\w+)$/, '$1 plan'));
    if (found.length || !PLAN_COLUMN.test(columns[i] ?? '')) return found;
    const own = c.replace(/\([^)]*\)/g, '').trim();
    return own !== columns[i] && !PLAN_COLUMN.test(own) && /^[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|for|of|and|&)){0,3}$/.test(own) ? [own] : [];
  });
  if (!named.length) return [];
  const value = cells[col]!;
  const scope = { plans: [...new Set(named)] };
  if (CELL_NEVER.test(value)) return [{ scope, default: 'never', optOut: null, strength: 3 }];
  if (CELL_NO.test(value)) return [{ scope, default: 'off', optOut: null, strength: 3 }];
  if (CELL_YES.test(value)) {
    const optCell = optCol >= 0 ? cells[optCol]! : '';
    const optOut = /\b(?:unless|opt[- ]?out|turn(?:ed)?\s+off|disable)/i.test(value)
      ? true
      : (optOutOf(value) ?? (CELL_YES.test(optCell) ? true : CELL_NO.test(optCell) ? false : null));
    return [{ scope, default: 'on', optOut, strength: 3 }];
  }
  return [];
}

const PLAN_ORDER = new Map(PLAN_WORDS.map((p, i) => [p.plan, i]));
const planRank = (plan: string) => PLAN_ORDER.get(plan) ?? (plan === OTHER_PLANS_NAME ? 1000 : 1001);
// On a tie the worst case for the user wins; between "off" and "never" the promise is the more specific statement.
const DEFAULT_TIE: Default[] = ['on', 'never', 'off'];

/**
 * AI-training facts from all of a platform's documents (terms, privacy policy, help articles).
 * Sentences about training are read for a default cue (never / off / on / an opt-out implying on), the plans
 * they name, "other plans" they point to, and exceptions (feedback, flagged content). Per plan the strongest
 * claims win: a sentence naming the plan beats an inference, which beats a statement naming no plan.
 * Every fact lists the provision ids it rests on.
 */
export function extractAiTrainingFacts(provisions: FactProvision[], options: FactOptions = {}): AiTrainingFacts {
  // The documents name their own products ("Corvid Plus") and training controls ("Teach Parlance").
  const recogniser = planRecogniser([...(options.products ?? []), ...inferProducts(provisions.map((p) => p.text), provisions.map((p) => normaliseSection(p.section)[0] ?? ''))]);
  const headingRecogniser = planRecogniser(options.products);
  const steps = extractOptOutSteps(provisions);
  const topic = trainingTopic(controlNames(steps));
  const candidates: Candidate[] = [];
  const mentions = new Map<string, Set<string>>();
  /** Plans the documents list (as labels, or named in a training context) that may end up with nothing said. */
  const listed = new Map<string, string>();
  const list = (plan: string, id: string) => {
    if (!listed.has(plan)) listed.set(plan, id);
  };
  const exceptionEvidence = new Map<string, string[]>();
  const order = new Map<string, number>();
  const addException = (kind: string, id: string) => {
    const ids = exceptionEvidence.get(kind) ?? [];
    if (!ids.includes(id)) ids.push(id);
    exceptionEvidence.set(kind, ids);
  };

  // Restrictions on the user ("you will not: … train models on our content") are not training facts.
  const restricted = new Set<string>();
  for (let i = 0; i < provisions.length; ) {
    const section = normaliseSection(provisions[i]!.section).join('\u0000');
    let j = i;
    while (j < provisions.length && normaliseSection(provisions[j]!.section).join('\u0000') === section) j++;
    for (const id of restrictedIds(provisions.slice(i, j))) restricted.add(id);
    i = j;
  }

  // Labels ("**Pro:** …", "- **Business**" with sub-items): a Title Case name that is not a known plan word
  // ("Creator") counts as a plan only in a section whose other labels are plans.
  const labels = provisions.map((p) => {
    const l = leadLabel(p.text);
    return l ? { ...l, ...labelPlans(l.label, recogniser) } : null;
  });
  // A section's labels are plan labels when at least half of them name known plans (two or more, or one under a
  // heading about plans or training): privacy policies label many paragraphs ("**Personal**", "**Account
  // Creation**"), help articles label their plans.
  const labelCounts = new Map<string, { all: number; known: number; path: string[] }>();
  provisions.forEach((p, i) => {
    if (!labels[i]) return;
    const path = normaliseSection(p.section);
    const c = labelCounts.get(path.join('\u0000')) ?? { all: 0, known: 0, path };
    c.all++;
    if (labels[i]!.known.length) c.known++;
    labelCounts.set(path.join('\u0000'), c);
  });
  const sectionsWithPlanLabels = new Set(
    [...labelCounts].filter(([, c]) => c.known * 2 >= c.all && (c.known >= 2 || c.path.some((h) => PLAN_HEADING.test(h) || TRAINING_TOPIC.test(h)))).map(([k]) => k),
  );
  let itemLabel: { section: string; plans: string[] } | null = null;
  const documentAboutTraining = provisions.some((p) => topic.test(p.text));
  /** Whether plans were given a row or a label of their own (see "Other plans" below). */
  let labelled = provisions.some((p, i) => labels[i]?.known.length && sectionsWithPlanLabels.has(normaliseSection(p.section).join('\u0000')));

  provisions.forEach((p, index) => {
    if (!order.has(p.id)) order.set(p.id, index);
    const path = normaliseSection(p.section);
    const section = path.join('\u0000');
    const label = labels[index];
    // "**Pro** photos are not used for training …": a bold plan name opening the sentence names its plan.
    const boldLead = !label && /^\s*\*\*([^*]{1,40})\*\*/.exec(p.text);
    const boldPlans = boldLead ? labelPlans(boldLead[1]!, recogniser).known : [];
    const ownLabelPlans = label && sectionsWithPlanLabels.has(section) ? [...label.known, ...label.unknown] : [];
    for (const plan of ownLabelPlans) list(plan, p.id);
    if (label && !label.rest) {
      // A list item that is only a label scopes the items after it, until the next label or the list ends.
      itemLabel = p.kind === 'list-item' && ownLabelPlans.length ? { section, plans: ownLabelPlans } : null;
      return;
    }
    if (p.kind !== 'list-item' || itemLabel?.section !== section) itemLabel = null;
    if (restricted.has(p.id)) return;
    // A list item starting in lower case continues a lead-in we cannot see the polarity of.
    if (p.kind === 'list-item' && /^[a-z]/.test(p.text.trim())) return;
    // A provision or heading about training, or any provision after a training statement, makes the
    // provision's other sentences about training too, for opt-outs ("… to improve our models. You can opt
    // out at any time.") and framed exceptions ("… even when the setting is off").
    const topical = topic.test(p.text);
    const headedByTraining = path.some((h) => topic.test(h));
    const inTrainingContext = topical || candidates.length > 0 || headedByTraining;
    const scopePlans = ownLabelPlans.length ? ownLabelPlans : boldPlans.length ? boldPlans : (itemLabel?.plans ?? []);
    // A row of a table with a training column, even one naming the provider's own plan ("| Studio | Never |").
    if (p.columns?.length) {
      const cells = p.text.split(/(?<!\\)\|/).map((c) => visibleText(c).trim());
      for (const c of readTableRow(cells, p.columns, recogniser)) {
        candidates.push({ ...c, id: p.id, order: index, section });
        labelled = true;
      }
    }
    // Most provisions of a long policy neither name a plan nor mention training.
    if (!topical && !scopePlans.length && !ANY_PLAN_WORD.test(p.text) && !(inTrainingContext && FOLLOW_UP_CUE.test(p.text))) return;
    let headingPlans: string[] = scopePlans;
    // A short heading is a name, like a label ("## Individual", "## Pro and Team"), in a document or section
    // about training; elsewhere ("## API" in developer terms) it needs the recogniser's evidence.
    const namesByHeading = (h: string) => h.split(/\s+/).length <= 5 && ONLY_PLAN_WORDS.test(h.replace(/\([^)]*\)/g, ' ')) && (headedByTraining || path.some((x) => PLAN_HEADING.test(x)));
    // Products learned from the documents are not trusted in headings ("Ads API Agreement" is no API plan).
    for (let h = path.length - 1; h >= 0 && !headingPlans.length; h--) headingPlans = namesByHeading(path[h]!) ? labelPlans(path[h]!, recogniser).known : headingRecogniser.find(path[h]!);
    // "**Creator:** Yes, unless you switch off …" under a question about training: the label's answer.
    if (label?.rest && ownLabelPlans.length && (headedByTraining || topical)) {
      const answer = /^(yes|no)\b[.,;:—–-]?\s*([^]*)$/i.exec(visibleText(label.rest));
      if (answer) {
        const restText = answer[2] ?? '';
        const d: Default = answer[1]!.toLowerCase() === 'yes' ? 'on' : any(NEVER_CUES, restText) ? 'never' : 'off';
        candidates.push({ scope: { plans: ownLabelPlans }, default: d, optOut: d === 'on' ? optOutOf(restText) : null, strength: 3, id: p.id, order: index, section });
      }
    }
    let lastNamed: string[] = [];
    let carried: string[] = [];
    const provisionText = visibleText(p.text);
    for (const raw of splitSentences(repairGlue(visibleText(label?.rest ? label.rest : p.text)))) {
      const s = stripLeadingSymbols(raw);
      let named = recogniser.mayName(s) ? recogniser.find(s) : [];
      if (named.length) {
        const set = mentions.get(section) ?? new Set<string>();
        for (const n of named) set.add(n);
        mentions.set(section, set);
        // Listed (and reported as not stated if nothing is said of them): plans named in a sentence about
        // training or a short provision about it, or in a section about plans ("## 2. Membership plans") of a
        // document about training; not inside a label's scope, where other plans are mentioned in passing
        // ("Basic — our free plan").
        if ((topic.test(s) || (topical && p.text.length < 1200) || (documentAboutTraining && path.some((h) => PLAN_HEADING.test(h)))) && !scopePlans.length) for (const n of named) list(n, p.id);
      }
      // "Yes, on the Free and Premium plans. By default, drafts … are used …": a sentence that only names
      // plans scopes the sentences after it in the provision, as a heading would.
      if (named.length && PLAN_LEAD_IN.test(s) && s.split(/\s+/).length <= 10 && !topic.test(s) && optOutOf(s) === null && !any(ON_CUES, s) && firstIndex(OFF_CUES, s) < 0) carried = named;
      if (isInstruction(s) || USER_RESTRICTION.test(s)) continue;
      if (topic.test(s)) {
        if (named.length) lastNamed = named;
      } else if (inTrainingContext && optOutOf(s) !== null && !exceptionKinds(s).length) {
        // "You can opt out at any time." is about the plans the previous training sentence named.
        if (!named.length) named = lastNamed;
      } else if (!(inTrainingContext && EXCEPTION_FRAME.test(s) && any(ON_CUES, s) && exceptionKinds(s).some((k) => k !== 'opt-in'))) {
        continue;
      }
      const { claims, exceptions } = readSentence(s, named, recogniser, carried.length ? carried : headingPlans);
      for (const kind of exceptions) addException(kind, p.id);
      // "Rated examples may be used to train our models even if Teach Parlance is off.": the kind of data is
      // named elsewhere in the provision ("**Thumbs up and thumbs down.** When you rate a suggestion …"), and
      // the sentence is about that exception, not about any plan.
      if (!exceptions.some(isDataException) && STILL_USED.test(s) && any(ON_CUES, s)) {
        const kinds = exceptionKinds(provisionText).filter(isDataException);
        for (const kind of kinds) addException(kind, p.id);
        if (kinds.length) continue;
      }
      for (const c of claims) candidates.push({ ...c, id: p.id, order: index, section });
    }
  });

  // Implied claims count only when nothing is said outright.
  if (candidates.some((c) => c.strength > 0)) candidates.splice(0, candidates.length, ...candidates.filter((c) => c.strength > 0));

  // Resolve scopes to plan names.
  type Resolved = { plan: string; c: Candidate; strength: number };
  const resolved: Resolved[] = [];
  const namedClaims = candidates.filter((c) => 'plans' in c.scope);
  const anyNamed = namedClaims.length > 0;
  // A document that goes plan by plan (a plan table, plan labels, or three or more plans with their own
  // statements) describes the mechanism in its other sentences, not further plans: those make no "Other plans"
  // row, unless they contrast ("we do not train on your data, except …").
  const perPlan = new Set(namedClaims.filter((c) => c.strength >= 2).flatMap((c) => ('plans' in c.scope ? c.scope.plans : [])));
  const enumerated = labelled || perPlan.size >= 3;
  for (const c of candidates) {
    if ('plans' in c.scope) {
      for (const plan of c.scope.plans) resolved.push({ plan, c, strength: c.strength });
    } else if ('other' in c.scope) {
      // "Users of other subscription plans may opt out": the plans this section mentions that no claim here
      // puts on a different default.
      const inSection = [...(mentions.get(c.section) ?? [])].filter(
        (plan) => !namedClaims.some((n) => n.section === c.section && n.default !== c.default && 'plans' in n.scope && n.scope.plans.includes(plan)),
      );
      if (inSection.length) for (const plan of inSection) resolved.push({ plan, c, strength: 2 });
      else resolved.push({ plan: anyNamed ? OTHER_PLANS_NAME : ALL_PLANS_NAME, c, strength: Math.min(c.strength, 1) });
    } else if (!(enumerated && !c.contrast)) {
      resolved.push({ plan: anyNamed ? OTHER_PLANS_NAME : ALL_PLANS_NAME, c, strength: c.strength });
    }
  }

  const byPlan = new Map<string, Resolved[]>();
  for (const r of resolved) {
    const list = byPlan.get(r.plan) ?? [];
    list.push(r);
    byPlan.set(r.plan, list);
  }
  const plans: PlanFact[] = [];
  for (const [plan, list] of byPlan) {
    // A sentence that only says an opt-out exists decides the default only when nothing else is said.
    const decisive = list.filter((r) => !r.c.optOutOnly);
    const voters = decisive.length ? decisive : list;
    const top = Math.max(...voters.map((r) => r.strength));
    const votes = new Map<Default, number>();
    for (const r of voters) if (r.strength === top) votes.set(r.c.default, (votes.get(r.c.default) ?? 0) + 1);
    const chosen = [...votes.entries()].sort((a, b) => b[1] - a[1] || DEFAULT_TIE.indexOf(a[0]) - DEFAULT_TIE.indexOf(b[0]))[0]![0];
    // For a default-off plan, "you can switch it back off" says whether an opt-in can be undone.
    const agreeing = [...voters.filter((r) => r.c.default === chosen), ...(chosen === 'never' ? [] : list.filter((r) => r.c.optOutOnly && !voters.includes(r)))];
    const optOut = agreeing.some((r) => r.c.optOut === false) ? false : agreeing.some((r) => r.c.optOut === true) ? true : null;
    const evidence = [...new Set(agreeing.sort((a, b) => a.c.order - b.c.order).map((r) => r.c.id))];
    plans.push({ plan, default: chosen, optOut, evidence });
  }
  // Opt-out steps that no plan is excluded from answer "can I opt out?" for a plan used by default.
  if (steps.length) {
    const stepIds = [...new Set(steps.flatMap((s) => s.evidence))];
    plans.forEach((p, i) => {
      if (p.default === 'on' && p.optOut === null) plans[i] = { ...p, optOut: true, evidence: [...new Set([...p.evidence, ...stepIds])] };
    });
  }
  // A plan the documents list but say nothing about is reported as not stated, not left out.
  for (const [plan, id] of listed) if (!byPlan.has(plan)) plans.push({ plan, default: 'unstated', optOut: null, evidence: [id] });
  plans.sort((a, b) => planRank(a.plan) - planRank(b.plan));

  if (!plans.length) {
    const evidence = [...new Set(steps.flatMap((s) => s.evidence))];
    plans.push({ plan: ALL_PLANS_NAME, default: 'unstated', optOut: steps.length ? true : null, evidence });
  }

  const exceptions: TrainingException[] = EXCEPTION_KINDS.filter((k) => exceptionEvidence.has(k.kind)).map((k) => ({
    kind: k.kind as TrainingException['kind'],
    evidence: exceptionEvidence.get(k.kind)!.sort((a, b) => order.get(a)! - order.get(b)!),
  }));
  return { plans, optOutSteps: steps, exceptions };
}
