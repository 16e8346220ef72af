// npm run train: trains the clause classifier from shared/data and writes models/clause-classifier.json.gz.
// Reproducible: the same data and code give a byte-identical file (sorted inputs, fixed seeds, rounding,
// gzip without timestamps).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadTaxonomy } from '../src/analyse/taxonomy.ts';
import { DATA_DIR, loadAll } from '../src/analyse/classify/data.ts';
import { loadPatterns } from '../src/analyse/classify/patterns.ts';
import { serialiseModel, trainClassifier } from '../src/analyse/classify/train.ts';
import { DEFAULT_MODEL_PATH } from '../src/analyse/classify/index.ts';

const out = process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_MODEL_PATH;
const t0 = Date.now();
const tax = loadTaxonomy();
const patterns = loadPatterns(undefined, new Set(tax.byId.keys()));
const examples = loadAll(tax);
const files = ['claudette_en_dev.jsonl', 'tosdr_points_2021_dev.jsonl', 'privacyspy_citations.jsonl'];
const trainedOn = files.map((f) => ({
  file: `shared/data/dev/${f}`,
  sha256: createHash('sha256').update(readFileSync(path.join(DATA_DIR, f))).digest('hex'),
  examples: examples.filter((e) => f.startsWith(e.source)).length,
}));
const model = trainClassifier(examples, tax, patterns, { log: (m) => console.log(m) }, trainedOn);
const json = serialiseModel(model);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, out.endsWith('.gz') ? gzipSync(json, { level: 9 }) : json);
console.log(`wrote ${out}: ${model.types.length} model types, ${(json.length / 1e6).toFixed(1)} MB JSON, in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
