import type { Command } from 'commander';
import { withDb, catalog, selectPlatforms, FailuresFound } from '../context.ts';
import { syncCatalog, documentName } from '../../jobs/track.ts';
import { reextractDocument } from '../../jobs/reextract.ts';
import { printJson } from '../format.ts';
import { describeEvent } from './track.ts';

export function registerReextract(program: Command): void {
  program
    .command('reextract')
    .description("apply the current declarations to each document's latest stored snapshot, without fetching")
    .argument('[platform...]', 'platform slugs or names')
    .option('--json', 'print one JSON object')
    .action(async (platforms: string[], opts: { json?: boolean }) => {
      const selected = selectPlatforms(catalog(), platforms);
      const events = await withDb(async (db) => {
        const ids = await syncCatalog(db, selected);
        const out = [];
        for (const p of selected) {
          for (const d of p.documents) {
            const result = await reextractDocument(db, ids.get(d)!, d);
            if (!result) continue;
            const e = { platform: p.slug, document: documentName(d), result };
            if (!opts.json) process.stderr.write(describeEvent(e) + '\n');
            out.push(e);
          }
        }
        return out;
      });
      if (opts.json) printJson({ events: events.map((e) => ({ platform: e.platform, document: e.document, ...e.result })) });
      if (events.some((e) => e.result.outcome === 'failed' || e.result.outcome === 'suspect')) throw new FailuresFound('');
    });
}
