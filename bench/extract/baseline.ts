// The reference pipeline we are measured against: Open Terms Archive's way of extracting, jsdom + turndown,
// with the same select/remove semantics (selectors and DOM ranges, remove before select, relative links
// made absolute). Turndown drops the same non-content elements as our extractor so that the kept-text
// comparison is like for like (this only makes the baseline faster).
import { JSDOM, VirtualConsole } from 'jsdom';
import TurndownService from 'turndown';
import type { RangeSelector, Selection, Selector } from '../../src/domain/types.ts';

const turndown = new TurndownService();
turndown.remove(['script', 'style', 'noscript', 'template', 'iframe', 'svg' as keyof HTMLElementTagNameMap]);

function list(s: Selection | undefined): Selector[] {
  if (s === undefined) return [];
  return Array.isArray(s) ? s : [s];
}

function selectRange(document: Document, r: RangeSelector): Range | null {
  const start = document.querySelector((r.startBefore ?? r.startAfter)!);
  const end = document.querySelector((r.endBefore ?? r.endAfter)!);
  if (!start || !end) return null;
  const range = document.createRange();
  if (r.startBefore) range.setStartBefore(start);
  else range.setStartAfter(start);
  if (r.endBefore) range.setEndBefore(end);
  else range.setEndAfter(end);
  return range;
}

export function baselineExtract(html: string, url: string, select?: Selection, remove?: Selection): string {
  const dom = new JSDOM(html, { url, virtualConsole: new VirtualConsole() });
  const { document } = dom.window;
  try {
    const ranges: Range[] = [];
    const nodes: Element[] = [];
    for (const sel of list(remove)) {
      if (typeof sel === 'string') nodes.push(...document.querySelectorAll(sel));
      else {
        const r = selectRange(document, sel);
        if (r) ranges.push(r);
      }
    }
    for (const r of ranges) r.deleteContents();
    for (const n of nodes) n.remove();
    for (const a of document.querySelectorAll('a[href]')) a.setAttribute('href', (a as HTMLAnchorElement).href);
    const fragment = document.createDocumentFragment();
    const selectors = list(select);
    if (selectors.length === 0) fragment.append(document.body.cloneNode(true));
    for (const sel of selectors) {
      if (typeof sel === 'string') {
        for (const el of document.querySelectorAll(sel)) fragment.append(el.cloneNode(true));
      } else {
        const r = selectRange(document, sel);
        if (r) fragment.append(r.cloneContents());
      }
    }
    const container = document.createElement('div');
    container.append(fragment);
    return turndown.turndown(container);
  } finally {
    dom.window.close();
  }
}
