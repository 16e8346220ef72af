import path from 'node:path';
import type { Command } from 'commander';
import { catalog, declarationsDir } from '../context.ts';
import { printJson, table } from '../format.ts';

export function registerCatalog(program: Command): void {
  const cmd = program.command('catalog').description('the declared platforms and documents');
  cmd
    .command('list')
    .description('list the declared platforms and their documents')
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) => {
      const all = catalog();
      if (opts.json) return printJson({ platforms: all });
      process.stdout.write(table(all.map((p) => [p.slug, p.name, p.tags.join(','), p.documents.map((d) => d.type).join(', ')]), ['slug', 'name', 'tags', 'documents']) + '\n');
    });
  cmd
    .command('validate')
    .description('validate every declaration file (default folder: ./declarations)')
    .argument('[dir]')
    .action((dir?: string) => {
      const all = catalog(dir ? path.resolve(dir) : declarationsDir());
      process.stdout.write(`${all.length} platforms, ${all.reduce((a, p) => a + p.documents.length, 0)} documents: all valid\n`);
    });
}
