// The canonical text form. extractMarkdown's output is already canonical (one form for storage, display and
// comparison); this is exported so Markdown that did not come from extractMarkdown (imported OTA versions)
// can be brought to the same form before it is compared.
import type { NoiseRules } from '../domain/types.ts';

/**
 * NFC, no trailing spaces, no leading or trailing blank lines, at most one blank line in a row, and a final
 * newline (an empty document is the empty string). Leading spaces are kept: they are list nesting.
 */
export function normaliseForComparison(markdown: string): string {
  let s = markdown;
  if (s.indexOf('\r') !== -1) s = s.replace(/\r\n?/g, '\n');
  // normalize() is native and cheap on ASCII; skip the call when the text has nothing to compose.
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize('NFC');
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
