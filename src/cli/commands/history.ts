import type { Command } from 'commander';
import { withDb, UsageError } from '../context.ts';
import { findPlatform, findDocuments } from '../../record/registry.ts';
import { listVersions } from '../../record/queries.ts';
import { recordId } from '../../domain/record-id.ts';
import { table, isoDate, printJson } from '../format.ts';

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description("list the versions of a platform's documents, oldest first")
    .argument('<platform>', 'platform slug or name')
    .argument('[document]', 'document key, type or name (default: all)')
    .option('--json', 'print one JSON object')
    .action(async (platformArg: string, documentArg: string | undefined, opts: { json?: boolean }) => {
      await withDb(async (db) => {
        const platform = await findPlatform(db, platformArg);
        if (!platform) throw new UsageError(`no platform "${platformArg}" in the database (see \`clausewatch status\`)`);
        const docs = await findDocuments(db, platform.id, documentArg);
        if (!docs.length) throw new UsageError(`${platform.name} has no document "${documentArg}"`);
        const out = [];
        for (const d of docs) {
          const versions = await listVersions(db, d.id);
          out.push({
            document: recordId('document', d.id),
            key: d.key,
            name: d.name,
            type: d.type,
            versions: versions.map((v) => ({
              record: recordId('version', v.id),
              recordedAt: v.recorded_at,
              kind: v.kind,
              sha256: v.text_sha256,
              linesAdded: v.lines_added,
              linesRemoved: v.lines_removed,
              returnsTo: v.returns_to_id ? recordId('version', v.returns_to_id) : null,
              origin: v.origin,
            })),
          });
        }
        if (opts.json) return printJson({ platform: { record: recordId('platform', platform.id), slug: platform.slug, name: platform.name }, documents: out });
        for (const d of out) {
          process.stdout.write(`\n${platform.name} / ${d.name}  (${d.document}, ${d.versions.length} versions)\n`);
          process.stdout.write(
            table(
              d.versions.map((v) => [v.record, isoDate(v.recordedAt), v.kind + (v.returnsTo ? ` → ${v.returnsTo}` : ''), `+${v.linesAdded} -${v.linesRemoved}`, v.sha256.slice(0, 16)]),
              ['version', 'recorded', 'kind', 'lines', 'sha256'],
            ) + '\n',
          );
        }
      });
    });
}
