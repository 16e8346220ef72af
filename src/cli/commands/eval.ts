import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../context.ts';
import { printJson, table } from '../format.ts';
import { evaluate, type EvalItem } from '../../analyse/classify/evaluate.ts';

/** Lines {text, labels[]}; labels are our type ids or labels of the shared sets, mapped through the taxonomy. */
export function readEvalData(file: string): EvalItem[] {
  let raw: string;
  try {
    raw = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`eval: cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const items: EvalItem[] = [];
  raw.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let x: unknown;
    try {
      x = JSON.parse(line);
    } catch (err) {
      throw new UsageError(`eval: ${file} line ${i + 1} is not JSON: ${(err as Error).message}`);
    }
    const o = x as { text?: unknown; labels?: unknown };
    if (typeof x !== 'object' || x === null || typeof o.text !== 'string') throw new UsageError(`eval: ${file} line ${i + 1} has no "text" string`);
    if (!Array.isArray(o.labels) || o.labels.some((l) => typeof l !== 'string')) throw new UsageError(`eval: ${file} line ${i + 1}: "labels" must be an array of strings`);
    items.push({ text: o.text, labels: o.labels as string[] });
  });
  if (!items.length) throw new UsageError(`eval: ${file} holds no examples (one JSON object {text, labels[]} per line)`);
  return items;
}

const f3 = (x: number) => x.toFixed(3);

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate the clause classifier on labelled provisions: per-type precision, recall, F1 and support, micro and macro F1')
    .requiredOption('--data <file>', 'JSONL file, one {text, labels[]} per line (labels: type ids, CLAUDETTE categories or ToS;DR case titles)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { data: string; json?: boolean }) => {
      const items = readEvalData(opts.data);
      const report = evaluate(items);
      if (opts.json) return printJson({ data: opts.data, ...report });
      const rows = [...report.perType].sort((a, b) => b.support - a.support || a.id.localeCompare(b.id)).map((m) => [m.id, f3(m.precision), f3(m.recall), f3(m.f1), m.support]);
      process.stdout.write(`${report.items} examples${report.notAnalysed ? ` (${report.notAnalysed} not analysed: not English)` : ''}, ${report.perType.length} types\n\n`);
      process.stdout.write(table(rows, ['type', 'precision', 'recall', 'F1', 'support']) + '\n\n');
      process.stdout.write(`micro: precision ${f3(report.micro.precision)}, recall ${f3(report.micro.recall)}, F1 ${f3(report.micro.f1)}\nmacro F1: ${f3(report.macroF1)}\n`);
      const unmapped = Object.entries(report.unmappedLabels);
      if (unmapped.length) process.stdout.write(`labels mapping to no type (not scored): ${unmapped.map(([l, n]) => `${l} ×${n}`).join(', ')}\n`);
    });
}
