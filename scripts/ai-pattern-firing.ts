// Where the AI patterns fire on the 13,498 CLAUDETTE and ToS;DR texts (older terms with few AI clauses):
// a precision check for taxonomy/patterns.yaml, since those texts have no AI labels.
// Usage: node --import tsx scripts/ai-pattern-firing.ts [--list]
import { loadTaxonomy } from '../src/analyse/taxonomy.ts';
import { loadClaudette, loadTosdr } from '../src/analyse/classify/data.ts';
import { loadPatterns, matchPatterns } from '../src/analyse/classify/patterns.ts';

const tax = loadTaxonomy();
const patterns = loadPatterns(undefined, new Set(tax.byId.keys()));
const texts = [...loadClaudette(tax), ...loadTosdr(tax)];
const list = process.argv.includes('--list');
let fired = 0;
const perType = new Map<string, number>();
for (const e of texts) {
  const ai = matchPatterns(patterns, e.text).filter((id) => id.startsWith('ai-'));
  if (!ai.length) continue;
  fired++;
  for (const id of ai) perType.set(id, (perType.get(id) ?? 0) + 1);
  if (list) console.log(`${ai.join(',')}\t${e.text.slice(0, 300).replace(/\s+/g, ' ')}`);
}
console.log(`AI patterns fire on ${fired} of ${texts.length} texts`, Object.fromEntries([...perType].sort()));
