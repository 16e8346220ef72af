import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { FailuresFound, UsageError } from '../context.ts';
import { printJson } from '../format.ts';
import { analyseDocuments, aiTrainingReport, defaultAnalyser, documentInput, type AiTrainingReport, type DocumentsReport } from '../../analyse/store/index.ts';

/** Larger inputs are refused with a message: a legal document of 50 MB is not a legal document. */
const MAX_BYTES = 50 * 2 ** 20;

function readInput(name: string): Uint8Array {
  if (name === '-') return readFileSync(0);
  let size: number;
  try {
    const st = statSync(name);
    if (st.isDirectory()) throw new UsageError(`analyze: ${name} is a folder; give the files it holds`);
    size = st.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`analyze: cannot read ${name}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (size > MAX_BYTES) return new Uint8Array(0);
  return readFileSync(name);
}

const excerpt = (s: string, n = 110) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

export function formatAiTraining(ai: AiTrainingReport, out: string[]): void {
  out.push('', 'AI training on user content');
  if (!ai.plans.length) out.push('  nothing to read (no English text)');
  for (const p of ai.plans) {
    const opt = p.optOut === true ? 'opt-out available' : p.optOut === false ? 'no opt-out' : 'opt-out not stated';
    const def = p.default === 'on' ? 'on by default' : p.default === 'off' ? 'off by default' : p.default === 'never' ? 'never' : 'not stated';
    out.push(`  ${p.plan.padEnd(14)} ${def.padEnd(15)} ${opt.padEnd(19)} ${p.evidence.length ? `[${p.evidence.join(', ')}]` : ''}`.trimEnd());
  }
  if (ai.optOutSteps.length) {
    out.push('', 'How to opt out');
    for (const s of ai.optOutSteps) {
      out.push(`  ${s.surface}:`);
      s.steps.forEach((step, i) => out.push(`    ${i + 1}. ${step}`));
    }
  }
  out.push('', `Exceptions (used for training anyway): ${ai.exceptions.length ? ai.exceptions.join(', ') : 'none stated'}`);
}

function formatReport(r: DocumentsReport): string {
  const out: string[] = [];
  for (const d of r.documents) {
    out.push(`${d.name}: ${d.provisions} provisions, ${d.languageName}${d.format ? `, ${d.format}` : ''}${d.note ? ` — ${d.note}` : ''}`);
  }
  if (r.provisions.length) out.push('');
  for (const p of r.provisions) {
    const types = p.types.map((t) => `${t.title} (${t.score.toFixed(2)})`).join(', ');
    const head = p.severity ? `[${p.severity}] ${types}` : types || '—';
    out.push(`${p.id.padEnd(5)} ${head}`);
    out.push(`      ${p.section ? `${excerpt(p.section, 60)}: ` : ''}${excerpt(p.text)}`);
  }
  formatAiTraining(r.aiTraining, out);
  return out.join('\n') + '\n';
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('analyse documents given as files (Markdown, HTML or text; "-" reads standard input): provisions with clause types and severity, and AI-training facts, reading several files as the documents of one platform')
    .argument('<file...>', 'files, or - for standard input')
    .option('--json', 'print one JSON object')
    .action(async (files: string[], opts: { json?: boolean }) => {
      const texts: { name: string; text: string; format: string }[] = [];
      const refused: { name: string; reason: string }[] = [];
      for (const f of files) {
        const bytes = readInput(f);
        if (bytes.length === 0 && f !== '-' && statSync(f).size > MAX_BYTES) {
          refused.push({ name: f, reason: `larger than ${MAX_BYTES / 2 ** 20} MB: not analysed` });
          continue;
        }
        const input = documentInput(f, bytes);
        if (input.ok) texts.push({ name: f, text: input.text, format: input.format });
        else refused.push({ name: f, reason: input.reason });
      }
      const report = texts.length ? analyseDocuments(texts, defaultAnalyser()) : { documents: [], provisions: [], aiTraining: aiTrainingReport({ plans: [], optOutSteps: [], exceptions: [] }), notes: [] };
      for (const r of refused) {
        report.documents.push({ name: r.name, language: 'und', languageName: 'unknown', analysed: false, provisions: 0, note: r.reason });
        report.notes.push(`${r.name}: ${r.reason}`);
      }
      if (opts.json) printJson(report);
      else process.stdout.write(formatReport(report));
      if (!texts.length) throw new FailuresFound(refused.map((r) => `${r.name}: ${r.reason}`).join('\n'));
    });
}
