// Classifier speed: provisions per second on one core, and the time to classify every provision of a
// 10,000-word policy built by concatenating CLAUDETTE sentences (targets: >= 2,000/s, < 100 ms).
// Run: node --import tsx bench/analyse/classify.bench.ts [--json]
import { loadTaxonomy } from '../../src/analyse/taxonomy.ts';
import { loadClaudette } from '../../src/analyse/classify/data.ts';
import { classify, loadClassifier } from '../../src/analyse/classify/index.ts';

const tax = loadTaxonomy();
const t0 = performance.now();
const c = loadClassifier();
const loadMs = performance.now() - t0;
const sentences = loadClaudette(tax).map((e) => e.text).filter((t) => t.trim());

// A 10,000-word policy: consecutive CLAUDETTE sentences (documents in key order) until 10,000 words.
const policy: string[] = [];
let words = 0;
for (const s of sentences) {
  if (words >= 10_000) break;
  policy.push(s);
  words += s.split(/\s+/).filter(Boolean).length;
}

classify(sentences.slice(0, 500), c); // warm-up (JIT)

const runs = 5;
const policyTimes: number[] = [];
for (let r = 0; r < runs; r++) {
  const a = performance.now();
  classify(policy, c);
  policyTimes.push(performance.now() - a);
}
policyTimes.sort((a, b) => a - b);

const a = performance.now();
classify(sentences, c);
const allMs = performance.now() - a;
const perSecond = sentences.length / (allMs / 1000);

const result = {
  modelLoadMs: Math.round(loadMs),
  provisionsPerSecond: Math.round(perSecond),
  provisions: sentences.length,
  policy: { words, provisions: policy.length, medianMs: Math.round(policyTimes[Math.floor(runs / 2)]! * 10) / 10, minMs: Math.round(policyTimes[0]! * 10) / 10 },
  targets: { provisionsPerSecond: 2000, policyMs: 100 },
};
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log(`model load: ${result.modelLoadMs} ms`);
  console.log(`throughput: ${result.provisionsPerSecond} provisions/s over ${sentences.length} CLAUDETTE sentences (target >= 2000)`);
  console.log(`10,000-word policy (${policy.length} provisions, ${words} words): median ${result.policy.medianMs} ms, min ${result.policy.minMs} ms (target < 100 ms)`);
}
