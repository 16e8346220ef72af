import path from 'node:path';
import type { Command } from 'commander';
import { Cron } from 'croner';
import { catalog, withDb, fetcherFromEnv, REPO_ROOT, UsageError } from '../context.ts';
import { hasAnyVersion, loadSample } from '../../jobs/sample.ts';
import { trackCatalog, type TrackEvent } from '../../jobs/track.ts';
import type { Db } from '../../store/db.ts';
import { describeEvent } from './track.ts';
import { analyseBatch } from '../../analyse/store/hooks.ts';
import { afterTracking, startMonitorSchedules } from '../../monitor/after-run.ts';
import { parsePort, serveOn, serveOptions, untilStopped, type ServeOptions } from './serve.ts';

export const DEFAULT_SCHEDULE = '0 */6 * * *';

// The server holds the database open, and an embedded database allows one opener per process: every
// tracking run therefore goes through this same connection rather than opening its own.
async function trackAll(db: Db): Promise<TrackEvent[]> {
  const fetcher = fetcherFromEnv();
  try {
    return await trackCatalog(db, fetcher, catalog(), { onEvent: (e) => process.stderr.write(describeEvent(e) + '\n') });
  } finally {
    await fetcher.close();
    // Same-day alerts: the run's material changes are matched against the watchlists and sent now.
    await afterTracking(db);
  }
}

export function registerRun(program: Command): void {
  serveOptions(
    program
      .command('run')
      .description('the main job: serve the web app, load the bundled sample into an empty database, track the catalogue, then keep tracking on schedule')
      .option('--once', 'track once and exit instead of staying on the schedule')
      .option('--schedule <cron>', 'cron schedule', process.env.CLAUSEWATCH_SCHEDULE ?? DEFAULT_SCHEDULE)
      .option('--no-serve', 'do not start the web app'),
  ).action(async (opts: { once?: boolean; schedule: string; serve: boolean } & ServeOptions) => {
    if (opts.serve) parsePort(opts.port); // a usage error before anything starts
    const decls = catalog();
    await withDb(async (db) => {
      // The server starts first, so the pages are reachable while the sample loads and tracking runs.
      // Tracking is the job's purpose: a server that cannot start (port taken) is reported, not fatal.
      let server: Awaited<ReturnType<typeof serveOn>> | undefined;
      if (opts.serve) {
        try {
          server = await serveOn(db, opts);
        } catch (err) {
          if (!(err instanceof UsageError)) throw err;
          process.stderr.write(`web app not started: ${err.message}\n`);
        }
      }
      try {
        if (!(await hasAnyVersion(db))) {
          process.stderr.write('empty database: loading the bundled sample of real document histories…\n');
          const s = await loadSample(db, decls, path.join(REPO_ROOT, 'sample'), (l) => process.stderr.write(l + '\n'));
          process.stderr.write(`sample loaded: ${s.captures} snapshots, ${s.versions} versions\n`);
          if (s.analysis) process.stderr.write(`sample analysed: ${s.analysis.analysed} versions, ${s.analysis.platforms} platforms (${s.analysis.seconds.toFixed(1)} s)\n`);
        }
        // Clause analysis of versions left pending (an interrupted run, CLAUSEWATCH_ANALYSE=0 earlier).
        const leftover = await analyseBatch(db);
        if (leftover?.versions) process.stderr.write(`analysed ${leftover.versions} pending versions\n`);
        process.stderr.write(`tracking ${decls.length} platforms (fetch problems are reported, not fatal)…\n`);
        const events = await trackAll(db);
        const problems = events.filter((e) => e.result.outcome === 'failed').length;
        process.stderr.write(`${events.length} documents tracked, ${problems} fetch problems (see \`clausewatch status\`)\n`);
        if (opts.once) return;
        const job = new Cron(opts.schedule, { protect: true }, async () => {
          await trackAll(db).catch((err) => process.stderr.write(`track failed: ${(err as Error).message}\n`));
        });
        const stopMonitor = startMonitorSchedules(db);
        process.stderr.write(`staying up: next tracking run ${job.nextRun()?.toISOString()} (schedule "${opts.schedule}"); Ctrl-C to stop\n`);
        const sig = await untilStopped();
        process.stderr.write(`${sig}: stopping\n`);
        job.stop();
        stopMonitor();
      } finally {
        await server?.close();
      }
    });
  });
}
