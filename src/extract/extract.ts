// HTML → canonical Markdown for one page of a document, following its declaration's select/remove and
// noise rules. Pure: no I/O, same input gives the same output.
import type { NoiseRules, Selection } from '../domain/types.ts';
import { Renderer } from './markdown.ts';
import { applyReplaceRules, normaliseForComparison } from './normalise.ts';
import { parseHtml } from './parse.ts';
import { applyRemove, selectionIntervals, type Interval } from './select.ts';
import { makeUrlResolver } from './urls.ts';

export interface ExtractOptions {
  /** The page's URL: relative links are resolved against it (or against the page's <base href>). */
  url: string;
  select?: Selection;
  remove?: Selection;
  noise?: NoiseRules;
}

export interface Extraction {
  markdown: string;
  /** False when `select` matched nothing: the caller records a 'selector-not-found' problem. */
  matched: boolean;
}

function isEmptySelection(s: Selection | undefined): boolean {
  return s === undefined || (Array.isArray(s) && s.length === 0);
}

export function extractMarkdown(html: string, opts: ExtractOptions): Extraction {
  let doc = parseHtml(html);
  if (!isEmptySelection(opts.remove)) doc = applyRemove(doc, opts.remove!);

  let intervals: Interval[] | null = null;
  let root = doc.root;
  let matched = true;
  if (!isEmptySelection(opts.select)) {
    intervals = selectionIntervals(doc, opts.select!);
    matched = intervals.length > 0;
  } else {
    // Without a selection the document is what a reader sees: the body.
    root = doc.elements.find((e) => e.name === 'body') ?? doc.root;
  }

  let base = opts.url;
  if (doc.baseHref !== undefined) {
    try {
      base = new URL(doc.baseHref, opts.url).href;
    } catch {
      // an unusable <base> is ignored, as browsers do
    }
  }
  const resolve = makeUrlResolver(base, opts.noise?.dropQueryParams);
  const raw = matched ? new Renderer(resolve, intervals).render(root) : '';
  let markdown = normaliseForComparison(raw);
  if (opts.noise?.replace?.length) markdown = normaliseForComparison(applyReplaceRules(markdown, opts.noise.replace));
  return { markdown, matched };
}
