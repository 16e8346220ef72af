import type { Command } from 'commander';
import { withDb, UsageError, FailuresFound } from '../context.ts';
import { printJson } from '../format.ts';
import { progress } from '../progress.ts';
import { findPlatform } from '../../record/registry.ts';
import { recordId } from '../../domain/record-id.ts';
import { analysePending } from '../../analyse/store/index.ts';
import { afterJob } from '../../evidence/after-run.ts';

export function registerAnalyse(program: Command): void {
  program
    .command('analyse')
    .description('analyse the versions not analysed yet (of the platforms named, or all); --all analyses every version again (after a model update)')
    .argument('[platform...]', 'platform slugs or names (default: all)')
    .option('--all', 'discard stored analyses and analyse every version again (provision ids are kept)')
    .option('--json', 'print one JSON object')
    .action(async (platforms: string[], opts: { all?: boolean; json?: boolean }) => {
      await withDb(async (db) => {
        const ids: number[] = [];
        for (const name of platforms) {
          const p = await findPlatform(db, name);
          if (!p) throw new UsageError(`no platform "${name}" in the database (see \`clausewatch status\`)`);
          ids.push(p.id);
        }
        const bar = progress('analysing', opts.json);
        const s = await analysePending(db, {
          ...(ids.length ? { platformIds: ids } : {}),
          redo: opts.all,
          retryFailed: true,
          onVersion: (_o, done, total) => bar.update(done, total),
        });
        bar.stop();
        // The provisions just logged are covered by a signed checkpoint at once, as after a tracking run.
        if (s.analysed > 0) await afterJob(db);
        if (opts.json) printJson(s);
        else {
          const parts = [`${s.analysed} analysed`];
          if (s.notAnalysed) parts.push(`${s.notAnalysed} not analysed (not English)`);
          if (s.empty) parts.push(`${s.empty} empty`);
          if (s.failed) parts.push(`${s.failed} failed`);
          process.stdout.write(
            `${s.versions} versions: ${parts.join(', ')}; ${s.classified} provision texts classified; ${s.platforms} platforms recomputed; ` +
              `${s.seconds.toFixed(1)} s${s.msPerVersion ? ` (${s.msPerVersion} ms per version)` : ''}\n`,
          );
          for (const f of s.failures) process.stdout.write(`failed: ${recordId('version', f.version)}: ${f.error}\n`);
        }
        if (s.failed) throw new FailuresFound('');
      });
    });
}
