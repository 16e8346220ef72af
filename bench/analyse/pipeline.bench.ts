// Clause analysis end to end: (1) one version of a 10,000-word policy, analysis alone (split, language,
// classification, severity, change analysis, AI-training facts) and then through the database (the same
// plus storage, in one transaction); first version (every provision classified) and a new version with 10 %
// of its paragraphs edited (only those classified); (2) the demo-versions import, analysed after it.
// Run: node --import tsx bench/analyse/pipeline.bench.ts [--json]   (DATABASE_URL=postgres://… for PostgreSQL)
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { recordText } from '../../src/record/capture.ts';
import { upsertDocument, upsertPlatform } from '../../src/record/registry.ts';
import { importOta } from '../../src/importer/ota.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { loadTaxonomy } from '../../src/analyse/taxonomy.ts';
import { loadClaudette } from '../../src/analyse/classify/data.ts';
import { splitProvisions } from '../../src/analyse/provisions/index.ts';
import { analyseChange } from '../../src/analyse/changes/index.ts';
import { extractAiTrainingFacts } from '../../src/analyse/facts/index.ts';
import { analysePending, clauseAnalyser, documentLanguage, type ClauseResult } from '../../src/analyse/store/index.ts';
import { machine } from '../machine.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const json = process.argv.includes('--json');
const log = (s: string) => !json && console.log(s);

// A 10,000-word policy in Markdown: CLAUDETTE sentences, three to a paragraph, a heading every eight paragraphs.
const sentences = loadClaudette(loadTaxonomy()).map((e) => e.text.replace(/\s+/g, ' ').trim()).filter((t) => t.split(' ').length >= 6);
function policy(offset: number, editEvery = 0): { text: string; words: number } {
  const out: string[] = ['# Terms of Service', ''];
  let words = 0;
  let para = 0;
  for (let i = offset; words < 10_000; i += 3, para++) {
    if (para % 8 === 0) out.push(`## Section ${para / 8 + 1}`, '');
    let p = sentences.slice(i, i + 3).join(' ');
    if (editEvery && para % editEvery === 3) p = p.replace(/\b(may|will|shall)\b/, 'can at any time');
    out.push(p, '');
    words += p.split(/\s+/).length;
  }
  return { text: out.join('\n'), words };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r1 = (x: number) => Math.round(x * 10) / 10;
const medianSteps = (xs: Record<string, number>[]) => Object.fromEntries(Object.keys(xs[0] ?? {}).map((k) => [k, r1(median(xs.map((x) => x[k]!)))]));
const cpu = () => process.cpuUsage();
const cpuMs = (s: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(s);
  return (d.user + d.system) / 1000;
};

const loadStart = performance.now();
const analyser = clauseAnalyser();
analyser.classify(['warm-up: the model loads here.']);
const modelLoadMs = performance.now() - loadStart;

/** CPU milliseconds per step of the last call of analyseAlone. */
const steps = { split: 0, classify: 0, change: 0, facts: 0 };

/** The pure work analyseOne does for one version (no database). */
function analyseAlone(prevText: string | null, text: string, known: Map<string, ClauseResult>): { provisions: number; classified: number } {
  let c = cpu();
  const next = splitProvisions(text);
  documentLanguage(text);
  steps.split = cpuMs(c);
  c = cpu();
  const todo = [...new Set(next.map((p) => p.text).filter((t) => !known.has(t)))];
  analyser.classify(todo).forEach((r, i) => known.set(todo[i]!, r));
  steps.classify = cpuMs(c);
  c = cpu();
  if (prevText !== null) analyseChange(splitProvisions(prevText), next, (ts) => ts.map((t) => known.get(t) ?? { types: [] }), { minScore: 0, typeTitle: analyser.typeTitle });
  steps.change = cpuMs(c);
  c = cpu();
  extractAiTrainingFacts(next.map((p) => ({ id: p.key, text: p.text, section: p.section, kind: p.kind })));
  steps.facts = cpuMs(c);
  return { provisions: next.length, classified: todo.length };
}

const runs = 5;
const alone = { first: [] as number[], firstCpu: [] as number[], change: [] as number[], changeCpu: [] as number[], provisions: 0, words: 0, classifiedOnChange: 0 };
const stepRuns: { first: (typeof steps)[]; change: (typeof steps)[] } = { first: [], change: [] };
for (let r = 0; r < runs; r++) {
  const a = policy(r * 1500);
  const b = policy(r * 1500, 10);
  const known = new Map<string, ClauseResult>();
  let c = cpu();
  let t = performance.now();
  const first = analyseAlone(null, a.text, known);
  alone.first.push(performance.now() - t);
  alone.firstCpu.push(cpuMs(c));
  stepRuns.first.push({ ...steps });
  c = cpu();
  t = performance.now();
  const second = analyseAlone(a.text, b.text, known);
  alone.change.push(performance.now() - t);
  alone.changeCpu.push(cpuMs(c));
  stepRuns.change.push({ ...steps });
  alone.provisions = first.provisions;
  alone.words = a.words;
  alone.classifiedOnChange = second.classified;
}

async function endToEnd(db: Db): Promise<{ first: number; change: number; firstCpu: number; changeCpu: number }> {
  const out = { first: [] as number[], change: [] as number[], firstCpu: [] as number[], changeCpu: [] as number[] };
  const pl = await upsertPlatform(db, { slug: 'bench', name: 'Bench' });
  for (let r = 0; r < runs; r++) {
    const doc = (await upsertDocument(db, pl.id, 'terms-of-service', `Terms ${r}`)).id;
    const a = policy(600 + r * 1500);
    const b = policy(600 + r * 1500, 10);
    for (const [i, text] of [a.text, b.text].entries()) {
      await recordText(db, { documentId: doc, capturedAt: new Date(Date.UTC(2025, 0, 1 + i)), origin: 'replay', originRef: `bench-${r}-${i}` }, text);
      const c = cpu();
      const t = performance.now();
      await analysePending(db, { documentIds: [doc], analyser });
      (i === 0 ? out.first : out.change).push(performance.now() - t);
      (i === 0 ? out.firstCpu : out.changeCpu).push(cpuMs(c));
    }
  }
  return { first: median(out.first), change: median(out.change), firstCpu: median(out.firstCpu), changeCpu: median(out.changeCpu) };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-bench-analyse-'));
const url = process.env.DATABASE_URL || undefined;
try {
  const db = await openDb({ url, dataDir: path.join(dir, 'e2e') });
  await migrate(db);
  const e2e = await endToEnd(db);
  const kind = db.kind;
  await db.close();

  // The demo-versions import: recorded first (analysis deferred), then analysed in one drain.
  const idb = await openDb({ url, dataDir: path.join(dir, 'import') });
  await migrate(idb);
  process.env.CLAUSEWATCH_ANALYSE = '0';
  const imp = await importOta(idb, { source: path.resolve(root, '../shared/corpus/ota/demo-versions.bundle'), cacheDir: dir, catalog: loadCatalog(path.join(root, 'declarations')) });
  delete process.env.CLAUSEWATCH_ANALYSE;
  const c = cpu();
  const drain = await analysePending(idb, { analyser });
  const drainCpu = cpuMs(c);
  await idb.close();

  const result = {
    machine: machine(),
    loadAverage: os.loadavg()[0],
    driver: kind,
    modelLoadMs: Math.round(modelLoadMs),
    policy: {
      words: alone.words,
      provisions: alone.provisions,
      analysisAlone: {
        firstVersionMs: r1(median(alone.first)),
        firstVersionCpuMs: r1(median(alone.firstCpu)),
        changedVersionMs: r1(median(alone.change)),
        changedVersionCpuMs: r1(median(alone.changeCpu)),
        classifiedOnChange: alone.classifiedOnChange,
        firstVersionStepsCpuMs: medianSteps(stepRuns.first),
        changedVersionStepsCpuMs: medianSteps(stepRuns.change),
      },
      endToEnd: { firstVersionMs: r1(e2e.first), firstVersionCpuMs: r1(e2e.firstCpu), changedVersionMs: r1(e2e.change), changedVersionCpuMs: r1(e2e.changeCpu) },
      targetMs: 100,
    },
    demoImport: {
      importSeconds: imp.seconds,
      versions: drain.versions,
      analysisSeconds: r1(drain.seconds),
      analysisCpuSeconds: r1(drainCpu / 1000),
      msPerVersion: drain.msPerVersion,
      classified: drain.classified,
      platforms: drain.platforms,
    },
  };
  if (json) console.log(JSON.stringify(result));
  else {
    log(`# clause analysis pipeline (${kind})`);
    log(`machine: ${result.machine}; 1-minute load average ${result.loadAverage?.toFixed(1)}`);
    log(`model load: ${result.modelLoadMs} ms (once per process)`);
    const p = result.policy;
    log(`10,000-word policy (${p.words} words, ${p.provisions} provisions), median of ${runs}:`);
    log(`  analysis alone, first version (all classified):    ${p.analysisAlone.firstVersionMs} ms wall, ${p.analysisAlone.firstVersionCpuMs} ms CPU (target < 100 ms)`);
    log(`  analysis alone, new version (10 % paragraphs edited, ${p.analysisAlone.classifiedOnChange} classified): ${p.analysisAlone.changedVersionMs} ms wall, ${p.analysisAlone.changedVersionCpuMs} ms CPU`);
    const st = (x: Record<string, number>) => Object.entries(x).map(([k, v]) => `${k} ${v}`).join(', ');
    log(`    CPU ms by step, first version: ${st(p.analysisAlone.firstVersionStepsCpuMs)}; new version: ${st(p.analysisAlone.changedVersionStepsCpuMs)}`);
    log(`  end to end with storage, first version:            ${p.endToEnd.firstVersionMs} ms wall, ${p.endToEnd.firstVersionCpuMs} ms CPU`);
    log(`  end to end with storage, new version:              ${p.endToEnd.changedVersionMs} ms wall, ${p.endToEnd.changedVersionCpuMs} ms CPU`);
    const d = result.demoImport;
    log(`demo-versions import: import ${d.importSeconds.toFixed(1)} s, then ${d.versions} versions analysed in ${d.analysisSeconds} s (${d.analysisCpuSeconds} s CPU, ${d.msPerVersion} ms per version), ${d.classified} provision texts classified, ${d.platforms} platforms`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
