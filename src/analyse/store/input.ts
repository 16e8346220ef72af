// Turning a file given to `clausewatch analyze` into document text: HTML through the extractor, Markdown and
// plain text as they are, and anything that is not text refused with a reason instead of being guessed at.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { extractMarkdown } from '../../extract/index.ts';
import { normalisePlainText } from '../../record/plain-text.ts';

export type InputFormat = 'html' | 'markdown' | 'text';

export type DocumentInput =
  | { name: string; ok: true; format: InputFormat; text: string }
  | { name: string; ok: false; reason: string };

/** Bytes examined to tell text from binary content. */
const SNIFF = 64 * 1024;

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SNIFF);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32) || b === 127) control++;
  }
  if (n > 0 && control / n > 0.1) return true;
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, n));
  let bad = 0;
  for (const ch of text) if (ch === '\uFFFD') bad++;
  // A few stray bytes happen in real files (a Latin-1 quote); a tenth of them does not.
  return text.length > 0 && bad / text.length > 0.1;
}

const HTML_START = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b/i;
const BLOCK_TAG = /<\/?(?:html|body|head|div|p|span|section|article|main|nav|header|footer|ul|ol|li|table|tr|td|th|h[1-6]|br|a|strong|em|b|i)\b[^>]*>/gi;

/** HTML by extension or by content: a document start, or markup dense enough that it is not prose with an odd "<". */
export function detectFormat(name: string, text: string): InputFormat {
  const ext = path.extname(name).toLowerCase();
  if (ext === '.html' || ext === '.htm' || ext === '.xhtml') return 'html';
  const head = text.slice(0, SNIFF);
  if (HTML_START.test(head)) return 'html';
  const tags = head.match(BLOCK_TAG)?.length ?? 0;
  if (tags >= 3 && tags * 40 > head.length / 10) return 'html';
  if (ext === '.md' || ext === '.markdown' || /^#{1,6}\s|^\s*[-*]\s|^\|.*\|\s*$/m.test(head)) return 'markdown';
  return 'text';
}

/** Reads one input; `name` is a path, or "-" for standard input (used for messages and format hints). */
export function documentInput(name: string, bytes: Uint8Array): DocumentInput {
  if (looksBinary(bytes)) return { name, ok: false, reason: 'binary content, not a text, Markdown or HTML document: not analysed' };
  let text = new TextDecoder('utf-8').decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const format = detectFormat(name, text);
  if (format === 'html') {
    const url = name === '-' ? 'file:///stdin' : pathToFileURL(path.resolve(name)).href;
    const out = extractMarkdown(text, { url });
    return { name, ok: true, format, text: out.markdown };
  }
  // Markdown keeps its indentation (nested lists); plain text gets the tracker's canonical whitespace.
  return { name, ok: true, format, text: format === 'markdown' ? text.replace(/\r\n?/g, '\n') : normalisePlainText(text) };
}
