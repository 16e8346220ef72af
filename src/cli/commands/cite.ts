import type { Command } from 'commander';
import { withDb, UsageError, catalog } from '../context.ts';
import { CITATION_FORMATS, formatCitation } from '../../evidence/citation.ts';
import type { CitationFormat } from '../../evidence/citation.ts';
import { citationSource, RecordNotFound } from '../../evidence/record-sources.ts';
import { printJson } from '../format.ts';

export function registerCite(program: Command): void {
  program
    .command('cite')
    .description('a ready citation of a version or provision, with record id, retrieval date, source and archive URLs and SHA-256')
    .argument('<record-id>', 'CW-V-… or CW-P-…')
    .option('--format <format>', `one of ${CITATION_FORMATS.join(', ')}`, 'text')
    .option('--json', 'print every format at once, as one JSON object')
    .action(async (id: string, opts: { format: string; json?: boolean }) => {
      if (!(CITATION_FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format must be one of ${CITATION_FORMATS.join(', ')}, not "${opts.format}"`);
      // Imported histories may not say where a document lives; the catalogue does.
      let decls: ReturnType<typeof catalog> = [];
      try {
        decls = catalog();
      } catch {
        // an invalid catalogue only costs the fallback URL
      }
      const declaredUrl = (slug: string, type: string) => decls.find((p) => p.slug === slug)?.documents.find((d) => d.type === type)?.current.pages[0]?.url;
      await withDb(async (db) => {
        let src;
        try {
          src = await citationSource(db, id, { declaredUrl });
        } catch (err) {
          if (err instanceof RecordNotFound) throw new UsageError(err.message);
          throw err;
        }
        if (opts.json) {
          printJson({ record: src.recordId, citations: Object.fromEntries(CITATION_FORMATS.map((f) => [f, formatCitation(src, f)])) });
          return;
        }
        const out = formatCitation(src, opts.format as CitationFormat);
        process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
      });
    });
}
