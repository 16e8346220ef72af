// Sentences of the unlabelled Open Terms Archive corpus (shared/corpus/ota bundles): every Markdown line ever
// recorded in pga-versions and demo-versions, cut into sentences, deduplicated, English only, and without any
// sentence that also occurs in CLAUDETTE (compared by normalised text), so no CLAUDETTE fold is ever seen
// through it, even unlabelled. Sorted, so every consumer gets the same list.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHARED_DIR } from './data.ts';
import { detectLanguage } from './language.ts';
import { visibleText } from '../provisions/index.ts';

export const CORPUS_BUNDLES = ['pga-versions', 'demo-versions'];

/** Lowercase letters and digits only, single spaces: the key for deduplication and overlap checks. */
export const normaliseSentence = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

function bundleLines(name: string): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-corpus-'));
  try {
    execFileSync('git', ['clone', '-q', '--no-checkout', path.join(SHARED_DIR, 'corpus/ota', `${name}.bundle`), dir]);
    const diff = execFileSync('git', ['-C', dir, 'log', '--all', '-p', '--format=', '--no-renames', '--no-color', '--', '*.md'], { maxBuffer: 1 << 30, encoding: 'utf8' });
    return diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++')).map((l) => l.slice(1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CorpusSentences {
  sentences: string[];
  /** Distinct corpus sentences left out because CLAUDETTE has them. */
  leftOut: number;
}

export function corpusSentences(exclude: ReadonlySet<string>): CorpusSentences {
  const seen = new Set<string>();
  const sentences: string[] = [];
  let leftOut = 0;
  for (const b of CORPUS_BUNDLES) {
    for (const line of bundleLines(b)) {
      const text = visibleText(line.replace(/^\s*(?:#+|[-*+>|]|\d+[.)])\s+/, '')).replace(/\s+/g, ' ').trim();
      for (const s of text.split(/(?<=[.!?;])\s+(?=[A-Z"“(])/)) {
        const k = normaliseSentence(s);
        if (k.split(' ').length < 4 || seen.has(k)) continue;
        seen.add(k);
        if (exclude.has(k)) leftOut++;
        else if (detectLanguage(s).language === 'en') sentences.push(s);
      }
    }
  }
  return { sentences: sentences.sort(), leftOut };
}
