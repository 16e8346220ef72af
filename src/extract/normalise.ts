// The canonical text form. extractMarkdown's output is already canonical (one form for storage, display and
// comparison); this is exported so Markdown that did not come from extractMarkdown (imported OTA versions)
// can be brought to the same form before it is compared.
import type { NoiseRules } from '../domain/types.ts';

const NEEDS_LINE_PASS = /[^\S\n]\n|\n\n\n/;

function isSpaceAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c === 32 || c === 10 || c === 9 || c === 12 || c === 11 || c === 0xa0 || (c > 0x1000 && /\s/.test(s[i]!));
}

function wellFormed(s: string): string {
  const t = s as string & { toWellFormed?: () => string };
  return typeof t.toWellFormed === 'function' ? t.toWellFormed() : s;
}

/**
 * NFC, no trailing spaces, no leading or trailing blank lines, at most one blank line in a row, and a final
 * newline (an empty document is the empty string). Leading spaces are kept: they are list nesting.
 */
export function normaliseForComparison(markdown: string): string {
  let s = markdown;
  if (s.indexOf('\r') !== -1) s = s.replace(/\r\n?/g, '\n');
  // Only non-ASCII text can hold lone surrogates (from broken input) or decomposed characters.
  if (/[^\x00-\x7f]/.test(s)) s = wellFormed(s).normalize('NFC');
  // Renderer output is usually canonical already: skip the line pass when nothing needs it.
  if (s.length === 0) return '';
  if (!isSpaceAt(s, 0) && !isSpaceAt(s, s.length - 1) && !NEEDS_LINE_PASS.test(s)) return `${s}\n`;
  const lines = s.split('\n');
  const out: string[] = [];
  let blank = false;
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line === '') {
      blank = out.length > 0;
      continue;
    }
    if (blank) out.push('');
    blank = false;
    out.push(line);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** noise.replace rules, in order; `g` is always added so a rule removes every occurrence. */
export function applyReplaceRules(markdown: string, rules: NoiseRules['replace']): string {
  if (!rules || rules.length === 0) return markdown;
  let s = markdown;
  for (const rule of rules) {
    const flags = rule.flags ?? '';
    const re = new RegExp(rule.pattern, flags.includes('g') ? flags : `${flags}g`);
    s = s.replace(re, rule.with);
  }
  return s;
}
