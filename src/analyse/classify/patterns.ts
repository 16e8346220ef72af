// Applies the hand-written patterns of taxonomy/patterns.yaml. Text is cut into sentence-sized chunks of
// bounded length before matching, so every regex runs on at most CHUNK characters and the total work is
// linear in the (capped) text length, whatever the input looks like.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { TAXONOMY_DIR, TaxonomyError } from '../taxonomy.ts';

export const CHUNK = 1000;
/** Characters of one provision that patterns look at; the rest of a giant "provision" is not matched. */
export const PATTERN_MAX_CHARS = 50_000;

export interface TypePatterns {
  id: string;
  score: number;
  override: boolean;
  gate: RegExp | null;
  any: RegExp[];
  unless: RegExp[];
}

export interface PatternSet {
  types: TypePatterns[];
  /** sha256 of the source file, recorded in the model so a mismatch can be noticed. */
  sha256: string;
}

export function parsePatterns(source: string, knownTypes?: Set<string>): PatternSet {
  const raw = parse(source) as { types?: Record<string, { score?: number; override?: boolean; gate?: string; any?: string[]; unless?: string[] }> };
  if (!raw || typeof raw.types !== 'object') throw new TaxonomyError('patterns.yaml: needs a "types" mapping');
  const types: TypePatterns[] = [];
  for (const id of Object.keys(raw.types).sort()) {
    const t = raw.types[id]!;
    if (knownTypes && !knownTypes.has(id)) throw new TaxonomyError(`patterns.yaml: unknown clause type ${id}`);
    const compile = (xs: unknown, field: string) => {
      if (xs === undefined) return [];
      if (!Array.isArray(xs)) throw new TaxonomyError(`patterns.yaml ${id}: "${field}" must be a list`);
      return xs.map((r) => {
        try {
          return new RegExp(String(r), 'i');
        } catch (e) {
          throw new TaxonomyError(`patterns.yaml ${id}: bad regex ${r}: ${(e as Error).message}`);
        }
      });
    };
    const any = compile(t.any, 'any');
    if (any.length === 0) throw new TaxonomyError(`patterns.yaml ${id}: "any" must not be empty`);
    const score = t.score ?? 0.9;
    if (typeof score !== 'number' || score <= 0 || score >= 1) throw new TaxonomyError(`patterns.yaml ${id}: score must be in (0, 1)`);
    const gate = t.gate === undefined ? null : compile([t.gate], 'gate')[0]!;
    types.push({ id, score, override: t.override === true, gate, any, unless: compile(t.unless, 'unless') });
  }
  return { types, sha256: createHash('sha256').update(source).digest('hex') };
}

export function loadPatterns(file = path.join(TAXONOMY_DIR, 'patterns.yaml'), knownTypes?: Set<string>): PatternSet {
  return parsePatterns(readFileSync(file, 'utf8'), knownTypes);
}

/** Splits into chunks ending at sentence punctuation or line breaks, none longer than CHUNK. Linear. */
export function chunks(text: string, maxChars = PATTERN_MAX_CHARS): string[] {
  const s = text.length > maxChars ? text.slice(0, maxChars) : text;
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const atEnd = c === 10 || ((c === 46 || c === 59 || c === 33 || c === 63) && (i + 1 >= s.length || s.charCodeAt(i + 1) === 32 || s.charCodeAt(i + 1) === 10));
    if (atEnd || i - start + 1 >= CHUNK) {
      if (i + 1 - start > 1) out.push(s.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < s.length) out.push(s.slice(start));
  return out.filter((x) => /[a-z]/i.test(x));
}

/** Type ids whose patterns hit the text (any `any` in a chunk where no `unless` matches), sorted.
 * Plain loops, no callbacks: this runs for every provision. */
export function matchPatterns(ps: PatternSet, text: string): string[] {
  const cs = chunks(text);
  const capped = text.length > PATTERN_MAX_CHARS ? text.slice(0, PATTERN_MAX_CHARS) : text;
  const hits: string[] = [];
  for (const t of ps.types) {
    if (t.gate && !t.gate.test(capped)) continue;
    if (hitsType(t, cs)) hits.push(t.id);
  }
  return hits;
}

function hitsType(t: TypePatterns, cs: readonly string[]): boolean {
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    let any = false;
    for (let k = 0; k < t.any.length; k++) {
      if (t.any[k]!.test(c)) {
        any = true;
        break;
      }
    }
    if (!any) continue;
    let unless = false;
    for (let k = 0; k < t.unless.length; k++) {
      if (t.unless[k]!.test(c)) {
        unless = true;
        break;
      }
    }
    if (!unless) return true;
  }
  return false;
}
