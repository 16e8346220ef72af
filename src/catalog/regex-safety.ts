// Noise rules run on every extraction, so a pattern that backtracks exponentially would stall the
// tracker. This is a static check for the well-known shapes, not a proof of safety.

export const MAX_PATTERN_LENGTH = 300;
export const MAX_UNBOUNDED_QUANTIFIERS = 6;
const ALLOWED_FLAGS = /^[gimsu]*$/;

/** Why a noise pattern is refused, or undefined when it is accepted. */
export function regexProblem(pattern: string, flags = ''): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern longer than ${MAX_PATTERN_LENGTH} characters`;
  if (!ALLOWED_FLAGS.test(flags) || new Set(flags).size !== flags.length) {
    return `flags "${flags}" must be distinct letters among g, i, m, s, u`;
  }
  try {
    new RegExp(pattern, flags);
  } catch (e) {
    return `pattern does not compile: ${(e as Error).message}`;
  }
  return backtrackingProblem(pattern);
}

interface Group {
  unbounded: boolean;
}

/** Finds a quantified group that itself contains an unbounded quantifier, e.g. (a+)+ or (\s*x?)*. */
function backtrackingProblem(pattern: string): string | undefined {
  const stack: Group[] = [{ unbounded: false }];
  let unboundedCount = 0;
  let i = 0;
  const markUnbounded = () => {
    unboundedCount++;
    for (const g of stack) g.unbounded = true;
  };
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      i += 2;
      i = afterQuantifier(pattern, i, markUnbounded);
      continue;
    }
    if (c === '[') {
      i = skipClass(pattern, i);
      i = afterQuantifier(pattern, i, markUnbounded);
      continue;
    }
    if (c === '(') {
      stack.push({ unbounded: false });
      i = skipGroupPrefix(pattern, i + 1);
      continue;
    }
    if (c === ')') {
      const group = stack.length > 1 ? stack.pop()! : { unbounded: false };
      const q = quantifierAt(pattern, i + 1);
      if (q && q.unbounded && group.unbounded) {
        return `nested unbounded quantifiers near "${pattern.slice(Math.max(0, i - 20), i + 1 + q.length)}" can backtrack exponentially`;
      }
      if (group.unbounded) for (const g of stack) g.unbounded = true;
      i = afterQuantifier(pattern, i + 1, markUnbounded);
      continue;
    }
    i = afterQuantifier(pattern, i + 1, markUnbounded);
  }
  if (unboundedCount > MAX_UNBOUNDED_QUANTIFIERS) {
    return `more than ${MAX_UNBOUNDED_QUANTIFIERS} unbounded quantifiers (*, +, {n,}) make matching slow`;
  }
  return undefined;
}

function afterQuantifier(pattern: string, i: number, onUnbounded: () => void): number {
  const q = quantifierAt(pattern, i);
  if (!q) return i;
  if (q.unbounded) onUnbounded();
  let j = i + q.length;
  if (pattern[j] === '?') j++; // lazy form
  return j;
}

function quantifierAt(pattern: string, i: number): { length: number; unbounded: boolean } | undefined {
  const c = pattern[i];
  if (c === '*' || c === '+') return { length: 1, unbounded: true };
  if (c === '?') return { length: 1, unbounded: false };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (m) return { length: m[0].length, unbounded: m[2] !== undefined && m[3] === '' };
  }
  return undefined;
}

function skipClass(pattern: string, i: number): number {
  let j = i + 1;
  if (pattern[j] === '^') j++;
  while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** (?:  (?=  (?!  (?<=  (?<!  (?<name>  — their "?" is not a quantifier. */
function skipGroupPrefix(pattern: string, i: number): number {
  if (pattern[i] !== '?') return i;
  const rest = pattern.slice(i);
  const m = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(rest);
  return m ? i + m[0].length : i + 1;
}
