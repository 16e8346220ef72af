// Which extraction rules held at a given moment, so an old snapshot is re-extracted with the rules
// of its time rather than today's.
import type { DocumentDeclaration, DocumentRules } from '../domain/types.ts';

/**
 * The rules in force at `date`. A history entry holds up to and including its validUntil (the
 * convention of Open Terms Archive's history files, whose validUntil is the last snapshot the old
 * rules still fit); after the last one, `current` holds.
 */
export function rulesAt(doc: DocumentDeclaration, date: Date): DocumentRules {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new TypeError('rulesAt: invalid date');
  for (const rules of doc.history) {
    if (rules.validUntil !== undefined && t <= Date.parse(rules.validUntil)) return rules;
  }
  return doc.current;
}
