// A deliberately small DOM: one node class (so property access stays monomorphic in V8), attributes parsed
// only when someone asks for them (most of a page's attribute bytes are class lists nobody reads), and every
// node numbered in document order so selections and ranges become integer intervals.
import { decodeHTMLAttribute } from 'entities/decode';

export const ELEMENT = 1;
export const TEXT = 3;
export const DOCUMENT = 9;

const NO_CHILDREN: DomNode[] = [];
Object.freeze(NO_CHILDREN);

export class DomNode {
  type: number;
  /** Lower-case tag name; '#text' or '#document' for the other kinds. */
  name: string;
  /** Text content of a text node. */
  data: string;
  parent: DomNode | null = null;
  /** Position in parent.children, for constant-time previous-sibling steps. */
  sibIndex = 0;
  children: DomNode[];
  /** Source and offsets of the raw attribute text, parsed on first use. */
  src: string;
  attrStart: number;
  attrEnd: number;
  /** Parsed attributes as [name, value, name, value, …]: cheaper than an object for a handful of entries. */
  attribs: string[] | null = null;
  /** Pre-order position in the document, and the position of the last node inside this one. */
  idx = 0;
  last = 0;

  constructor(type: number, name: string, data: string, src: string, attrStart: number, attrEnd: number) {
    this.type = type;
    this.name = name;
    this.data = data;
    this.children = type === TEXT ? NO_CHILDREN : [];
    this.src = src;
    this.attrStart = attrStart;
    this.attrEnd = attrEnd;
  }
}

export function textNode(data: string): DomNode {
  return new DomNode(TEXT, '#text', data, '', 0, 0);
}

export function elementNode(name: string, src: string, attrStart: number, attrEnd: number): DomNode {
  return new DomNode(ELEMENT, name, '', src, attrStart, attrEnd);
}

export function documentNode(): DomNode {
  return new DomNode(DOCUMENT, '#document', '', '', 0, 0);
}

/** Cheap test on the raw attribute text, so callers can skip parsing attributes that cannot be there. */
export function rawAttrsInclude(el: DomNode, needle: string): boolean {
  if (el.attrEnd - el.attrStart < needle.length) return false;
  return el.src.slice(el.attrStart, el.attrEnd).includes(needle);
}

export function attrs(el: DomNode): string[] {
  if (el.attribs === null) el.attribs = parseAttributes(el.src, el.attrStart, el.attrEnd);
  return el.attribs;
}

/**
 * Can the raw attribute text contain an attribute called `name`? A fast negative answer spares a full
 * parse: selectors ask for ids and classes of many elements that have none.
 */
function mayHaveAttr(el: DomNode, name: string): boolean {
  const len = el.attrEnd - el.attrStart;
  if (len < name.length) return false;
  const raw = el.src.slice(el.attrStart, el.attrEnd);
  // Names are case-insensitive; legacy markup writes them in capitals (<TD COLSPAN=2>).
  return raw.indexOf(name) !== -1 || raw.indexOf(name.toUpperCase()) !== -1;
}

export function getAttr(el: DomNode, name: string): string | undefined {
  if (el.attribs === null && !mayHaveAttr(el, name)) return undefined;
  const a = attrs(el);
  for (let k = 0; k < a.length; k += 2) if (a[k] === name) return a[k + 1];
  return undefined;
}

export function hasAttr(el: DomNode, name: string): boolean {
  return getAttr(el, name) !== undefined;
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
}

/** HTML attribute tokenisation (first occurrence of a name wins, names lower-cased, values entity-decoded). */
export function parseAttributes(src: string, start: number, end: number): string[] {
  const out: string[] = [];
  let i = start;
  while (i < end) {
    let c = src.charCodeAt(i);
    if (isWs(c) || c === 47 /* / */) {
      i++;
      continue;
    }
    const nameStart = i;
    // A leading '=' belongs to the name (spec: unexpected-equals-sign-before-attribute-name).
    i++;
    while (i < end) {
      c = src.charCodeAt(i);
      if (isWs(c) || c === 47 || c === 61 /* = */) break;
      i++;
    }
    const name = src.slice(nameStart, i).toLowerCase();
    while (i < end && isWs(src.charCodeAt(i))) i++;
    let value = '';
    if (i < end && src.charCodeAt(i) === 61) {
      i++;
      while (i < end && isWs(src.charCodeAt(i))) i++;
      c = src.charCodeAt(i);
      if (c === 34 || c === 39) {
        let q = src.indexOf(c === 34 ? '"' : "'", i + 1);
        if (q === -1 || q > end) q = end;
        value = src.slice(i + 1, q);
        i = q + 1;
      } else {
        const vs = i;
        while (i < end && !isWs(src.charCodeAt(i))) i++;
        value = src.slice(vs, i);
      }
      if (value.indexOf('&') !== -1) value = decodeHTMLAttribute(value);
    }
    let dup = false;
    for (let k = 0; k < out.length; k += 2) if (out[k] === name) dup = true;
    if (!dup) out.push(name, value);
  }
  return out;
}

/** Concatenated text of a subtree, as textContent would give it. */
export function textContent(node: DomNode): string {
  if (node.type === TEXT) return node.data;
  let s = '';
  for (const c of node.children) s += textContent(c);
  return s;
}
