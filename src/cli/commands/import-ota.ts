import path from 'node:path';
import type { Command } from 'commander';
import { withDb, catalog, cacheDir, UsageError } from '../context.ts';
import { importOta } from '../../importer/ota.ts';
import { printJson } from '../format.ts';
import { progress } from '../progress.ts';

export function registerImportOta(program: Command): void {
  program
    .command('import-ota')
    .description('import an Open Terms Archive versions or snapshots repository (git folder or bundle); resumable and idempotent')
    .argument('<source>', 'git repository folder or .bundle file')
    .option('--ref <ref>', 'branch or commit to read (default: main)')
    .option('--declarations <dir>', 'declarations used to re-extract snapshots (default: the built-in catalogue)')
    .option('--limit <n>', 'stop after this many commits (run again to continue)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--limit must be a positive whole number, not "${v}"`);
      return n;
    })
    .option('--json', 'print one JSON object')
    .action(async (source: string, opts: { ref?: string; declarations?: string; limit?: number; json?: boolean }) => {
      const decls = catalog(opts.declarations ? path.resolve(opts.declarations) : undefined);
      const bar = progress('importing', opts.json);
      const summary = await withDb((db) =>
        importOta(db, { source, ref: opts.ref, cacheDir: cacheDir(), catalog: decls, limit: opts.limit, onProgress: (d, t, n) => bar.update(d, t, n) }),
      );
      bar.stop();
      if (opts.json) return printJson(summary);
      const o = summary.outcomes;
      process.stdout.write(
        [
          `imported ${summary.kind} from ${source}: ${summary.commits} commits${summary.resumedAt ? ` (resumed after ${summary.resumedAt})` : ''}, ${summary.documents} documents`,
          `versions: ${o.first} first, ${o.changed} changed, ${o.returned} returns to an earlier version, ${o.reextraction} re-extractions`,
          `held back: ${o.suspect} suspect, ${o.failed} failed; ${o.unchanged} unchanged, ${o.duplicate} already imported`,
          `${summary.seconds.toFixed(1)} s, ${summary.versionsPerSecond.toFixed(0)} versions/s, peak RSS ${summary.peakRssMB} MB`,
          ...summary.warnings.map((w) => `warning: ${w}`),
        ].join('\n') + '\n',
      );
    });
}
