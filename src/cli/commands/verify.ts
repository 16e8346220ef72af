import type { Command } from 'commander';
import { withDb, FailuresFound } from '../context.ts';
import { verifyStore } from '../../record/verify.ts';
import { printJson } from '../format.ts';
import { progress } from '../progress.ts';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('re-hash every stored snapshot and version text and report any mismatch by record id')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }) => {
      const bar = progress('verifying', opts.json);
      const report = await withDb((db) => verifyStore(db, (d, t) => bar.update(d, t)));
      bar.stop();
      if (opts.json) printJson({ ok: report.mismatches.length === 0, ...report });
      else {
        process.stdout.write(`checked ${report.blobs} stored snapshot bodies (${report.snapshots} snapshots) and ${report.texts} texts (${report.versions} versions)\n`);
        for (const m of report.mismatches) process.stdout.write(`MISMATCH ${m.record}: ${m.what}: expected ${m.expected}, found ${m.actual}\n`);
        process.stdout.write(report.mismatches.length ? `${report.mismatches.length} mismatches\n` : 'all hashes match\n');
      }
      if (report.mismatches.length) throw new FailuresFound('');
    });
}
