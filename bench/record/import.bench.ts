// Imports ../shared/corpus/ota/pga-versions.bundle end to end into a fresh embedded database and reports
// versions/s and memory as the history grows (it must stay flat: the import streams).
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { importOta } from '../../src/importer/ota.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { machine, rssMB } from '../machine.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bundle = process.argv[2] ?? path.resolve(root, '../shared/corpus/ota/pga-versions.bundle');
const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-bench-import-'));
const db = await openDb({ url: process.env.DATABASE_URL || undefined, dataDir: dir });
await migrate(db);
const samples: { done: number; rss: number }[] = [];
let nextMark = 0;
const summary = await importOta(db, {
  source: bundle,
  cacheDir: dir,
  catalog: loadCatalog(path.join(root, 'declarations')),
  onProgress(done, total) {
    if (done >= nextMark) {
      samples.push({ done, rss: rssMB() });
      nextMark += Math.ceil(total / 10);
    }
  },
});
samples.push({ done: summary.commits, rss: rssMB() });
await db.close();
rmSync(dir, { recursive: true, force: true });

const o = summary.outcomes;
const versions = o.first + o.changed + o.returned + o.reextraction;
console.log(`# import-ota ${path.basename(bundle)} (${db.kind})`);
console.log(`machine: ${machine()}`);
console.log(`commits ${summary.commits}, captures ${summary.captures}, documents ${summary.documents}`);
console.log(`versions recorded ${versions} (first ${o.first}, changed ${o.changed}, returns ${o.returned}, re-extractions ${o.reextraction}); suspect ${o.suspect}; unchanged ${o.unchanged}`);
console.log(`time ${summary.seconds.toFixed(1)} s → ${(versions / summary.seconds).toFixed(0)} versions/s, ${(summary.captures / summary.seconds).toFixed(0)} captures/s`);
console.log(`peak RSS ${summary.peakRssMB} MB; RSS as the history grows (commits → MB): ${samples.map((s) => `${s.done}→${s.rss}`).join(', ')}`);
