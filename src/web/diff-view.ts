// Turns two version texts into what the diff page shows: changed hunks with word-level differences,
// unchanged paragraphs around them, and long unchanged runs folded away. Pure: no I/O.
import { diffWordsWithSpace } from 'diff';
import { blockDiff, type DiffPart } from '../record/diff.ts';

export type DiffRow =
  | { kind: 'equal'; text: string }
  | { kind: 'skip'; blocks: string[] }
  | {
      kind: 'change';
      before: string[];
      after: string[];
      /** Word-level parts over the hunk; null when the hunk was too large to compare word by word in time. */
      words: DiffPart[] | null;
    };

export interface DiffView {
  rows: DiffRow[];
  stats: { hunks: number; blocksAdded: number; blocksRemoved: number; wordsAdded: number; wordsRemoved: number };
  identical: boolean;
}

// Word diffs run on the request path: a hunk that cannot be compared within this budget is shown block by block.
const WORD_DIFF_TIMEOUT_MS = 150;
const WORD_DIFF_MAX_CHARS = 60_000;

export function diffView(before: string, after: string, opts: { context?: number } = {}): DiffView {
  const context = opts.context ?? 2;
  const parts = blockDiff(before, after);
  const raw: DiffRow[] = [];
  const stats = { hunks: 0, blocksAdded: 0, blocksRemoved: 0, wordsAdded: 0, wordsRemoved: 0 };
  let i = 0;
  while (i < parts.length) {
    const p = parts[i]!;
    if (p.op === 'equal') {
      raw.push({ kind: 'equal', text: p.text });
      i++;
      continue;
    }
    const del: string[] = [];
    const ins: string[] = [];
    while (i < parts.length && parts[i]!.op !== 'equal') {
      const q = parts[i]!;
      (q.op === 'delete' ? del : ins).push(q.text);
      i++;
    }
    stats.hunks++;
    stats.blocksRemoved += del.length;
    stats.blocksAdded += ins.length;
    const words = hunkWords(del, ins);
    if (words) {
      for (const w of words) {
        const n = countWords(w.text);
        if (w.op === 'insert') stats.wordsAdded += n;
        else if (w.op === 'delete') stats.wordsRemoved += n;
      }
    } else {
      stats.wordsAdded += countWords(ins.join(' '));
      stats.wordsRemoved += countWords(del.join(' '));
    }
    raw.push({ kind: 'change', before: del, after: ins, words });
  }
  return { rows: fold(raw, context), stats, identical: stats.hunks === 0 };
}

function hunkWords(del: string[], ins: string[]): DiffPart[] | null {
  const a = del.join('\n');
  const b = ins.join('\n');
  if (!a) return [{ op: 'insert', text: b }];
  if (!b) return [{ op: 'delete', text: a }];
  if (a.length + b.length > WORD_DIFF_MAX_CHARS) return null;
  const out = diffWordsWithSpace(a, b, { timeout: WORD_DIFF_TIMEOUT_MS });
  if (!out) return null;
  return out.map((c) => ({ op: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value }));
}

function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}

/** Keeps `context` unchanged blocks on each side of a change and folds the rest into skip rows. */
function fold(rows: DiffRow[], context: number): DiffRow[] {
  const out: DiffRow[] = [];
  let run: string[] = [];
  const flush = (atStart: boolean, atEnd: boolean) => {
    const keepHead = atStart ? 0 : context;
    const keepTail = atEnd ? 0 : context;
    if (run.length <= keepHead + keepTail + 1) {
      for (const t of run) out.push({ kind: 'equal', text: t });
    } else {
      for (const t of run.slice(0, keepHead)) out.push({ kind: 'equal', text: t });
      out.push({ kind: 'skip', blocks: run.slice(keepHead, run.length - keepTail) });
      for (const t of run.slice(run.length - keepTail)) out.push({ kind: 'equal', text: t });
    }
    run = [];
  };
  let seenChange = false;
  for (const r of rows) {
    if (r.kind === 'equal') {
      run.push(r.text);
      continue;
    }
    flush(!seenChange, false);
    seenChange = true;
    out.push(r);
  }
  flush(!seenChange, true);
  return out;
}

/** The two sides of a change hunk as word parts: the left keeps deletions, the right keeps insertions. */
export function sides(row: Extract<DiffRow, { kind: 'change' }>): { left: DiffPart[]; right: DiffPart[] } {
  if (!row.words) {
    return {
      left: row.before.length ? [{ op: 'delete', text: row.before.join('\n') }] : [],
      right: row.after.length ? [{ op: 'insert', text: row.after.join('\n') }] : [],
    };
  }
  return { left: row.words.filter((w) => w.op !== 'insert'), right: row.words.filter((w) => w.op !== 'delete') };
}
