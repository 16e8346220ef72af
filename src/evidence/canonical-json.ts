// Canonical JSON per RFC 8785 (JCS) for the subset a leaf needs: null, booleans, safe integers,
// strings, arrays and plain objects. Anything else (fractions, big numbers, Dates, Buffers, lone
// surrogates) is refused rather than guessed at, so that the same record always yields the same
// bytes in every implementation.

export type CanonicalValue = null | boolean | number | string | CanonicalValue[] | { [key: string]: CanonicalValue | undefined };

const MAX_DEPTH = 32;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function fail(path: string, why: string): never {
  throw new TypeError(`canonical JSON: ${path} ${why}`);
}

function str(s: string, path: string): string {
  if (LONE_SURROGATE.test(s)) fail(path, 'contains a lone surrogate, which is not Unicode text');
  // ECMAScript's JSON.stringify escapes strings exactly as RFC 8785 §3.2.2.2 requires.
  return JSON.stringify(s);
}

function write(value: unknown, path: string, depth: number): string {
  if (depth > MAX_DEPTH) fail(path, `is nested deeper than ${MAX_DEPTH} levels`);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // Integers only: RFC 8785 number formatting of fractions is avoidable here, so it is avoided.
      if (!Number.isSafeInteger(value)) fail(path, `is ${String(value)}, and only integers within ±(2^53−1) are allowed`);
      return String(value === 0 ? 0 : value);
    case 'string':
      return str(value, path);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => {
          if (v === undefined) fail(`${path}[${i}]`, 'is undefined');
          return write(v, `${path}[${i}]`, depth + 1);
        }).join(',')}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) fail(path, 'is not a plain object');
      const obj = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, which is the order RFC 8785 §3.2.3 prescribes.
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      return `{${keys.map((k) => `${str(k, `${path} key`)}:${write(obj[k], `${path}.${k}`, depth + 1)}`).join(',')}}`;
    }
    default:
      return fail(path, `has type ${typeof value}, which JSON cannot represent`);
  }
}

/** The RFC 8785 serialisation of value. Properties whose value is undefined are left out. */
export function canonicalJson(value: unknown): string {
  return write(value, '$', 0);
}
