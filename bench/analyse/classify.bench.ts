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

// CPU time of this process as well as wall time: on a machine shared with other workers, wall time
// measures the neighbours too; CPU time is the per-core cost of the work itself.
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const runs = 7;
const policyTimes: number[] = [];
const policyCpu: number[] = [];
for (let r = 0; r < runs; r++) {
  const a = performance.now();
  const u = process.cpuUsage();
  classify(policy, c);
  policyCpu.push(cpuMs(process.cpuUsage(u)));
  policyTimes.push(performance.now() - a);
}
policyTimes.sort((a, b) => a - b);
policyCpu.sort((a, b) => a - b);

const a = performance.now();
const u0 = process.cpuUsage();
classify(sentences, c);
const allCpuMs = cpuMs(process.cpuUsage(u0));
const allMs = performance.now() - a;
const perSecond = sentences.length / (allMs / 1000);
const perCpuSecond = sentences.length / (allCpuMs / 1000);

const result = {
  modelLoadMs: Math.round(loadMs),
  provisionsPerSecond: Math.round(perSecond),
  provisionsPerCpuSecond: Math.round(perCpuSecond),
  provisions: sentences.length,
  loadAverage: (await import('node:os')).loadavg()[0] ?? 0,
  policy: {
    words,
    provisions: policy.length,
    medianMs: Math.round(policyTimes[Math.floor(runs / 2)]! * 10) / 10,
    minMs: Math.round(policyTimes[0]! * 10) / 10,
    medianCpuMs: Math.round(policyCpu[Math.floor(runs / 2)]! * 10) / 10,
  },
  targets: { provisionsPerSecond: 2000, policyMs: 100 },
};
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log(`model load: ${result.modelLoadMs} ms (1-minute load average ${result.loadAverage.toFixed(1)} on this machine)`);
  console.log(`throughput: ${result.provisionsPerSecond} provisions/s wall, ${result.provisionsPerCpuSecond} per CPU-second, over ${sentences.length} CLAUDETTE sentences (target >= 2000 per core)`);
  console.log(`10,000-word policy (${policy.length} provisions, ${words} words): wall median ${result.policy.medianMs} ms, min ${result.policy.minMs} ms; CPU median ${result.policy.medianCpuMs} ms (target < 100 ms)`);
}
