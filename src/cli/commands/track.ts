import type { Command } from 'commander';
import { Cron } from 'croner';
import { withDb, catalog, selectPlatforms, fetcherFromEnv, FailuresFound, UsageError } from '../context.ts';
import { trackCatalog, type TrackEvent } from '../../jobs/track.ts';
import { printJson } from '../format.ts';
import { afterTracking } from '../../monitor/after-run.ts';

export function describeEvent(e: TrackEvent): string {
  const r = e.result;
  const what =
    r.outcome === 'failed' ? `FAILED ${r.problem?.kind}: ${r.problem?.detail}`
    : r.outcome === 'suspect' ? `SUSPECT ${r.suspect?.kind}: ${r.suspect?.detail}`
    : r.outcome === 'unchanged' ? `unchanged${r.fastPath ? ' (same bytes)' : ''}`
    : `${r.outcome} (+${r.linesAdded} -${r.linesRemoved} lines)`;
  return `${e.platform} / ${e.document}: ${what}`;
}

export async function runTrackOnce(platforms: string[], opts: { json?: boolean; quiet?: boolean }): Promise<TrackEvent[]> {
  const selected = selectPlatforms(catalog(), platforms);
  const fetcher = fetcherFromEnv();
  try {
    return await withDb(async (db) => {
      const events = await trackCatalog(db, fetcher, selected, { onEvent: (e) => !opts.json && !opts.quiet && process.stderr.write(describeEvent(e) + '\n') });
      // Any tracker queues and sends the alerts of what it recorded; the outbox makes concurrent trackers safe.
      await afterTracking(db);
      return events;
    });
  } finally {
    await fetcher.close();
  }
}

export function registerTrack(program: Command): void {
  program
    .command('track')
    .description('fetch the declared documents now (all platforms, or those named) and record what changed')
    .argument('[platform...]', 'platform slugs or names')
    .option('--schedule <cron>', 'keep running, tracking on this cron schedule (e.g. "0 */6 * * *")')
    .option('--json', 'print one JSON object')
    .action(async (platforms: string[], opts: { schedule?: string; json?: boolean }) => {
      if (opts.schedule) {
        let job: Cron;
        try {
          job = new Cron(opts.schedule, { protect: true }, async () => {
            await runTrackOnce(platforms, opts).catch((err) => process.stderr.write(`track failed: ${(err as Error).message}\n`));
          });
        } catch (err) {
          throw new UsageError(`--schedule "${opts.schedule}" is not a valid cron expression: ${(err as Error).message}`);
        }
        process.stderr.write(`tracking on schedule "${opts.schedule}"; next run ${job.nextRun()?.toISOString()}\n`);
        await runTrackOnce(platforms, opts);
        await new Promise(() => {}); // keep running until killed
      }
      const events = await runTrackOnce(platforms, opts);
      const failed = events.filter((e) => e.result.outcome === 'failed' || e.result.outcome === 'suspect');
      if (opts.json) printJson({ events: events.map((e) => ({ platform: e.platform, document: e.document, ...e.result })) });
      else process.stderr.write(`${events.length} documents tracked, ${failed.length} with problems\n`);
      if (failed.length) throw new FailuresFound('');
    });
}
