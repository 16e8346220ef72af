// HTML → DomNode tree, built for throughput on real legal pages, where most bytes are <script>, <style>,
// inline JSON and SVG. Those are skipped with indexOf instead of being tokenised, and their elements are
// kept empty so structural selectors (:first-child, sibling combinators) still count them.
// The tree construction follows the WHATWG rules that change where text ends up (implied end tags of
// p/li/dd/dt/option/table parts/headings, void elements, raw-text elements, end tags that cannot close
// across special elements) and leaves out the rest (foster parenting, formatting-element reconstruction).
// Every loop moves forward through the input and every stack scan is bounded, so the cost is linear.
import { decodeHTML } from 'entities/decode';
import { DomNode, documentNode, elementNode, textNode } from './dom.ts';

export interface ParsedDocument {
  root: DomNode;
  /** Every element in document order. */
  elements: DomNode[];
  /** Number of nodes numbered (idx runs from 0 for the root to count - 1). */
  count: number;
  /** The first <base href>, if any, for resolving relative links. */
  baseHref: string | undefined;
}

/** Browsers cap tree depth (Blink: 512); deeper start tags become children of the deepest allowed node. */
const MAX_DEPTH = 512;

const VOID = new Set([
  'area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'frame', 'hr', 'img', 'image', 'input', 'keygen',
  'link', 'meta', 'param', 'source', 'track', 'wbr',
]);

/** Elements whose content is raw text up to the matching end tag; none of it is ever rendered. */
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'textarea', 'title', 'plaintext']);

/** Elements whose content is markup we never render (foreign content, inert templates). */
const SKIP_SUBTREE = new Set(['svg', 'math', 'template']);

/** HTML start tags that end foreign (SVG/MathML) content, per the spec's breakout list. */
const FOREIGN_BREAKOUT = new Set([
  'b', 'big', 'blockquote', 'body', 'br', 'center', 'code', 'dd', 'div', 'dl', 'dt', 'em', 'embed', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'head', 'hr', 'i', 'img', 'li', 'listing', 'menu', 'meta', 'nobr', 'ol', 'p', 'pre', 'ruby', 's',
  'small', 'span', 'strong', 'strike', 'sub', 'sup', 'table', 'tt', 'u', 'ul', 'var',
]);

const SPECIAL = new Set([
  'address', 'applet', 'area', 'article', 'aside', 'base', 'basefont', 'bgsound', 'blockquote', 'body', 'br', 'button',
  'caption', 'center', 'col', 'colgroup', 'dd', 'details', 'dir', 'div', 'dl', 'dt', 'embed', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'frame', 'frameset', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head', 'header', 'hgroup', 'hr',
  'html', 'iframe', 'img', 'input', 'keygen', 'li', 'link', 'listing', 'main', 'marquee', 'menu', 'meta', 'nav',
  'noembed', 'noframes', 'noscript', 'object', 'ol', 'p', 'param', 'plaintext', 'pre', 'script', 'search', 'section',
  'select', 'source', 'style', 'summary', 'table', 'tbody', 'td', 'template', 'textarea', 'tfoot', 'th', 'thead',
  'title', 'tr', 'track', 'ul', 'wbr', 'xmp',
]);

const FORMATTING = new Set(['a', 'b', 'big', 'code', 'em', 'font', 'i', 'nobr', 's', 'small', 'strike', 'strong', 'tt', 'u']);

const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset',
  'figcaption', 'figure', 'footer', 'header', 'hgroup', 'main', 'menu', 'nav', 'ol', 'p', 'search', 'section', 'summary',
  'ul', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'listing', 'form', 'plaintext', 'table', 'hr', 'xmp', 'li', 'dd', 'dt',
]);

/** What may stay inside <head>; anything else implies the body has started. */
const HEAD_CONTENT = new Set(['base', 'basefont', 'bgsound', 'link', 'meta', 'noframes', 'script', 'style', 'template', 'title', 'noscript']);
const WHITESPACE_ONLY = /^[ \t\n\r\f]*$/;
/** Elements that start and end a line box, so whitespace beside them is never rendered. */
const BLOCK_LEVEL = new Set([
  'html', 'head', 'body', 'address', 'article', 'aside', 'blockquote', 'br', 'center', 'dd', 'details', 'dialog', 'dir',
  'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hgroup', 'hr', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th',
  'thead', 'tr', 'ul', 'caption', 'colgroup', 'option', 'optgroup', 'legend', 'search',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const SCOPE_BOUNDARY = new Set(['applet', 'caption', 'html', 'table', 'td', 'th', 'marquee', 'object', 'template']);
const TABLE_SECTIONS = new Set(['thead', 'tbody', 'tfoot']);

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
}

function isAlpha(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Does src at i spell `name` (lower-case ASCII) case-insensitively, followed by a tag-name terminator? */
function matchName(src: string, i: number, name: string): boolean {
  const n = name.length;
  if (i + n > src.length) return false;
  for (let k = 0; k < n; k++) {
    if ((src.charCodeAt(i + k) | 0x20) !== name.charCodeAt(k)) return false;
  }
  if (i + n === src.length) return true;
  const c = src.charCodeAt(i + n);
  return isWs(c) || c === 47 || c === 62;
}

/** Position of the `<` of the end tag `</name` at or after `from`, or -1. */
function findEndTag(src: string, from: number, name: string): number {
  let k = from;
  for (;;) {
    k = src.indexOf('</', k);
    if (k === -1) return -1;
    if (matchName(src, k + 2, name)) return k;
    k += 2;
  }
}

/** Index just past the `>` closing a tag whose attributes start at i; quoted values may contain `>`. */
function findTagEnd(src: string, i: number): number {
  const n = src.length;
  let afterEq = false;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 62) return i;
    if (afterEq && (c === 34 || c === 39)) {
      const q = src.indexOf(c === 34 ? '"' : "'", i + 1);
      if (q === -1) return -1;
      i = q + 1;
      afterEq = false;
      continue;
    }
    if (c === 61) afterEq = true;
    else if (!isWs(c)) afterEq = false;
    i++;
  }
  return -1;
}

class TreeBuilder {
  readonly root = documentNode();
  readonly elements: DomNode[] = [];
  readonly stack: DomNode[] = [];
  readonly open = new Map<string, number>();
  count = 1;
  baseHref: string | undefined;
  seenHtml = false;
  seenBody = false;
  seenHead = false;

  constructor(readonly src: string) {
    this.root.idx = 0;
  }

  current(): DomNode {
    const s = this.stack;
    return s.length ? s[s.length - 1]! : this.root;
  }

  isOpen(name: string): boolean {
    return (this.open.get(name) ?? 0) > 0;
  }

  /** The text node still being appended to, and its pieces (joined once: repeated += builds deep ropes). */
  private openText: DomNode | null = null;
  private textParts: string[] = [];

  flushText(): void {
    if (this.openText === null) return;
    if (this.textParts.length > 1) this.openText.data = this.textParts.join('');
    this.openText = null;
    this.textParts = [];
  }

  text(data: string): void {
    const blank = WHITESPACE_ONLY.test(data);
    if (!blank && this.isOpen('head')) this.leaveHead();
    const parent = this.current();
    const kids = parent.children;
    const prev = kids.length ? kids[kids.length - 1]! : null;
    if (prev !== null && prev === this.openText) {
      this.textParts.push(data);
      return;
    }
    // Indentation next to block boundaries renders as nothing; not keeping it saves a third of all nodes.
    if (blank && (prev === null ? parent.type !== 1 || BLOCK_LEVEL.has(parent.name) : prev.type === 1 && BLOCK_LEVEL.has(prev.name))) {
      if (!this.isOpen('pre') && !this.isOpen('listing') && !this.isOpen('textarea')) return;
    }
    this.flushText();
    const t = textNode(data);
    t.parent = parent;
    t.idx = t.last = this.count++;
    t.sibIndex = kids.length;
    kids.push(t);
    this.openText = t;
    this.textParts = [data];
  }

  /** Appends an element; pushes it on the open stack unless it is void (or the tree is too deep). */
  element(name: string, attrStart: number, attrEnd: number, push: boolean): DomNode {
    this.flushText();
    const parent = this.current();
    const el = elementNode(name, this.src, attrStart, attrEnd);
    el.parent = parent;
    el.idx = el.last = this.count++;
    el.sibIndex = parent.children.length;
    parent.children.push(el);
    this.elements.push(el);
    if (push && this.stack.length < MAX_DEPTH) {
      this.stack.push(el);
      this.open.set(name, (this.open.get(name) ?? 0) + 1);
    }
    return el;
  }

  pop(): void {
    const el = this.stack.pop()!;
    el.last = this.count - 1;
    this.open.set(el.name, this.open.get(el.name)! - 1);
  }

  popUntil(target: DomNode): void {
    while (this.stack.length) {
      const el = this.stack[this.stack.length - 1]!;
      this.pop();
      if (el === target) return;
    }
  }

  /** Nearest open element named `name`, not looking past `boundary` elements. */
  findOpen(name: string, boundary: Set<string> | null, stopAtSpecial = false, exempt?: Set<string>): DomNode | null {
    if (!this.isOpen(name)) return null;
    const s = this.stack;
    for (let k = s.length - 1; k >= 0; k--) {
      const el = s[k]!;
      if (el.name === name) return el;
      if (boundary !== null && boundary.has(el.name)) return null;
      if (stopAtSpecial && SPECIAL.has(el.name) && !(exempt && exempt.has(el.name))) return null;
    }
    return null;
  }

  closeP(): void {
    const p = this.findOpen('p', BUTTON_SCOPE);
    if (p) this.popUntil(p);
  }

  leaveHead(): void {
    const h = this.findOpen('head', null);
    if (h) this.popUntil(h);
  }

  /** Implied end tags that a start tag causes. */
  beforeStart(name: string): void {
    if (!HEAD_CONTENT.has(name) && this.isOpen('head')) this.leaveHead();
    if (CLOSES_P.has(name)) this.closeP();
    const cur = this.stack.length ? this.stack[this.stack.length - 1]!.name : '';
    switch (name) {
      case 'li': {
        const li = this.findOpen('li', null, true, LI_EXEMPT);
        if (li) this.popUntil(li);
        break;
      }
      case 'dd':
      case 'dt': {
        const a = this.findOpen('dd', null, true, LI_EXEMPT);
        const b = this.findOpen('dt', null, true, LI_EXEMPT);
        const t = a && b ? (a.idx > b.idx ? a : b) : a ?? b;
        if (t) this.popUntil(t);
        break;
      }
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6':
        if (HEADINGS.has(cur)) this.pop();
        break;
      case 'option':
        if (cur === 'option') this.pop();
        break;
      case 'optgroup':
        if (cur === 'option') this.pop();
        if (this.current().name === 'optgroup') this.pop();
        break;
      case 'td':
      case 'th': {
        const a = this.findOpen('td', TABLE_ROW_SCOPE);
        const b = this.findOpen('th', TABLE_ROW_SCOPE);
        const t = a && b ? (a.idx > b.idx ? a : b) : a ?? b;
        if (t) this.popUntil(t);
        break;
      }
      case 'tr': {
        const t = this.findOpen('tr', TABLE_SECTION_SCOPE);
        if (t) this.popUntil(t);
        break;
      }
      case 'thead':
      case 'tbody':
      case 'tfoot': {
        for (const sec of TABLE_SECTIONS) {
          const t = this.findOpen(sec, TABLE_SCOPE);
          if (t) this.popUntil(t);
        }
        break;
      }
      case 'a': {
        const a = this.findOpen('a', SCOPE_BOUNDARY);
        if (a) this.popUntil(a);
        break;
      }
      case 'button': {
        const b = this.findOpen('button', SCOPE_BOUNDARY);
        if (b) this.popUntil(b);
        break;
      }
    }
  }

  end(name: string): void {
    if (name === 'br') {
      this.element('br', 0, 0, false);
      return;
    }
    if (name === 'body' || name === 'html') return; // browsers keep appending to body after these
    if (!this.isOpen(name)) return;
    let target: DomNode | null;
    if (name === 'p') target = this.findOpen('p', BUTTON_SCOPE);
    else if (name === 'li') target = this.findOpen('li', LIST_SCOPE);
    else if (HEADINGS.has(name)) {
      target = null;
      for (let k = this.stack.length - 1; k >= 0; k--) {
        const el = this.stack[k]!;
        if (HEADINGS.has(el.name)) { target = el; break; }
        if (SCOPE_BOUNDARY.has(el.name)) break;
      }
    } else if (SPECIAL.has(name)) {
      target = SCOPE_BOUNDARY.has(name) ? this.findOpen(name, null) : this.findOpen(name, SCOPE_BOUNDARY);
    } else if (FORMATTING.has(name)) target = this.findOpen(name, SCOPE_BOUNDARY);
    else target = this.findOpen(name, null, true);
    if (target) this.popUntil(target);
  }

  finish(): ParsedDocument {
    this.flushText();
    while (this.stack.length) this.pop();
    this.root.last = this.count - 1;
    return { root: this.root, elements: this.elements, count: this.count, baseHref: this.baseHref };
  }
}

const BUTTON_SCOPE = new Set([...SCOPE_BOUNDARY, 'button']);
const LIST_SCOPE = new Set([...SCOPE_BOUNDARY, 'ol', 'ul']);
const LI_EXEMPT = new Set(['address', 'div', 'p']);
const TABLE_ROW_SCOPE = new Set(['tr', 'table', 'html', 'template']);
const TABLE_SECTION_SCOPE = new Set(['thead', 'tbody', 'tfoot', 'table', 'html', 'template']);
const TABLE_SCOPE = new Set(['table', 'html', 'template']);

const KNOWN_TAGS = (
  'a abbr address applet area article aside audio b base bdi bdo big blockquote body br button canvas caption center ' +
  'cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure ' +
  'font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label ' +
  'legend li link listing main map mark marquee math menu meta meter nav nobr noembed noframes noscript object ol ' +
  'optgroup option output p param picture plaintext pre progress q rp rt ruby s samp script search section select ' +
  'slot small source span strike strong style sub summary sup svg table tbody td template textarea tfoot th thead ' +
  'time title tr track tt u ul var video wbr xmp path g circle rect defs use symbol stop clippath lineargradient'
).split(' ');

function tagHash(src: string, start: number, end: number): number {
  let h = end - start;
  for (let k = start; k < end; k++) h = (Math.imul(h, 31) + (src.charCodeAt(k) | 0x20)) | 0;
  return h;
}

const INTERNED = new Map<number, string>();
for (const t of KNOWN_TAGS) INTERNED.set(tagHash(t, 0, t.length), t);

/**
 * The lower-case tag name at src[start, end). Known names come back as shared constants: no allocation,
 * and set lookups on them reuse the cached hash.
 */
function tagName(src: string, start: number, end: number): string {
  if (end - start <= 14) {
    const cand = INTERNED.get(tagHash(src, start, end));
    if (cand !== undefined && cand.length === end - start) {
      let same = true;
      for (let k = 0; k < cand.length; k++) {
        if ((src.charCodeAt(start + k) | 0x20) !== cand.charCodeAt(k)) {
          same = false;
          break;
        }
      }
      if (same) return cand;
    }
  }
  return src.slice(start, end).toLowerCase();
}

function decodeText(s: string): string {
  return s.indexOf('&') === -1 ? s : decodeHTML(s);
}

export function parseHtml(src: string): ParsedDocument {
  const b = new TreeBuilder(src);
  const n = src.length;
  let i = 0;
  // Depth inside SVG/MathML/template content, which is tokenised but not kept.
  let skipDepth = 0;
  let skipName = '';
  // Start of text not yet added: a `<` that starts no tag stays part of the text around it.
  let textStart = 0;
  while (i < n) {
    const lt = src.indexOf('<', i);
    if (lt === -1) {
      if (skipDepth === 0 && textStart < n) b.text(decodeText(src.slice(textStart)));
      break;
    }
    const c = src.charCodeAt(lt + 1);
    if (!(isAlpha(c) || c === 47 || c === 33 || c === 63)) {
      i = lt + 1;
      continue;
    }
    if (lt > textStart && skipDepth === 0) b.text(decodeText(src.slice(textStart, lt)));
    // One piece of markup; `continue` inside leaves this block, then text starts after the markup.
    do {
      if (isAlpha(c)) {
        // Start tag.
        let j = lt + 2;
        while (j < n) {
          const d = src.charCodeAt(j);
          if (isWs(d) || d === 47 || d === 62) break;
          j++;
        }
        const gt = findTagEnd(src, j);
        if (gt === -1) {
          i = n; // EOF inside a tag: the tag is dropped, as browsers do
          break;
        }
        const name = tagName(src, lt + 1, j);
        i = gt + 1;
        if (skipDepth > 0) {
          if (name === skipName) {
            if (src.charCodeAt(gt - 1) !== 47) skipDepth++;
            continue;
          }
          if (skipName === 'template' || !FOREIGN_BREAKOUT.has(name)) continue;
          // An HTML element inside <svg>/<math> ends the foreign content, as in browsers.
          skipDepth = 0;
          b.end(skipName);
        }
        if (RAW_TEXT.has(name)) {
          b.beforeStart(name);
          const el = b.element(name, j, gt, true);
          const close = name === 'plaintext' ? -1 : findEndTag(src, i, name);
          if (close === -1) {
            i = n; // unclosed raw text swallows the rest of the document, as in browsers
          } else {
            const closeGt = src.indexOf('>', close + 2 + name.length);
            i = closeGt === -1 ? n : closeGt + 1;
          }
          if (b.current() === el) b.pop();
          continue;
        }
        if (name === 'html' || name === 'head' || name === 'body') {
          const seen = name === 'html' ? b.seenHtml : name === 'head' ? b.seenHead : b.seenBody;
          if (seen || b.isOpen(name)) continue;
          if (name === 'html') b.seenHtml = true;
          else if (name === 'head') b.seenHead = true;
          else b.seenBody = true;
        }
        b.beforeStart(name);
        if (SKIP_SUBTREE.has(name)) {
          const el = b.element(name, j, gt, true);
          if (src.charCodeAt(gt - 1) === 47 && name !== 'template') {
            if (b.current() === el) b.pop();
            continue;
          }
          skipDepth = 1;
          skipName = name;
          continue;
        }
        const isVoid = VOID.has(name);
        const el = b.element(name === 'image' ? 'img' : name, j, gt, !isVoid);
        if (name === 'base' && b.baseHref === undefined) {
          const href = /\bhref\s*=\s*["']?([^"'\s>]+)/i.exec(src.slice(j, gt));
          if (href) b.baseHref = decodeText(href[1]!);
        }
        void el;
        continue;
      }
      if (c === 47 /* / */) {
        const c2 = src.charCodeAt(lt + 2);
        if (isAlpha(c2)) {
          let j = lt + 3;
          while (j < n) {
            const d = src.charCodeAt(j);
            if (isWs(d) || d === 47 || d === 62) break;
            j++;
          }
          const gt = findTagEnd(src, j);
          if (gt === -1) {
            i = n;
            break;
          }
          i = gt + 1;
          const name = tagName(src, lt + 2, j);
          if (skipDepth > 0) {
            if (name === skipName && --skipDepth === 0) b.end(name);
            continue;
          }
          b.end(name);
          continue;
        }
        if (c2 === 62) {
          i = lt + 3; // `</>` is ignored
          continue;
        }
        // `</` + non-letter: a bogus comment up to `>`.
        const gt = src.indexOf('>', lt + 2);
        i = gt === -1 ? n : gt + 1;
        continue;
      }
      if (c === 33 /* ! */) {
        if (src.startsWith('<!--', lt)) {
          if (src.startsWith('<!-->', lt)) i = lt + 5;
          else if (src.startsWith('<!--->', lt)) i = lt + 6;
          else {
            const end = src.indexOf('-->', lt + 4);
            i = end === -1 ? n : end + 3;
          }
          continue;
        }
        // DOCTYPE, CDATA (a bogus comment in HTML content) and other declarations.
        const gt = src.indexOf('>', lt + 2);
        i = gt === -1 ? n : gt + 1;
        continue;
      }
      if (c === 63 /* ? */) {
        const gt = src.indexOf('>', lt + 2);
        i = gt === -1 ? n : gt + 1;
        continue;
      }
    } while (false);
    textStart = i;
  }
  return b.finish();
}
