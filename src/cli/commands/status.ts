import type { Command } from 'commander';
import { withDb, FailuresFound } from '../context.ts';
import { documentStatuses } from '../../record/queries.ts';
import { recordId } from '../../domain/record-id.ts';
import { table, isoDate, printJson } from '../format.ts';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('per document: versions, last capture and any fetch problem or suspect extraction')
    .argument('[platform...]', 'platform slugs')
    .option('--json', 'print one JSON object')
    .option('--problems', 'only documents whose last capture failed or is suspect')
    .action(async (platforms: string[], opts: { json?: boolean; problems?: boolean }) => {
      const rows = await withDb((db) => documentStatuses(db, platforms));
      const bad = (r: (typeof rows)[number]) => r.last_outcome === 'failed' || r.last_outcome === 'suspect';
      const shown = opts.problems ? rows.filter(bad) : rows;
      const problems = rows.filter(bad);
      if (opts.json) {
        printJson({
          documents: shown.map((r) => ({ record: recordId('document', r.document_id), ...r })),
          totals: { documents: rows.length, versions: rows.reduce((a, r) => a + r.versions, 0), problems: problems.length },
        });
      } else {
        process.stdout.write(
          table(
            shown.map((r) => [
              r.platform_slug,
              r.document_name,
              r.versions,
              isoDate(r.last_captured_at),
              r.last_outcome ?? 'never tracked',
              r.last_problem ? `${r.last_problem}: ${(r.last_detail ?? '').slice(0, 80)}` : '',
            ]),
            ['platform', 'document', 'versions', 'last capture', 'outcome', 'problem'],
          ) + '\n',
        );
        process.stdout.write(`\n${rows.length} documents, ${problems.length} with a problem at their last capture\n`);
      }
      if (problems.length) throw new FailuresFound('');
    });
}
