import type { Command } from 'commander';
import { withDb, UsageError } from '../context.ts';
import { parseRecordId, recordId } from '../../domain/record-id.ts';
import { getVersion } from '../../record/queries.ts';
import { getText } from '../../record/texts.ts';
import { blockDiff, wordDiff, diffStats, type DiffPart } from '../../record/diff.ts';
import { colour, printJson } from '../format.ts';
import type { Queryable } from '../../store/db.ts';

export async function versionText(db: Queryable, arg: string): Promise<{ id: number; text: string; recordedAt: Date; documentId: number }> {
  const parsed = parseRecordId(arg) ?? (/^\d+$/.test(arg) ? { kind: 'version' as const, id: Number(arg) } : undefined);
  if (!parsed || parsed.kind !== 'version') throw new UsageError(`"${arg}" is not a version record id (like CW-V-000012)`);
  const v = await getVersion(db, parsed.id);
  if (!v) throw new UsageError(`no version ${recordId('version', parsed.id)}`);
  return { id: v.id, text: (await getText(db, v.text_sha256)) ?? '', recordedAt: v.recorded_at, documentId: v.document_id };
}

function render(parts: DiffPart[], mode: 'word' | 'block'): string {
  if (mode === 'block') {
    return parts
      .filter((p) => p.op !== 'equal')
      .map((p) => (p.op === 'insert' ? colour.green(`+ ${p.text}`) : colour.red(`- ${p.text}`)))
      .join('\n');
  }
  return parts.map((p) => (p.op === 'insert' ? colour.green(`{+${p.text}+}`) : p.op === 'delete' ? colour.red(`[-${p.text}-]`) : p.text)).join('');
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('differences between two versions (record ids like CW-V-000012), by word or by block')
    .argument('<version-a>')
    .argument('<version-b>')
    .option('--mode <mode>', 'word | block', 'block')
    .option('--json', 'print one JSON object')
    .action(async (a: string, b: string, opts: { mode: string; json?: boolean }) => {
      if (opts.mode !== 'word' && opts.mode !== 'block') throw new UsageError(`--mode must be word or block, not "${opts.mode}"`);
      await withDb(async (db) => {
        const va = await versionText(db, a);
        const vb = await versionText(db, b);
        if (va.documentId !== vb.documentId) process.stderr.write('note: the two versions belong to different documents\n');
        const parts = opts.mode === 'word' ? wordDiff(va.text, vb.text) : blockDiff(va.text, vb.text);
        if (opts.json) return printJson({ from: recordId('version', va.id), to: recordId('version', vb.id), mode: opts.mode, stats: diffStats(parts), parts });
        process.stdout.write(`--- ${recordId('version', va.id)} ${va.recordedAt.toISOString()}\n+++ ${recordId('version', vb.id)} ${vb.recordedAt.toISOString()}\n`);
        process.stdout.write(render(parts, opts.mode as 'word' | 'block') + '\n');
      });
    });
}
