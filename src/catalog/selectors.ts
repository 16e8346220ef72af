// Selectors are checked with the same engine the extractor uses (css-select), so a declaration
// that loads is one the extractor can run.
import { compile } from 'css-select';
import type { DeclarationIssue } from './errors.ts';

const RANGE_STARTS = ['startBefore', 'startAfter'] as const;
const RANGE_ENDS = ['endBefore', 'endAfter'] as const;

/** Why a CSS selector string is unusable, or undefined when it is fine. */
export function selectorProblem(selector: string): string | undefined {
  const s = selector.trim();
  if (!s) return 'empty CSS selector';
  // css-select accepts a dangling combinator ("main >") and matches everything after it.
  if (/^[>+~]/.test(s) || /[>+~,]$/.test(s)) return `CSS selector "${selector}" starts or ends with a combinator`;
  try {
    compile(s);
  } catch (e) {
    return `CSS selector "${selector}" does not parse: ${(e as Error).message}`;
  }
  return undefined;
}

/** Checks a Selection (string | range | array of them) that already passed the JSON Schema. */
export function checkSelection(selection: unknown, path: string, issues: DeclarationIssue[]): void {
  if (Array.isArray(selection)) {
    selection.forEach((s, i) => checkSelector(s, `${path}[${i}]`, issues));
    return;
  }
  checkSelector(selection, path, issues);
}

function checkSelector(selector: unknown, path: string, issues: DeclarationIssue[]): void {
  if (typeof selector === 'string') {
    const problem = selectorProblem(selector);
    if (problem) issues.push({ path, reason: problem });
    return;
  }
  if (selector && typeof selector === 'object' && !Array.isArray(selector)) {
    const range = selector as Record<string, unknown>;
    const starts = RANGE_STARTS.filter((k) => range[k] !== undefined);
    const ends = RANGE_ENDS.filter((k) => range[k] !== undefined);
    if (starts.length !== 1) {
      issues.push({ path, reason: 'a range needs exactly one of startBefore, startAfter' });
    }
    if (ends.length !== 1) {
      issues.push({ path, reason: 'a range needs exactly one of endBefore, endAfter' });
    }
    for (const k of [...starts, ...ends]) {
      const problem = selectorProblem(String(range[k]));
      if (problem) issues.push({ path: `${path}.${k}`, reason: problem });
    }
    return;
  }
  issues.push({ path, reason: 'must be a CSS selector or a range object' });
}
