// Per-line misses and false alarms of the AI clause types on a labelled set, for writing patterns from a
// development set (never run it on a set kept blind). Usage:
//   node --import tsx scripts/ai-misses.ts test/analyse/classify-ai-dev3.jsonl [--type ai-…]
import { readFileSync } from 'node:fs';
import { classify, loadClassifier } from '../src/analyse/classify/index.ts';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: ai-misses.ts FILE.jsonl [--type ID]');
  process.exit(2);
}
const only = rest[rest.indexOf('--type') + 1];
const model = loadClassifier();
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
lines.forEach((line, i) => {
  const { text, labels } = JSON.parse(line) as { text: string; labels: string[] };
  const got = classify([text], model)[0]!.types.map((t) => t.id).filter((id) => id.startsWith('ai-'));
  const missed = labels.filter((l) => !got.includes(l) && (!only || l === only));
  const extra = got.filter((g) => !labels.includes(g) && (!only || g === only));
  if (missed.length || extra.length) console.log(`${i + 1}\t${missed.length ? `MISS ${missed.join(',')}` : ''}${extra.length ? ` EXTRA ${extra.join(',')}` : ''}\n\t${text}`);
});
