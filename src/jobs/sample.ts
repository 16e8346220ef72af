// Loads the bundled sample (real snapshot series) into an empty database through the tracking pipeline.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/db.ts';
import type { PlatformDeclaration } from '../domain/types.ts';
import { rulesAt } from '../catalog/index.ts';
import { listSnapshotFiles, replaySnapshots } from './replay.ts';
import { syncCatalog } from './track.ts';
import { afterJob } from '../evidence/after-run.ts';
import { analyseBatch } from '../analyse/store/hooks.ts';
import type { AnalyseRunSummary } from '../analyse/store/pending.ts';

export interface SampleSeries {
  platform: string;
  documentType: string;
  folder: string;
  url: string;
}

export async function hasAnyVersion(db: Db): Promise<boolean> {
  return (await db.query('SELECT 1 FROM versions LIMIT 1')).length > 0;
}

export async function loadSample(
  db: Db,
  catalog: PlatformDeclaration[],
  sampleDir: string,
  log: (line: string) => void = () => {},
): Promise<{ series: number; captures: number; versions: number; analysis?: AnalyseRunSummary }> {
  const manifest = JSON.parse(readFileSync(path.join(sampleDir, 'manifest.json'), 'utf8')) as { series: SampleSeries[] };
  const ids = await syncCatalog(db, catalog);
  let captures = 0;
  let versions = 0;
  for (const s of manifest.series) {
    const platform = catalog.find((p) => p.slug === s.platform);
    const doc = platform?.documents.find((d) => d.type === s.documentType);
    if (!platform || !doc) {
      log(`sample: ${s.folder} skipped: the catalogue has no ${s.platform} ${s.documentType} declaration`);
      continue;
    }
    const { files } = listSnapshotFiles(path.join(sampleDir, s.folder));
    const events = await replaySnapshots(db, { documentId: ids.get(doc)!, files, url: s.url, rulesAt: (d) => rulesAt(doc, d), origin: 'sample', analyse: false });
    captures += events.length;
    const v = events.filter((e) => ['first', 'changed', 'returned'].includes(e.result.outcome)).length;
    versions += v;
    log(`sample: ${platform.name} / ${s.documentType}: ${events.length} snapshots → ${v} versions`);
  }
  // Clause analysis of the whole sample in one drain, so each platform's facts are computed once.
  const analysis = await analyseBatch(db);
  // Evidence: one checkpoint over the whole sample.
  await afterJob(db, { warn: log });
  return { series: manifest.series.length, captures, versions, analysis };
}
