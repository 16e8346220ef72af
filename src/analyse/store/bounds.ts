// Bounds for giant provisions (a 5 MB text with no paragraph break is one provision). No real clause is
// this long, and the fact patterns and the edit description slow down sharply on one endless sentence, so
// such a provision is read by its beginning, and compared by its beginning plus a digest of the whole.
import type { Provision } from '../provisions/index.ts';
import { sha256Hex } from '../../record/hash.ts';

export const PROVISION_READ_LIMIT = 50_000;
const COMPARE_PREFIX = 20_000;

export function isGiant(text: string): boolean {
  return text.length > PROVISION_READ_LIMIT;
}

/** The part of a provision the AI-training fact patterns read. */
export function textForFacts(text: string): string {
  return isGiant(text) ? text.slice(0, PROVISION_READ_LIMIT) : text;
}

/** A stand-in for change analysis: equal texts give equal stand-ins, and any difference shows as a changed digest. */
export function forComparison(p: Provision): Provision {
  if (!isGiant(p.text)) return p;
  return { ...p, text: `${p.text.slice(0, COMPARE_PREFIX)} [… ${p.text.length - COMPARE_PREFIX} more characters, SHA-256 ${sha256Hex(p.text).slice(0, 16)}]` };
}
