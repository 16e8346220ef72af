// A provision's own history across a document's versions: first seen, changed on, removed on.

import type { Provision } from './types.ts';
import { matchProvisions } from './match.ts';

export interface ProvisionVersion {
  /** Version date or id, as the caller orders versions (ISO 8601 dates sort correctly). */
  at: string;
  provisions: Provision[];
}

export interface ProvisionHistory {
  lineage: string;
  firstSeen: string;
  /** Versions at which the provision's text changed (modified pairs). */
  changedOn: string[];
  /** Set while the provision is absent from the latest version. */
  removedOn?: string;
  /** Versions at which a removed provision came back with an identical key (flapping pages). */
  returnedOn: string[];
  /** Every distinct text with the version it first appeared in. */
  texts: { at: string; key: string; text: string }[];
}

/**
 * Chains matchProvisions over consecutive versions. A provision that disappears and later comes back with
 * the same key resumes its old lineage instead of starting a new one, because pages flap between states.
 */
export function traceProvisions(versions: ProvisionVersion[]): { histories: ProvisionHistory[]; versions: ProvisionVersion[] } {
  const histories = new Map<string, ProvisionHistory>();
  const retiredByKey = new Map<string, string>();
  const out: ProvisionVersion[] = [];
  let prev: Provision[] = [];

  for (const v of versions) {
    const m = matchProvisions(prev, v.provisions);
    const next = m.next.map((p) => {
      const old = m.added.includes(p) ? retiredByKey.get(p.key) : undefined;
      return old ? { ...p, lineage: old } : p;
    });
    const addedLineages = new Set(next.filter((_, i) => m.added.includes(m.next[i]!)).map((p) => p.lineage));
    const modifiedLineages = new Set(m.modified.map(([, n]) => n.lineage));

    for (const p of next) {
      let h = histories.get(p.lineage);
      if (!h) {
        h = { lineage: p.lineage, firstSeen: v.at, changedOn: [], returnedOn: [], texts: [{ at: v.at, key: p.key, text: p.text }] };
        histories.set(p.lineage, h);
        continue;
      }
      if (addedLineages.has(p.lineage) && h.removedOn !== undefined) {
        h.returnedOn.push(v.at);
        delete h.removedOn;
        retiredByKey.delete(p.key);
      }
      if (modifiedLineages.has(p.lineage)) h.changedOn.push(v.at);
      if (!h.texts.some((t) => t.key === p.key)) h.texts.push({ at: v.at, key: p.key, text: p.text });
    }
    for (const p of m.removed) {
      const h = histories.get(p.lineage);
      if (h) h.removedOn = v.at;
      retiredByKey.set(p.key, p.lineage);
    }
    out.push({ at: v.at, provisions: next });
    prev = next;
  }
  return { histories: [...histories.values()], versions: out };
}
