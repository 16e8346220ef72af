// Recognises subscription plans named in a sentence: "le Chat Teams" → Team, "a Scale plan" → Scale.

import { API_AS_PLAN, PLAN_NOUNS, PLAN_WORDS, PRODUCT_NAMES } from './patterns.ts';

const USE_FOR_FREE = /\b(?:use|using|uses)\s+(?:\S+\s+){0,2}?for\s+free\b/gi;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface PlanRecogniser {
  /** Canonical plan names in order of first mention. */
  find(sentence: string): string[];
  /** A cheap test: could the sentence name a plan at all (a plan word, "free", or a product name)? */
  mayName(sentence: string): boolean;
}

/**
 * A capitalised plan word counts as a plan when the sentence marks it as one: a product name before it
 * ("Le Chat Pro"), a plan noun after it or after its list ("Team and Enterprise plans"), or a list of two
 * or more plan words ("Free, Plus and Pro"). Lower-case "free" counts only before a plan noun ("a free
 * subscription"). A lone "Team" or "Business" in prose is not a plan.
 */
const cache = new Map<string, PlanRecogniser>();

export function planRecogniser(extraProducts: string[] = []): PlanRecogniser {
  const cacheKey = extraProducts.join('\u0000');
  let r = cache.get(cacheKey);
  if (!r) {
    r = buildRecogniser(extraProducts);
    // Options come from configuration, so few distinct keys; the bound only guards against misuse.
    if (cache.size > 64) cache.clear();
    cache.set(cacheKey, r);
  }
  return r;
}

/** Any plan word at all: a cheap test before the full recogniser runs. */
export const ANY_PLAN_WORD = new RegExp(`\\b(?:${PLAN_WORDS.flatMap((p) => p.words).join('|')})\\b|\\b[Ff]ree\\b`);

function buildRecogniser(extraProducts: string[]): PlanRecogniser {
  const wordToPlan = new Map<string, string>();
  for (const { plan, words } of PLAN_WORDS) for (const w of words) wordToPlan.set(w, plan);
  const planAlt = [...wordToPlan.keys()].sort((a, b) => b.length - a.length).map(escape).join('|');
  const products = [...new Set([...PRODUCT_NAMES, ...extraProducts])].sort((a, b) => b.length - a.length).map(escape).join('|');
  const element = `(?:(?:${products})\\s+)?(?:the\\s+)?(?:${planAlt})\\b`;
  const sep = `\\s*(?:,\\s*(?:and\\s+|or\\s+|&\\s+)?|\\s+and\\s+|\\s+or\\s+|\\s*&\\s*|\\s*/\\s*)\\s*`;
  const chainRe = new RegExp(`(?<![\\p{L}\\p{N}])${element}(?:${sep}${element})*`, 'gu');
  const productRe = new RegExp(`(?:${products})\\s+(?:the\\s+)?(?:${planAlt})\\b`);
  const nounAfterRe = new RegExp(`^\\s*(?:${PLAN_NOUNS})\\b`, 'i');
  const wordRe = new RegExp(`\\b(${planAlt})\\b`, 'g');
  const planAfterRe = new RegExp(`\\b(?:you(?:['’]re|\\s+are)\\s+on|subscribe\\s+to|upgrade\\s+to|downgrade\\s+to|switch\\s+to)\\s+(?:the\\s+)?(${planAlt})\\b`, 'g');
  const freeRe = new RegExp(`\\bfree\\s+(?:${PLAN_NOUNS})\\b`, 'gi');
  // The provider's own editions: "Lingofox for Classrooms", "Lingofox Super subscribers".
  const editionRe = new RegExp(`(?:${products})\\s+for\\s+([A-Z][\\w'’-]+(?:\\s+[A-Z][\\w'’-]+)?)`, 'g');
  const ownPlanRe = new RegExp(`(?:${products})\\s+([A-Z][\\w'’-]+)(?=\\s+(?:${PLAN_NOUNS})\\b)`, 'g');

  const productWordRe = new RegExp(`\\b(?:${products})\\b`);
  return {
    mayName: (sentence) => ANY_PLAN_WORD.test(sentence) || productWordRe.test(sentence),
    find(sentence: string): string[] {
      const hits: { at: number; plan: string }[] = [];
      for (const m of sentence.matchAll(chainRe)) {
        const chain = m[0];
        const at = m.index ?? 0;
        const words = [...chain.matchAll(wordRe)];
        const after = sentence.slice(at + chain.length);
        const accepted = productRe.test(chain) || nounAfterRe.test(after) || words.length >= 2;
        if (!accepted) continue;
        for (const w of words) {
          const plan = wordToPlan.get(w[1]!)!;
          // "API" inside a chain is a plan only after a product name ("Harbor API"), in API_AS_PLAN shapes or next to other plans.
          if (plan === 'API' && words.length < 2 && !productRe.test(chain) && !API_AS_PLAN.test(sentence)) continue;
          hits.push({ at: at + (w.index ?? 0), plan });
        }
      }
      for (const m of sentence.matchAll(freeRe)) hits.push({ at: m.index ?? 0, plan: 'Free' });
      // "If you're on Individual", "upgrade to Growth": a plan word after words that only take a plan.
      for (const m of sentence.matchAll(planAfterRe)) hits.push({ at: (m.index ?? 0) + m[0].length - m[1]!.length, plan: wordToPlan.get(m[1]!)! });
      // "If you use Corvid for free": the free plan, without a plan noun.
      for (const m of sentence.matchAll(USE_FOR_FREE)) hits.push({ at: m.index ?? 0, plan: 'Free' });
      for (const m of sentence.matchAll(editionRe)) {
        const known = m[1]!.split(/\s+/).map((w) => wordToPlan.get(w)).find(Boolean);
        hits.push({ at: m.index ?? 0, plan: known ?? m[0] });
      }
      for (const m of sentence.matchAll(ownPlanRe)) if (!wordToPlan.has(m[1]!)) hits.push({ at: m.index ?? 0, plan: m[0] });
      const api = API_AS_PLAN.exec(sentence);
      if (api) hits.push({ at: api.index, plan: 'API' });
      hits.sort((a, b) => a.at - b.at);
      return [...new Set(hits.map((h) => h.plan))];
    },
  };
}
