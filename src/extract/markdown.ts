// DomNode tree → Markdown blocks. Headings are ATX (#), lists use `-` and `N.` with nested content indented
// under its marker, tables are GFM pipe tables, links are [text](absolute url), images keep only their alt
// text (their URLs carry per-fetch CDN signatures and add nothing to a legal text; alt text can carry words),
// and nothing of the markup's attributes (inline styles, classes) is ever written.
import { cfProtectedHrefPayload, decodeCfEmail } from './cfemail.ts';
import { DomNode, ELEMENT, TEXT, getAttr, rawAttrsInclude, textContent } from './dom.ts';
import { BOLD, CODE, ITALIC, InlineBuffer, LINK, STRIKE, escapeLineStarts } from './inline.ts';
import { CONTAINS, NONE, classify, type Interval } from './select.ts';
import type { UrlResolver } from './urls.ts';

const K_INLINE = 0;
const K_SKIP = 1;
const K_BLOCK = 2;
const K_HEADING = 3;
const K_LIST = 4;
const K_LI = 5;
const K_QUOTE = 6;
const K_PRE = 7;
const K_TABLE = 8;
const K_HR = 9;
const K_BR = 10;
const K_IMG = 11;
const K_A = 12;
const K_BOLD = 13;
const K_ITALIC = 14;
const K_CODE = 15;
const K_STRIKE = 16;

const KIND = new Map<string, number>();
for (const t of [
  'script', 'style', 'noscript', 'template', 'iframe', 'svg', 'math', 'head', 'title', 'meta', 'link', 'base',
  'input', 'select', 'textarea', 'object', 'embed', 'canvas', 'audio', 'video', 'source', 'track', 'map', 'area',
  'param', 'xmp', 'noembed', 'noframes', 'plaintext', 'frame', 'frameset', 'dialog', 'wbr', 'col', 'colgroup',
]) KIND.set(t, K_SKIP);
for (const t of [
  'html', 'body', 'address', 'article', 'aside', 'center', 'details', 'summary', 'div', 'dl', 'dt', 'dd', 'fieldset',
  'legend', 'figcaption', 'figure', 'footer', 'form', 'header', 'hgroup', 'main', 'nav', 'p', 'section', 'search',
  'caption', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th', 'option', 'optgroup', 'listing',
]) KIND.set(t, K_BLOCK);
for (const t of ['h1', 'h2', 'h3', 'h4', 'h5', 'h6']) KIND.set(t, K_HEADING);
for (const t of ['ul', 'ol', 'menu', 'dir']) KIND.set(t, K_LIST);
KIND.set('li', K_LI);
KIND.set('blockquote', K_QUOTE);
KIND.set('pre', K_PRE);
KIND.set('table', K_TABLE);
KIND.set('hr', K_HR);
KIND.set('br', K_BR);
KIND.set('img', K_IMG);
KIND.set('a', K_A);
for (const t of ['b', 'strong']) KIND.set(t, K_BOLD);
for (const t of ['i', 'em']) KIND.set(t, K_ITALIC);
for (const t of ['code', 'kbd', 'samp', 'tt']) KIND.set(t, K_CODE);
for (const t of ['s', 'del', 'strike']) KIND.set(t, K_STRIKE);

/**
 * A run of Markdown blocks. `list` marks list blocks, which hug the paragraph before them inside an item;
 * `para` marks paragraphs, whose line starts are escaped when they are output as blocks (not when they
 * become a heading or a table cell).
 */
export class Writer {
  readonly blocks: string[] = [];
  readonly lists: boolean[] = [];
  readonly paras: boolean[] = [];
  readonly inline = new InlineBuffer();

  flush(): void {
    const t = this.inline.take();
    if (t) this.push(t, false, true);
  }

  block(text: string, list = false): void {
    this.flush();
    if (text) this.push(text, list, false);
  }

  private push(text: string, list: boolean, para: boolean): void {
    this.blocks.push(text);
    this.lists.push(list);
    this.paras.push(para);
  }

  /** Appends another writer's blocks. */
  append(other: Writer): void {
    this.flush();
    other.flush();
    for (let k = 0; k < other.blocks.length; k++) this.push(other.blocks[k]!, other.lists[k]!, other.paras[k]!);
  }

  private out(k: number): string {
    return this.paras[k] ? escapeLineStarts(this.blocks[k]!) : this.blocks[k]!;
  }

  /** The blocks of a document, separated by blank lines. */
  document(): string {
    this.flush();
    let s = '';
    for (let k = 0; k < this.blocks.length; k++) s += k > 0 ? `\n\n${this.out(k)}` : this.out(k);
    return s;
  }

  /** Blocks of a list item or quote: blank line between blocks, none before a nested list. */
  joined(): string {
    this.flush();
    let s = '';
    for (let k = 0; k < this.blocks.length; k++) {
      if (k > 0) s += this.lists[k] ? '\n' : '\n\n';
      s += this.out(k);
    }
    return s;
  }

  /** Everything on one line, for headings and table cells. */
  oneLine(): string {
    this.flush();
    return this.blocks.join(' ').replace(/\s*\n\s*/g, ' ').trim();
  }
}

/** Indents every line but the first (which follows a list marker); blank lines stay empty. */
function indent(body: string, width: number): string {
  if (body.indexOf('\n') === -1) return body;
  const pad = ' '.repeat(width);
  return body
    .split('\n')
    .map((l, k) => (k === 0 || l === '' ? l : pad + l))
    .join('\n');
}

function cfEmailOf(el: DomNode): string | null {
  if (!rawAttrsInclude(el, 'data-cfemail')) return null;
  const hex = getAttr(el, 'data-cfemail');
  return hex ? decodeCfEmail(hex) : null;
}

function findCfEmail(el: DomNode): string | null {
  for (const c of el.children) {
    if (c.type !== ELEMENT) continue;
    const found = cfEmailOf(c) ?? findCfEmail(c);
    if (found) return found;
  }
  return null;
}

/**
 * An aria-hidden element without letters or digits is an icon or a permalink symbol (GitHub's " #" after
 * headings comes and goes between builds); real text is never hidden from screen readers like that.
 */
function isDecoration(el: DomNode): boolean {
  if (el.attrEnd - el.attrStart < 11) return false;
  const hidden = getAttr(el, 'aria-hidden');
  if (hidden === undefined || hidden === 'false') return false;
  return !/[\p{L}\p{N}]/u.test(textContent(el));
}

function preText(node: DomNode): string {
  if (node.type === TEXT) return node.data;
  if (node.name === 'br') return '\n';
  if (KIND.get(node.name) === K_SKIP) return '';
  let s = '';
  for (const c of node.children) s += preText(c);
  return s;
}

export class Renderer {
  /** True while the node being rendered is only partly selected: its children must be checked. */
  private filtered = false;
  private piece = -1;
  private linkDepth = 0;
  private headingDepth = 0;
  private boldDepth = 0;
  private italicDepth = 0;
  private strikeDepth = 0;

  constructor(
    private readonly resolve: UrlResolver,
    private readonly intervals: Interval[] | null,
  ) {}

  /** Renders the selected part of `root` (all of it when there is no selection). */
  render(root: DomNode): string {
    const w = new Writer();
    this.filtered = this.intervals !== null;
    this.children(root, w);
    return w.document();
  }

  private eachChild(n: DomNode, w: Writer | null, fn: (c: DomNode) => void): void {
    if (!this.filtered) {
      for (const c of n.children) fn(c);
      return;
    }
    const iv = this.intervals!;
    for (const c of n.children) {
      const cls = classify(iv, c.idx, c.last);
      if (cls === NONE) continue;
      if (cls >= 0) {
        // Separate selections are separate blocks, even when both are inline.
        if (cls !== this.piece) {
          if (w) w.flush();
          this.piece = cls;
        }
        this.filtered = false;
        fn(c);
        this.filtered = true;
      } else if (cls === CONTAINS) {
        this.eachChild(c, w, fn);
      } else {
        fn(c);
      }
    }
  }

  private children(n: DomNode, w: Writer): void {
    if (!this.filtered) {
      // The common path: no closure per element.
      const kids = n.children;
      for (let k = 0; k < kids.length; k++) this.node(kids[k]!, w);
      return;
    }
    this.eachChild(n, w, (c) => this.node(c, w));
  }

  node(n: DomNode, w: Writer): void {
    if (n.type === TEXT) {
      w.inline.text(n.data);
      return;
    }
    if (n.type !== ELEMENT) {
      this.children(n, w);
      return;
    }
    const kind = KIND.get(n.name) ?? K_INLINE;
    switch (kind) {
      case K_SKIP:
        return;
      case K_INLINE: {
        if (isDecoration(n)) return;
        const email = cfEmailOf(n);
        if (email) w.inline.text(email);
        else this.children(n, w);
        return;
      }
      case K_BLOCK:
        w.flush();
        this.children(n, w);
        w.flush();
        return;
      case K_HEADING: {
        w.flush();
        const sub = new Writer();
        this.headingDepth++;
        this.children(n, sub);
        this.headingDepth--;
        const text = sub.oneLine();
        if (text) w.block(`${'#'.repeat(n.name.charCodeAt(1) - 48)} ${text}`);
        return;
      }
      case K_LIST:
        this.list(n, w);
        return;
      case K_LI: {
        const item = this.item(n, true);
        if (item) w.block(`- ${indent(item, 2)}`, true);
        return;
      }
      case K_QUOTE: {
        w.flush();
        const sub = new Writer();
        this.children(n, sub);
        const body = sub.joined();
        if (body) w.block(body.split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n'));
        return;
      }
      case K_PRE: {
        let text = preText(n).replace(/^\r?\n/, '').replace(/\r\n?/g, '\n');
        text = text.split('\n').map((l) => l.trimEnd()).join('\n').replace(/^\n+|\n+$/g, '');
        if (text.trim()) w.block(`\`\`\`\n${text.replace(/^```/gm, '\\```')}\n\`\`\``);
        return;
      }
      case K_TABLE:
        this.table(n, w);
        return;
      case K_HR:
        w.block('---');
        return;
      case K_BR:
        w.inline.br();
        return;
      case K_IMG: {
        const alt = getAttr(n, 'alt');
        if (alt) w.inline.text(alt);
        return;
      }
      case K_A:
        this.link(n, w);
        return;
      case K_BOLD:
        this.wrap(n, w, BOLD, '**', '**');
        return;
      case K_ITALIC:
        this.wrap(n, w, ITALIC, '*', '*');
        return;
      case K_STRIKE:
        this.wrap(n, w, STRIKE, '~~', '~~');
        return;
      case K_CODE: {
        const wr = w.inline.open(CODE, '`', '`');
        w.inline.raw++;
        this.children(n, w);
        w.inline.raw--;
        w.inline.close(wr);
        return;
      }
    }
  }

  private wrap(n: DomNode, w: Writer, kind: number, open: string, close: string): void {
    const depthKey = kind === BOLD ? 'boldDepth' : kind === ITALIC ? 'italicDepth' : 'strikeDepth';
    if (this[depthKey] > 0 || w.inline.raw > 0) {
      this.children(n, w);
      return;
    }
    const wr = w.inline.open(kind, open, close);
    this[depthKey]++;
    this.children(n, w);
    this[depthKey]--;
    w.inline.close(wr);
  }

  private link(n: DomNode, w: Writer): void {
    const own = cfEmailOf(n);
    const href = getAttr(n, 'href');
    let url: string | null = null;
    if (href !== undefined && this.linkDepth === 0) {
      const payload = cfProtectedHrefPayload(href);
      // A heading's link to its own anchor is a permalink icon or wrapper whose markup flaps between builds.
      if (this.headingDepth > 0 && href.trim().startsWith('#')) url = null;
      else if (payload === null) url = this.resolve(href);
      else {
        const address = (payload ? decodeCfEmail(payload) : null) ?? own ?? findCfEmail(n);
        url = address ? this.resolve(`mailto:${address}`) : null;
      }
    }
    const wr = url === null ? null : w.inline.open(LINK, '[', `](${url})`);
    this.linkDepth++;
    if (own) w.inline.text(own);
    else this.children(n, w);
    this.linkDepth--;
    if (wr) w.inline.close(wr);
  }

  /** Renders a list item's content; `own` is false for stray non-<li> content rendered as an item. */
  private item(n: DomNode, own: boolean): string {
    const sub = new Writer();
    if (own) this.children(n, sub);
    else this.node(n, sub);
    return sub.joined();
  }

  private list(n: DomNode, w: Writer): void {
    w.flush();
    const ordered = n.name === 'ol';
    let num = 1;
    if (ordered) {
      const start = parseInt(getAttr(n, 'start') ?? '', 10);
      if (Number.isFinite(start)) num = start;
    }
    const items: string[] = [];
    const add = (body: string): void => {
      const marker = ordered ? `${num}. ` : '- ';
      num++;
      if (body) items.push(marker + indent(body, marker.length));
    };
    const visit = (parent: DomNode): void => {
      this.eachChild(parent, null, (c) => {
        if (c.type === TEXT) {
          if (/[^\s]/.test(c.data)) add(this.item(c, false));
          return;
        }
        if (c.type !== ELEMENT) return;
        const kind = KIND.get(c.name) ?? K_INLINE;
        if (kind === K_SKIP) return;
        if (kind === K_LI) {
          add(this.item(c, true));
          return;
        }
        if (kind === K_LIST && items.length > 0) {
          // A list directly inside a list belongs to the item before it, as browsers show it.
          const sub = new Writer();
          this.list(c, sub);
          const nested = sub.joined();
          if (nested) {
            const prev = items.length - 1;
            const width = ordered ? `${num - 1}. `.length : 2;
            items[prev] = `${items[prev]}\n${' '.repeat(width)}${indent(nested, width)}`;
          }
          return;
        }
        // Wrappers between a list and its items (common in component markup) are looked through.
        if (c.children.some((k) => k.type === ELEMENT && k.name === 'li')) {
          visit(c);
          return;
        }
        add(this.item(c, false));
      });
    };
    visit(n);
    if (items.length) w.block(items.join('\n'), true);
  }

  private table(n: DomNode, w: Writer): void {
    w.flush();
    const rows: DomNode[] = [];
    const captions: DomNode[] = [];
    const collect = (parent: DomNode): void => {
      this.eachChild(parent, null, (c) => {
        if (c.type !== ELEMENT) return;
        if (c.name === 'tr') rows.push(c);
        else if (c.name === 'caption') captions.push(c);
        else if (c.name !== 'table' && KIND.get(c.name) !== K_SKIP) collect(c);
      });
    };
    collect(n);
    for (const cap of captions) this.node(cap, w);
    const matrix: string[][] = [];
    const cellWriters: Writer[][] = [];
    for (const row of rows) {
      const cells: string[] = [];
      const writers: Writer[] = [];
      this.eachChild(row, null, (c) => {
        if (c.type !== ELEMENT || (c.name !== 'td' && c.name !== 'th')) return;
        // Each cell is rendered once: nested tables would otherwise be rendered again at every level.
        const sub = new Writer();
        this.children(c, sub);
        cells.push(sub.oneLine().replace(/\|/g, '\\|'));
        writers.push(sub);
        const span = Math.min(parseInt(getAttr(c, 'colspan') ?? '1', 10) || 1, 50);
        for (let k = 1; k < span; k++) cells.push('');
      });
      if (cells.some((x) => x !== '')) {
        matrix.push(cells);
        cellWriters.push(writers);
      }
    }
    if (matrix.length === 0) return;
    let width = 0;
    for (const r of matrix) width = Math.max(width, r.length);
    if (width <= 1) {
      // A one-column table is layout, not data: its cells are ordinary blocks.
      for (const writers of cellWriters) for (const sub of writers) w.append(sub);
      return;
    }
    const line = (cells: string[]): string => {
      const padded = cells.concat(Array(width - cells.length).fill(''));
      return `| ${padded.join(' | ')} |`;
    };
    const out = [line(matrix[0]!), `| ${Array(width).fill('---').join(' | ')} |`];
    for (let k = 1; k < matrix.length; k++) out.push(line(matrix[k]!));
    w.block(out.join('\n'));
  }
}
