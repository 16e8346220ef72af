// Severity of one provision: the worst default severity among its harmful types, moved one level by
// wording (taxonomy/severity.yaml) and by the fairness model trained on CLAUDETTE's annotator levels.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { TAXONOMY_DIR, TaxonomyError, type Severity, type Taxonomy } from '../taxonomy.ts';

export interface SeverityResult {
  level: Severity;
  reasons: string[];
}

export interface Modifier {
  re: RegExp;
  reason: string;
}

export interface SeverityRules {
  raise: Modifier[];
  lower: Modifier[];
}

const HARM_LEVELS: Severity[] = ['low', 'medium', 'high'];
/** Modifiers look at this much of a provision: enough for any real clause, bounded for giant inputs. */
const MAX_CHARS = 20_000;

export function loadSeverityRules(file = path.join(TAXONOMY_DIR, 'severity.yaml')): SeverityRules {
  const raw = parse(readFileSync(file, 'utf8')) as Record<string, { pattern: string; reason: string }[]>;
  const list = (k: string): Modifier[] => {
    const v = raw?.[k];
    if (!Array.isArray(v)) throw new TaxonomyError(`severity.yaml: "${k}" must be a list`);
    return v.map((m) => ({ re: new RegExp(m.pattern, 'i'), reason: String(m.reason) }));
  };
  return { raise: list('raise'), lower: list('lower') };
}

export interface FairnessSignal {
  /** Calibrated probability that CLAUDETTE annotators would call this clause clearly unfair. */
  clearlyUnfair: number;
  /** ... clearly fair. */
  clearlyFair: number;
}

/**
 * Computes the severity of a provision from its detected types. `types` are ids (or {id}) of our taxonomy.
 * With no harmful type: 'positive' if a protective type is present, else 'low'.
 */
export function computeSeverity(
  text: string,
  typeIds: readonly string[],
  tax: Taxonomy,
  rules: SeverityRules,
  fairness?: FairnessSignal,
): SeverityResult {
  const s = typeof text === 'string' ? text.slice(0, MAX_CHARS) : '';
  const known = typeIds.map((id) => tax.byId.get(id)).filter((t) => t !== undefined);
  const harmful = known.filter((t) => t.polarity !== 'protects');
  if (harmful.length === 0) {
    if (known.some((t) => t.polarity === 'protects')) {
      return { level: 'positive', reasons: known.filter((t) => t.polarity === 'protects').map((t) => `protects: ${t.title}`) };
    }
    return { level: 'low', reasons: known.length ? [] : ['no clause type detected'] };
  }
  let worst = harmful[0]!;
  let base = HARM_LEVELS.indexOf(worst.defaultSeverity);
  for (const t of harmful) {
    const lv = HARM_LEVELS.indexOf(t.defaultSeverity);
    if (lv > base) [base, worst] = [lv, t];
  }
  const reasons = [`${worst.title}: default ${worst.defaultSeverity}`];
  let delta = 0;
  const raised = rules.raise.filter((m) => m.re.test(s));
  const lowered = rules.lower.filter((m) => m.re.test(s));
  if (raised.length) {
    delta += 1;
    reasons.push(...raised.map((m) => `raised: ${m.reason}`));
  }
  if (lowered.length) {
    delta -= 1;
    reasons.push(...lowered.map((m) => `lowered: ${m.reason}`));
  }
  if (fairness && fairness.clearlyUnfair >= 0.5) {
    delta += 1;
    reasons.push(`raised: resembles clauses CLAUDETTE annotators rated clearly unfair (p=${fairness.clearlyUnfair.toFixed(2)})`);
  } else if (fairness && fairness.clearlyFair >= 0.5) {
    delta -= 1;
    reasons.push(`lowered: resembles clauses CLAUDETTE annotators rated clearly fair (p=${fairness.clearlyFair.toFixed(2)})`);
  }
  const level = HARM_LEVELS[Math.max(0, Math.min(2, base + Math.sign(delta)))]!;
  return { level, reasons };
}
