import path from 'node:path';
import type { Command } from 'commander';
import { Cron } from 'croner';
import { catalog, withDb, REPO_ROOT } from '../context.ts';
import { hasAnyVersion, loadSample } from '../../jobs/sample.ts';
import { runTrackOnce } from './track.ts';

export const DEFAULT_SCHEDULE = '0 */6 * * *';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('the main job: load the bundled sample into an empty database, track the catalogue, then keep tracking on schedule')
    .option('--once', 'track once and exit instead of staying on the schedule')
    .option('--schedule <cron>', 'cron schedule', process.env.CLAUSEWATCH_SCHEDULE ?? DEFAULT_SCHEDULE)
    .action(async (opts: { once?: boolean; schedule: string }) => {
      const decls = catalog();
      await withDb(async (db) => {
        if (!(await hasAnyVersion(db))) {
          process.stderr.write('empty database: loading the bundled sample of real document histories…\n');
          const s = await loadSample(db, decls, path.join(REPO_ROOT, 'sample'), (l) => process.stderr.write(l + '\n'));
          process.stderr.write(`sample loaded: ${s.captures} snapshots, ${s.versions} versions\n`);
        }
      });
      process.stderr.write(`tracking ${decls.length} platforms (fetch problems are reported, not fatal)…\n`);
      const events = await runTrackOnce([], { quiet: false });
      const problems = events.filter((e) => e.result.outcome === 'failed').length;
      process.stderr.write(`${events.length} documents tracked, ${problems} fetch problems (see \`clausewatch status\`)\n`);
      if (opts.once) return;
      const job = new Cron(opts.schedule, { protect: true }, async () => {
        await runTrackOnce([], { quiet: false }).catch((err) => process.stderr.write(`track failed: ${(err as Error).message}\n`));
      });
      process.stderr.write(`staying up: next tracking run ${job.nextRun()?.toISOString()} (schedule "${opts.schedule}"); Ctrl-C to stop\n`);
      await new Promise(() => {});
    });
}
