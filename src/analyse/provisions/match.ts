// Pairs the provisions of two versions of a document, so each provision's history can be followed.

import type { Provision } from './types.ts';
import { dice, keyText, templateText, tokens } from './normalise.ts';
import { sectionKey } from './split.ts';

/** Two provisions whose token sets have a Dice coefficient at or above this are one provision, edited. */
export const SIMILARITY_THRESHOLD = 0.5;
/** Score bonuses that break ties between equally similar candidates. */
const SAME_SECTION_BONUS = 0.05;
const POSITION_BONUS = 0.05;
/** Candidates come from the rarest tokens a provision has; very common tokens are not indexed for lookup. */
const RARE_TOKENS_PER_PROVISION = 8;
const MAX_POSTING = 64;

export type ProvisionPair = [previous: Provision, next: Provision];

export interface ProvisionMatch {
  /** Same key (same section path and same normalised text). */
  unchanged: ProvisionPair[];
  /** Different key but the same provision: numbers/dates edited, moved to another section, or text edited. */
  modified: ProvisionPair[];
  added: Provision[];
  removed: Provision[];
  /** All next provisions, in document order, with lineage carried over from their predecessors. */
  next: Provision[];
}

/** Relative position in the list (0 … 1); indexes rather than ordinals, so filtered lists work too. */
function relPos(index: number, length: number): number {
  return length <= 1 ? 0 : index / (length - 1);
}

/**
 * Pairs previous and next provisions in four passes, each only over what earlier passes left:
 * 1. same key; 2. same section and same text once numbers and month names are masked (dates, renumbering);
 * 3. same text in another section (moved, heading renamed); 4. token-set Dice ≥ SIMILARITY_THRESHOLD, found
 * through an inverted index of each provision's rarest tokens, preferring the same section and a nearby
 * position, assigned greedily from the best score down. Roughly linear in document length.
 */
export function matchProvisions(previous: Provision[], next: Provision[]): ProvisionMatch {
  const prevTaken = new Array<boolean>(previous.length).fill(false);
  const nextPartner = new Array<number>(next.length).fill(-1);
  const modifiedPair = new Array<boolean>(next.length).fill(false);

  const secCache = new Map<string[], string>();
  const secKey = (p: Provision) => {
    let k = secCache.get(p.section);
    if (k === undefined) {
      k = sectionKey(p.section);
      secCache.set(p.section, k);
    }
    return k;
  };
  const pair = (pi: number, ni: number, modified: boolean) => {
    prevTaken[pi] = true;
    nextPartner[ni] = pi;
    modifiedPair[ni] = modified;
  };

  // 1. Same key.
  const byKey = new Map<string, number>();
  previous.forEach((p, i) => {
    if (!byKey.has(p.key)) byKey.set(p.key, i);
  });
  next.forEach((n, ni) => {
    const pi = byKey.get(n.key);
    if (pi !== undefined && !prevTaken[pi]) pair(pi, ni, false);
  });

  // 2 and 3. Exact grouping on a looser identity, nearest position first.
  const groupPass = (identity: (p: Provision) => string) => {
    const groups = new Map<string, number[]>();
    previous.forEach((p, i) => {
      if (prevTaken[i]) return;
      const id = identity(p);
      if (!id) return;
      const g = groups.get(id);
      if (g) g.push(i);
      else groups.set(id, [i]);
    });
    if (groups.size === 0) return;
    next.forEach((n, ni) => {
      if (nextPartner[ni] !== -1) return;
      const g = groups.get(identity(n));
      if (!g) return;
      let best = -1;
      let bestDist = Infinity;
      for (const pi of g) {
        if (prevTaken[pi]) continue;
        const d = Math.abs(relPos(pi, previous.length) - relPos(ni, next.length));
        if (d < bestDist) {
          bestDist = d;
          best = pi;
        }
      }
      if (best !== -1) pair(best, ni, true);
    });
  };
  groupPass((p) => {
    const t = templateText(p.text);
    return t ? `${secKey(p)}\u0000${t}` : '';
  });
  groupPass((p) => keyText(p.text));

  // 4. Similarity through an inverted index of rare tokens.
  const prevSets = new Map<number, Set<string>>();
  const postings = new Map<string, number[]>();
  previous.forEach((p, i) => {
    if (prevTaken[i]) return;
    const set = new Set(tokens(p.text));
    prevSets.set(i, set);
    for (const t of set) {
      const list = postings.get(t);
      if (list) list.push(i);
      else postings.set(t, [i]);
    }
  });
  if (prevSets.size > 0) {
    const candidates: { pi: number; ni: number; score: number }[] = [];
    next.forEach((n, ni) => {
      if (nextPartner[ni] !== -1) return;
      const set = new Set(tokens(n.text));
      const indexed = [...set].filter((t) => postings.has(t));
      indexed.sort((a, b) => postings.get(a)!.length - postings.get(b)!.length);
      const seen = new Set<number>();
      let used = 0;
      for (const t of indexed) {
        const list = postings.get(t)!;
        if (used >= RARE_TOKENS_PER_PROVISION) break;
        // Common tokens only when the provision has nothing rarer to offer.
        if (list.length > MAX_POSTING && used > 0) break;
        used++;
        for (const pi of list.length > MAX_POSTING ? nearest(list, relPos(ni, next.length) * (previous.length - 1)) : list) {
          if (seen.has(pi)) continue;
          seen.add(pi);
          const sim = dice(prevSets.get(pi)!, set);
          if (sim < SIMILARITY_THRESHOLD) continue;
          const p = previous[pi]!;
          const sameSection = secKey(p) === secKey(n) ? SAME_SECTION_BONUS : 0;
          const near = POSITION_BONUS * (1 - Math.abs(relPos(pi, previous.length) - relPos(ni, next.length)));
          candidates.push({ pi, ni, score: sim + sameSection + near });
        }
      }
    });
    candidates.sort((a, b) => b.score - a.score || a.ni - b.ni || a.pi - b.pi);
    for (const c of candidates) {
      if (prevTaken[c.pi] || nextPartner[c.ni] !== -1) continue;
      pair(c.pi, c.ni, true);
    }
  }

  const result: ProvisionMatch = { unchanged: [], modified: [], added: [], removed: [], next: [] };
  next.forEach((n, ni) => {
    const pi = nextPartner[ni]!;
    if (pi === -1) {
      const fresh = { ...n, lineage: n.lineage || n.key };
      result.added.push(fresh);
      result.next.push(fresh);
      return;
    }
    const p = previous[pi]!;
    const carried = { ...n, lineage: p.lineage || p.key };
    result.next.push(carried);
    (modifiedPair[ni] ? result.modified : result.unchanged).push([p, carried]);
  });
  previous.forEach((p, i) => {
    if (!prevTaken[i]) result.removed.push(p);
  });
  return result;
}

/** For a very common token, only the previous provisions positioned closest to the next one are tried. */
function nearest(list: number[], target: number): number[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  const half = MAX_POSTING >> 1;
  return list.slice(Math.max(0, lo - half), lo + half);
}
