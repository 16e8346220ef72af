// Inline text as a browser lays it out: whitespace runs collapse to one space across element boundaries,
// adjacent inline elements join without a space ("c<span>ookie</span>" is "cookie"), and emphasis or link
// markers are written only around content that is really there, so empty or whitespace-only spans leave
// no artefacts.

const WS_ONLY = /^[ \t\n\r\f]*$/;
/** Anything cleanText would change: a regex test is faster than the loop on the usual clean text. */
const NEEDS_CLEANING = /[\t\n\r\f\u0000-\u0008\u000b\u000e-\u001f\u007f\u00a0\u00ad\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff\\*_`[\]]| {2}/;
/** A span holding only joiners (e.g. Webflow's `<strong>&zwj;</strong>`) renders as nothing. */
const ONLY_JOINERS = /^[ \u200c\u200d]*$/;

/** HTML whitespace plus the Unicode spaces that render the same; all collapse to one ASCII space. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Invisible characters that vary between fetches without changing the text. */
function isInvisible(c: number): boolean {
  if (c < 32) return c !== 10 && c !== 9 && c !== 13 && c !== 12;
  if (c < 0x7f) return false;
  return c === 0x7f || c === 0xad || c === 0x200b || c === 0x2060 || c === 0xfeff;
}

function isMdSpecial(c: number): boolean {
  return c === 92 || c === 42 || c === 95 || c === 96 || c === 91 || c === 93;
}

/**
 * Collapses whitespace runs to one space, drops invisible characters and (when `escape`) backslash-escapes
 * Markdown punctuation, in one pass that copies nothing when nothing changes (the usual case).
 */
export function cleanText(s: string, escape: boolean): string {
  const n = s.length;
  let out = '';
  let seg = 0;
  let changed = false;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      let j = i + 1;
      while (j < n && (isSpace(s.charCodeAt(j)) || isInvisible(s.charCodeAt(j)))) j++;
      if (j - i > 1 || c !== 32) {
        out += s.slice(seg, i) + ' ';
        seg = j;
        changed = true;
      }
      i = j;
      continue;
    }
    if (isInvisible(c)) {
      out += s.slice(seg, i);
      seg = i + 1;
      changed = true;
    } else if (escape && isMdSpecial(c)) {
      out += s.slice(seg, i) + '\\';
      seg = i;
      changed = true;
    }
    i++;
  }
  return changed ? out + s.slice(seg) : s;
}

export const BOLD = 1;
export const ITALIC = 2;
export const STRIKE = 3;
export const CODE = 4;
export const LINK = 5;

export interface Wrapper {
  kind: number;
  open: string;
  close: string;
  emitted: boolean;
}

const LINE_START_SPECIAL = /(^|\n)[#>\-+=0-9]/;

/** Escapes what would turn the start of a paragraph line into Markdown structure. */
export function escapeLineStarts(s: string): string {
  if (!LINE_START_SPECIAL.test(s)) return s;
  return s.replace(/^(#|>|[-+=](?=[ \-+=]|$)|\d+(?=[.)](?: |$)))/gm, (m) => (/^\d/.test(m) ? `${m}\\` : `\\${m}`));
}

export class InlineBuffer {
  // Parts are joined once per block: reading the last character of a growing concatenated string would
  // flatten it on every append.
  private parts: string[] = [];
  private lastCode = 0;
  private pendingSpace = false;
  private readonly wrappers: Wrapper[] = [];
  /** Index in parts of the close marker just written, while nothing has followed it. */
  private lastClosePart = -1;
  private lastCloseKind = 0;
  /** Inside code spans text is not escaped. */
  raw = 0;

  isEmpty(): boolean {
    return this.parts.length === 0;
  }

  private push(s: string): void {
    this.parts.push(s);
    this.lastCode = s.charCodeAt(s.length - 1);
  }

  text(data: string): void {
    // Whitespace-only nodes (indentation between tags) are a third of all text nodes.
    if (WS_ONLY.test(data)) {
      if (data.length > 0) this.pendingSpace = true;
      return;
    }
    const s = NEEDS_CLEANING.test(data) ? cleanText(data, this.raw === 0) : data;
    if (s.length === 0) return;
    if (s === ' ' || ONLY_JOINERS.test(s)) {
      if (s.indexOf(' ') !== -1) this.pendingSpace = true;
      return;
    }
    let start = 0;
    let end = s.length;
    if (s.charCodeAt(0) === 32) {
      this.pendingSpace = true;
      start = 1;
    }
    const trailing = s.charCodeAt(end - 1) === 32;
    if (trailing) end--;
    const content = start === 0 && end === s.length ? s : s.slice(start, end);
    this.emit(content);
    if (trailing) this.pendingSpace = true;
  }

  /** Writes already-formatted inline content (no escaping). */
  emit(content: string): void {
    if (content.length === 0) return;
    if (this.pendingSpace) {
      if (this.parts.length > 0 && this.lastCode !== 10) this.push(' ');
      this.pendingSpace = false;
    }
    const ws = this.wrappers;
    for (let k = 0; k < ws.length; k++) {
      const w = ws[k]!;
      if (w.emitted) continue;
      w.emitted = true;
      // `**a**` directly followed by `**b**` becomes `**ab**`: split spans are common and vary per fetch.
      if (w.kind !== LINK && this.lastClosePart >= 0 && w.kind === this.lastCloseKind && this.lastClosePart === this.parts.length - 1) {
        this.parts.pop();
        this.lastClosePart = -1;
      } else {
        this.push(w.open);
      }
    }
    this.lastClosePart = -1;
    this.push(content);
  }

  open(kind: number, open: string, close: string): Wrapper {
    const w: Wrapper = { kind, open, close, emitted: false };
    this.wrappers.push(w);
    return w;
  }

  close(w: Wrapper): void {
    const k = this.wrappers.lastIndexOf(w);
    if (k === -1) return;
    // Close anything opened inside w and left open (defensive: callers close in order).
    for (let j = this.wrappers.length - 1; j > k; j--) this.closeTop();
    this.closeTop();
  }

  private closeTop(): void {
    const w = this.wrappers.pop()!;
    if (!w.emitted) return;
    // `<b>text<br></b>`: the marker closes before the line break, or Markdown would not see it.
    let breaks = 0;
    while (this.parts.length > 0 && this.parts[this.parts.length - 1] === '\n') {
      this.parts.pop();
      breaks++;
    }
    this.push(w.close);
    for (let k = 0; k < breaks; k++) this.parts.push('\n');
    if (breaks > 0) {
      this.lastCode = 10;
      this.lastClosePart = -1;
      return;
    }
    this.lastClosePart = this.parts.length - 1;
    this.lastCloseKind = w.kind;
  }

  br(): void {
    this.pendingSpace = false;
    if (this.parts.length > 0) this.push('\n');
    this.lastClosePart = -1;
  }

  /**
   * Ends the current block: closes written markers (they reopen lazily if the element goes on in the next
   * block) and returns the trimmed text.
   */
  take(): string {
    this.pendingSpace = false;
    this.lastClosePart = -1;
    if (this.parts.length === 0) {
      for (const w of this.wrappers) w.emitted = false;
      return '';
    }
    let s = this.parts.join('').trimEnd();
    this.parts = [];
    this.lastCode = 0;
    for (let k = this.wrappers.length - 1; k >= 0; k--) {
      const w = this.wrappers[k]!;
      if (w.emitted) {
        s += w.close;
        w.emitted = false;
      }
    }
    return s.trimStart();
  }
}
