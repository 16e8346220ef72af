// Open Terms Archive's `select` / `remove` declarations (CSS selectors, ranges, or arrays of both) turned into
// intervals of node positions, so that selected content is output once, in document order, however the
// selectors overlap.
import { compile, type Options } from 'css-select';
import { isTraversal, parse as parseSelector } from 'css-what';
import type { RangeSelector, Selection, Selector } from '../domain/types.ts';
import { ELEMENT, DomNode, getAttr, hasAttr, textContent } from './dom.ts';
import type { ParsedDocument } from './parse.ts';

export class SelectorError extends Error {
  override name = 'SelectorError';
}

type Adapter = NonNullable<Options<DomNode, DomNode>['adapter']>;

const adapter: Adapter = {
  isTag: (node: DomNode): node is DomNode => node.type === ELEMENT,
  getAttributeValue: (el, name) => getAttr(el, name),
  hasAttrib: (el, name) => hasAttr(el, name),
  getChildren: (node) => node.children,
  getName: (el) => el.name,
  getParent: (el) => el.parent,
  getSiblings: (node) => (node.parent ? node.parent.children : [node]),
  prevElementSibling: (node) => {
    const sibs = node.parent ? node.parent.children : [];
    for (let k = node.sibIndex - 1; k >= 0; k--) if (sibs[k]!.type === ELEMENT) return sibs[k]!;
    return null;
  },
  getText: (node) => textContent(node),
  removeSubsets: (nodes) => {
    const set = new Set(nodes);
    return [...set].filter((n) => {
      for (let p = n.parent; p; p = p.parent) if (set.has(p)) return false;
      return true;
    });
  },
};

type Matcher = (el: DomNode) => boolean;

/**
 * What an element must show in its tag name and raw attribute text to possibly match one comma-separated
 * alternative: class names and ids of the selector's subject appear literally unless the attributes use
 * character references. Testing this first spares parsing the attributes of nearly every element.
 */
interface Prefilter {
  tag: string | null;
  tokens: string[];
}

interface CompiledSelector {
  match: Matcher;
  /** null when some alternative cannot be prefiltered. */
  prefilters: Prefilter[] | null;
}

const compiled = new Map<string, CompiledSelector>();

function prefiltersOf(selector: string): Prefilter[] | null {
  const out: Prefilter[] = [];
  for (const group of parseSelector(selector)) {
    let k = group.length;
    while (k > 0 && !isTraversal(group[k - 1]!)) k--;
    const pf: Prefilter = { tag: null, tokens: [] };
    for (let j = k; j < group.length; j++) {
      const t = group[j]!;
      if (t.type === 'tag') pf.tag = t.name.toLowerCase();
      // ignoreCase 'quirks' (what #id and .class parse to) is case-sensitive outside quirks mode, like ours.
      else if (t.type === 'attribute' && t.ignoreCase !== true) {
        if ((t.name === 'class' && t.action === 'element') || (t.name === 'id' && t.action === 'equals')) {
          if (t.value) pf.tokens.push(t.value);
        }
      }
    }
    if (pf.tag === null && pf.tokens.length === 0) return null;
    out.push(pf);
  }
  return out;
}

function isDelimiter(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 34 || c === 39 || c === 61 || Number.isNaN(c);
}

/** Does `tok` occur in `raw` as a whole whitespace/quote-delimited word (as a class name or id must)? */
function hasWord(raw: string, tok: string): boolean {
  let k = raw.indexOf(tok);
  while (k !== -1) {
    if (isDelimiter(raw.charCodeAt(k - 1)) && isDelimiter(raw.charCodeAt(k + tok.length))) return true;
    k = raw.indexOf(tok, k + 1);
  }
  return false;
}

function mayMatch(el: DomNode, prefilters: Prefilter[]): boolean {
  let raw: string | null = null;
  for (const pf of prefilters) {
    if (pf.tag !== null && pf.tag !== el.name) continue;
    if (pf.tokens.length === 0) return true;
    if (raw === null) {
      if (el.attrEnd - el.attrStart <= 0) return false;
      raw = el.src.slice(el.attrStart, el.attrEnd);
      if (raw.indexOf('&') !== -1) return true;
    }
    let all = true;
    for (const tok of pf.tokens) {
      if (!hasWord(raw, tok)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

function compiledSelector(selector: string): CompiledSelector {
  let c = compiled.get(selector);
  if (c === undefined) {
    try {
      const match = compile<DomNode, DomNode>(selector, { adapter, cacheResults: false }) as Matcher;
      c = { match, prefilters: prefiltersOf(selector) };
    } catch (err) {
      throw new SelectorError(`Invalid CSS selector ${JSON.stringify(selector)}: ${(err as Error).message}`);
    }
    if (compiled.size > 1000) compiled.clear();
    compiled.set(selector, c);
  }
  return c;
}

/** Half-open interval [s, e) of node positions. */
export interface Interval {
  s: number;
  e: number;
}

function selectAll(doc: ParsedDocument, selector: string): DomNode[] {
  const { match, prefilters } = compiledSelector(selector);
  const out: DomNode[] = [];
  for (const el of doc.elements) if ((prefilters === null || mayMatch(el, prefilters)) && match(el)) out.push(el);
  return out;
}

function selectFirst(doc: ParsedDocument, selector: string): DomNode | null {
  const { match, prefilters } = compiledSelector(selector);
  for (const el of doc.elements) if ((prefilters === null || mayMatch(el, prefilters)) && match(el)) return el;
  return null;
}

function rangeInterval(doc: ParsedDocument, r: RangeSelector): Interval | null {
  let s = 0;
  let e = doc.count;
  const startSel = r.startBefore ?? r.startAfter;
  if (startSel !== undefined) {
    const node = selectFirst(doc, startSel);
    if (!node) return null;
    s = r.startBefore !== undefined ? node.idx : node.last + 1;
  }
  const endSel = r.endBefore ?? r.endAfter;
  if (endSel !== undefined) {
    const node = selectFirst(doc, endSel);
    if (!node) return null;
    e = r.endBefore !== undefined ? node.idx : node.last + 1;
  }
  return e > s ? { s, e } : null;
}

function asList(selection: Selection): Selector[] {
  return Array.isArray(selection) ? selection : [selection];
}

/** The intervals a selection covers, sorted and merged so nested or overlapping matches count once. */
export function selectionIntervals(doc: ParsedDocument, selection: Selection): Interval[] {
  const raw: Interval[] = [];
  for (const sel of asList(selection)) {
    if (typeof sel === 'string') {
      for (const el of selectAll(doc, sel)) raw.push({ s: el.idx, e: el.last + 1 });
    } else {
      const r = rangeInterval(doc, sel);
      if (r) raw.push(r);
    }
  }
  raw.sort((a, b) => a.s - b.s || b.e - a.e);
  const merged: Interval[] = [];
  for (const iv of raw) {
    const prev = merged[merged.length - 1];
    if (prev && iv.s < prev.e) prev.e = Math.max(prev.e, iv.e);
    else merged.push({ s: iv.s, e: iv.e });
  }
  return merged;
}

/**
 * Removes what `remove` matches, as OTA does: all matches are found first, then ranges are emptied (nodes
 * wholly inside go, partially contained ancestors stay) and matched elements are detached. Returns the
 * document renumbered, or the same document when nothing matched.
 */
export function applyRemove(doc: ParsedDocument, remove: Selection): ParsedDocument {
  const intervals = selectionIntervals(doc, remove);
  if (intervals.length === 0) return doc;
  const inRemoved = (node: DomNode): boolean => {
    // Intervals are sorted and disjoint: binary search for the last one starting at or before node.idx.
    let lo = 0;
    let hi = intervals.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (intervals[mid]!.s <= node.idx) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found !== -1 && node.last < intervals[found]!.e;
  };
  // Removal decisions use the old numbering, so detach first, then renumber the whole tree.
  walkWithOldNumbers(doc.root, inRemoved);
  const elements: DomNode[] = [];
  let count = 0;
  const renumber = (node: DomNode): void => {
    node.idx = count++;
    for (const c of node.children) {
      if (c.type === ELEMENT) elements.push(c);
      renumber(c);
    }
    node.last = count - 1;
  };
  renumber(doc.root);
  return { root: doc.root, elements, count, baseHref: doc.baseHref };
}

function walkWithOldNumbers(node: DomNode, removed: (n: DomNode) => boolean): void {
  if (node.children.length === 0) return;
  let changed = false;
  const kept: DomNode[] = [];
  for (const c of node.children) {
    if (removed(c)) changed = true;
    else kept.push(c);
  }
  if (changed) {
    node.children = kept;
    for (let k = 0; k < kept.length; k++) kept[k]!.sibIndex = k;
  }
  for (const c of kept) walkWithOldNumbers(c, removed);
}

/** Where a node stands against the selected intervals. */
export const NONE = -1;
export const STRADDLE = -2;
export const CONTAINS = -3;

/**
 * For a node spanning positions [a, b]: the index of the interval wholly containing it (the node is fully
 * selected), NONE, STRADDLE (the node is cut by an interval boundary: keep it as a wrapper of its selected
 * children) or CONTAINS (the node only encloses selected intervals: keep its selected children, not itself).
 */
export function classify(intervals: Interval[], a: number, b: number): number {
  // First interval whose end is past a.
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (intervals[mid]!.e <= a) lo = mid + 1;
    else hi = mid;
  }
  if (lo === intervals.length) return NONE;
  const first = intervals[lo]!;
  if (first.s > b) return NONE;
  if (first.s <= a && b < first.e) return lo;
  for (let k = lo; k < intervals.length; k++) {
    const iv = intervals[k]!;
    if (iv.s > b) break;
    if (!(iv.s > a && iv.e - 1 <= b)) return STRADDLE;
  }
  return CONTAINS;
}
