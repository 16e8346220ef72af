// Differences between two version texts, by word and by block (paragraph, list item, table row).
import { diffArrays, diffWordsWithSpace } from 'diff';

export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWordsWithSpace(before, after).map((p) => ({ op: p.added ? 'insert' : p.removed ? 'delete' : 'equal', text: p.value }));
}

/** Blocks are the lines of the normalised Markdown: one paragraph, list item, heading or table row each. */
export function splitBlocks(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

export function blockDiff(before: string, after: string): DiffPart[] {
  const out: DiffPart[] = [];
  for (const p of diffArrays(splitBlocks(before), splitBlocks(after))) {
    const op = p.added ? 'insert' : p.removed ? 'delete' : 'equal';
    for (const block of p.value) out.push({ op, text: block });
  }
  return out;
}

export function diffStats(parts: DiffPart[]): { inserted: number; deleted: number; unchanged: number } {
  const s = { inserted: 0, deleted: 0, unchanged: 0 };
  for (const p of parts) {
    if (p.op === 'insert') s.inserted++;
    else if (p.op === 'delete') s.deleted++;
    else s.unchanged++;
  }
  return s;
}
