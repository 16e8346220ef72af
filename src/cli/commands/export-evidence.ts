import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { withDb, UsageError } from '../context.ts';
import { evidenceConfig, loadSigner } from '../../evidence/config.ts';
import { exportEvidence, ExportError } from '../../evidence/export.ts';
import { timestampOptions } from '../../evidence/checkpoint-store.ts';

export function registerExportEvidence(program: Command): void {
  program
    .command('export-evidence')
    .description('write a self-contained evidence bundle for a snapshot, version or provision, checkable offline with verify-evidence')
    .argument('<record-id>', 'CW-S-…, CW-V-… or CW-P-…')
    .requiredOption('--out <file>', 'where to write the bundle ("-" for stdout)')
    .option('--version <CW-V-…>', 'for a provision: the text it had in this version (default: its current text)')
    .action(async (id: string, opts: { out: string; version?: string }) => {
      const config = evidenceConfig();
      await withDb(async (db) => {
        let result;
        try {
          result = await exportEvidence(db, id, loadSigner(config), { ...timestampOptions(config), version: opts.version });
        } catch (err) {
          if (err instanceof ExportError && /not a record id|no record|are made for|is not part of|applies to provisions|has no recorded text/.test(err.message)) throw new UsageError(err.message);
          throw err;
        }
        const text = `${JSON.stringify(result.bundle, null, 2)}\n`;
        if (opts.out === '-') process.stdout.write(text);
        else writeFileSync(opts.out, text);
        const r = result.bundle.record;
        const from = (result.bundle.sources ?? []).map((s) => `${s.record.id} (${s.record.kind}, leaf ${s.leafIndex})`);
        process.stderr.write(
          `${opts.out === '-' ? 'bundle' : `wrote ${opts.out}`}: ${r.id} (${r.kind}, SHA-256 ${r.sha256}) is leaf ${result.leafIndex} of checkpoint #${result.checkpoint.id} (${result.checkpoint.size} leaves${result.signedNow ? ', signed now' : ''})${from.length ? `, from ${from.join(' from ')}` : ''}; check it with \`clausewatch verify-evidence ${opts.out === '-' ? 'FILE' : opts.out}\`\n`,
        );
      });
    });
}
