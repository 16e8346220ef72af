// Markdown (or plain text) of one document version → provisions with stable keys.

import { createHash } from 'node:crypto';
import type { Provision, ProvisionKind } from './types.ts';
import { headingText, keyText, visibleText } from './normalise.ts';

type Block =
  | { type: 'heading'; level: number; text: string }
  | { type: Exclude<ProvisionKind, 'heading-text'>; text: string; columns?: string[] };

const ATX_RE = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_RE = /^ {0,3}(=+|-+)[ \t]*$/;
const HR_RE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const FENCE_RE = /^ {0,3}(`{3,}|~{3,})/;
const BULLET_RE = /^([ \t]*)([-*+•▪◦●·])[ \t]+(.*)$/;
const ORDERED_RE = /^([ \t]*)(\d{1,3}[.)])[ \t]+(.*)$/;
const TABLE_DELIM_RE = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const BLANK_RE = /^\s*$/;

/** Below every ATX level: "**9.1 Definitions**" sits under "#### 9. API Terms". */
const BOLD_HEADING_LEVEL = 7;

/** A paragraph that is one short bold span and not a sentence is used as a heading by many legal pages. */
function isBoldHeading(text: string): boolean {
  const m = /^(\*\*|__)([^*_]+?)\s*\1:?$/.exec(text);
  if (!m) return false;
  const inner = m[2]!.trim();
  return inner.length > 0 && inner.split(/\s+/).length <= 15 && !/[.;,]$/.test(inner);
}

function isTableLine(line: string): boolean {
  return /^\s*\|.*\|\s*$/.test(line);
}

function tableCells(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/).map((c) => c.trim());
}

function listItem(line: string): { indent: number; marker: string; rest: string; ordered: boolean } | null {
  const o = ORDERED_RE.exec(line);
  if (o) return { indent: o[1]!.length, marker: o[2]!, rest: o[3]!, ordered: true };
  const b = BULLET_RE.exec(line);
  // "* * *" and "- - -" are rules, not items.
  if (b && !HR_RE.test(line)) return { indent: b[1]!.length, marker: b[2]!, rest: b[3]!, ordered: false };
  return null;
}

/** Markdown blocks: paragraphs, list items, table rows, headings. */
function markdownBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  let item: { text: string[]; contentIndent: number } | null = null;
  let columns: string[] | undefined;
  let inTable = false;

  const flushPara = () => {
    if (para.length) {
      const text = para.join(' ').trim();
      blocks.push(isBoldHeading(text) ? { type: 'heading', level: BOLD_HEADING_LEVEL, text } : { type: 'paragraph', text });
    }
    para = [];
  };
  const flushItem = () => {
    if (item) blocks.push({ type: 'list-item', text: item.text.join(' ') });
    item = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (BLANK_RE.test(line)) {
      flushPara();
      inTable = false;
      columns = undefined;
      // A list item survives blank lines when indented continuation follows.
      if (item) {
        let j = i + 1;
        while (j < lines.length && BLANK_RE.test(lines[j]!)) j++;
        const nextLine = lines[j];
        const indent = nextLine === undefined ? 0 : /^[ \t]*/.exec(nextLine)![0].length;
        if (nextLine === undefined || listItem(nextLine) || indent < Math.max(2, item.contentIndent)) flushItem();
      }
      continue;
    }
    const fence = FENCE_RE.exec(line);
    if (fence) {
      flushPara();
      flushItem();
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !lines[j]!.trimStart().startsWith(fence[1]!)) body.push(lines[j++]!);
      if (body.some((l) => !BLANK_RE.test(l))) blocks.push({ type: 'paragraph', text: body.join('\n').trim() });
      i = j;
      continue;
    }
    const atx = ATX_RE.exec(line);
    if (atx) {
      flushPara();
      flushItem();
      blocks.push({ type: 'heading', level: atx[1]!.length, text: atx[2] ?? '' });
      continue;
    }
    const setext = SETEXT_RE.exec(line);
    if (setext && para.length && !item) {
      blocks.push({ type: 'heading', level: setext[1]![0] === '=' ? 1 : 2, text: para.join(' ') });
      para = [];
      continue;
    }
    if (HR_RE.test(line)) {
      flushPara();
      flushItem();
      continue;
    }
    if (isTableLine(line) || (inTable && line.includes('|'))) {
      flushPara();
      flushItem();
      if (TABLE_DELIM_RE.test(line)) continue;
      const cells = tableCells(line);
      const next = lines[i + 1];
      if (!inTable && next !== undefined && TABLE_DELIM_RE.test(next)) columns = cells.map(visibleText);
      inTable = true;
      blocks.push({ type: 'table-row', text: cells.join(' | '), ...(columns ? { columns } : {}) });
      continue;
    }
    if (!inTable && line.includes('|') && lines[i + 1] !== undefined && TABLE_DELIM_RE.test(lines[i + 1]!) && lines[i + 1]!.includes('|')) {
      flushPara();
      flushItem();
      const cells = tableCells(line);
      columns = cells.map(visibleText);
      inTable = true;
      blocks.push({ type: 'table-row', text: cells.join(' | '), columns });
      continue;
    }
    inTable = false;
    columns = undefined;
    const li = listItem(line);
    if (li) {
      flushPara();
      flushItem();
      const text = li.ordered ? `${li.marker} ${li.rest.trim()}` : li.rest.trim();
      item = { text: [text], contentIndent: li.indent + li.marker.length + 1 };
      continue;
    }
    const content = line.replace(/^\s*>\s?/, '').trim();
    if (item) {
      item.text.push(content);
      continue;
    }
    if (content) para.push(content);
  }
  flushPara();
  flushItem();
  return blocks;
}

const TERMINAL_RE = /[.!?:;,。！？：；]["”’)\]]*$/u;
/** A line ending in one of these was cut mid-sentence by the extraction (inline elements on their own line). */
const DANGLING_WORDS = new Set([
  'the', 'a', 'an', 'of', 'to', 'in', 'on', 'under', 'for', 'and', 'or', 'with', 'from', 'by', 'at', 'as',
  'labelled', 'labeled', 'named', 'called', 'your', 'our', 'their', 'its', 'this', 'that', 'is', 'are',
]);

function words(s: string): string[] {
  return s.trim().split(/\s+/).filter(Boolean);
}

/**
 * Plain text (no blank-line structure): each line is a block. Lines cut in the middle of a sentence by
 * HTML-to-text extraction ("Select" / "Le Chatunder the" / "Privacysection, disable …") are joined again,
 * and short unpunctuated lines that introduce content act as headings.
 */
function plainBlocks(lines: string[]): Block[] {
  const joined: string[] = [];
  let buf = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) {
      if (buf) joined.push(buf);
      buf = '';
      continue;
    }
    if (buf) {
      const isItem = listItem(line) !== null;
      const ws = words(buf);
      const last = ws[ws.length - 1]!.toLowerCase();
      const dangling = !TERMINAL_RE.test(buf) && (ws.length === 1 || DANGLING_WORDS.has(last));
      if (dangling && !isItem) {
        buf = `${buf} ${line}`;
        continue;
      }
      joined.push(buf);
    }
    buf = line;
  }
  if (buf) joined.push(buf);

  const blocks: Block[] = [];
  joined.forEach((line, idx) => {
    const li = listItem(line);
    if (li) {
      blocks.push({ type: 'list-item', text: li.ordered ? `${li.marker} ${li.rest.trim()}` : li.rest.trim() });
      return;
    }
    const ws = words(line);
    const looksLikeHeading =
      idx < joined.length - 1 &&
      ws.length >= 2 &&
      ws.length <= 15 &&
      !TERMINAL_RE.test(line) &&
      /^[\p{Lu}\p{N}]/u.test(line);
    blocks.push(looksLikeHeading ? { type: 'heading', level: 2, text: line } : { type: 'paragraph', text: line });
  });
  return blocks;
}

function isPlainText(lines: string[]): boolean {
  if (lines.some((l) => ATX_RE.test(l) && /^ {0,3}#{1,6}[ \t]+\S/.test(l))) return false;
  if (lines.some((l, i) => i > 0 && SETEXT_RE.test(l) && !BLANK_RE.test(lines[i - 1]!))) return false;
  if (lines.some(isTableLine)) return false;
  let nonBlank = 0;
  let groups = 0;
  let inGroup = false;
  for (const l of lines) {
    if (BLANK_RE.test(l)) {
      inGroup = false;
    } else {
      nonBlank++;
      if (!inGroup) groups++;
      inGroup = true;
    }
  }
  // Markdown separates paragraphs with blank lines; text whose lines mostly run together is line-oriented.
  return nonBlank >= 4 && groups * 3 <= nonBlank;
}

function hashKey(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

export function sectionKey(section: string[]): string {
  return section.map(keyText).join('/');
}

/**
 * Splits one document version into provisions. A paragraph, list item or table row is one provision;
 * headings form the section path. A heading with nothing under it becomes a 'heading-text' provision so
 * that its appearance or disappearance is still seen.
 */
export function splitProvisions(markdown: string): Provision[] {
  const text = markdown.replace(/\r\n?/g, '\n').replace(/<!--[\s\S]*?-->/g, '');
  const lines = text.split('\n');
  const blocks = isPlainText(lines) ? plainBlocks(lines) : markdownBlocks(lines);

  const out: Provision[] = [];
  const stack: { level: number; text: string }[] = [];
  const seen = new Map<string, number>();

  let section: string[] = [];
  let secKey = '';
  const emit = (kind: ProvisionKind, raw: string, columns?: string[], tkKnown?: string) => {
    const body = raw.trim();
    const tk = tkKnown ?? keyText(body);
    if (!tk) return;
    const base = `${secKey}\u0000${tk}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    // Identical provisions in one section are told apart by their rank, so keys stay unique.
    const key = hashKey(n === 1 ? [secKey, tk] : [secKey, tk, String(n)]);
    out.push({ key, section, kind, text: body, ordinal: out.length, lineage: key, ...(columns ? { columns } : {}) });
  };

  const blockKeys = blocks.map((b) => (b.type === 'heading' ? '' : keyText(b.text)));
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.type !== 'heading') {
      emit(b.type, b.text, b.columns, blockKeys[i]);
      continue;
    }
    const title = headingText(b.text);
    while (stack.length && stack[stack.length - 1]!.level >= b.level) stack.pop();
    section = stack.map((h) => h.text).filter(Boolean);
    secKey = sectionKey(section);
    // Does anything other than deeper headings follow before the next heading of this level or higher?
    let hasBody = false;
    for (let j = i + 1; j < blocks.length; j++) {
      const nb = blocks[j]!;
      if (nb.type === 'heading') {
        if (nb.level <= b.level) break;
        continue;
      }
      if (blockKeys[j]) {
        hasBody = true;
        break;
      }
    }
    if (!hasBody && title) emit('heading-text', title);
    stack.push({ level: b.level, text: title });
    section = stack.map((h) => h.text).filter(Boolean);
    secKey = sectionKey(section);
  }
  return out;
}
