import type { Command } from 'commander';
import { withDb, UsageError } from '../context.ts';
import { isoDate, printJson, table } from '../format.ts';
import { findPlatform } from '../../record/registry.ts';
import { aiTrainingReport, defaultAnalyser, platformSummary, refreshStalePlatforms, type PlatformSummary } from '../../analyse/store/index.ts';
import { formatAiTraining } from './analyze.ts';

function formatSummary(s: PlatformSummary): string {
  const out: string[] = [];
  const g = s.grade;
  out.push(`${s.platform.name} (${s.platform.record})${g ? ` — grade ${g.grade} (score ${g.score})` : ' — not analysed yet'}, as of ${isoDate(s.asOf)}${s.stale ? ' [being recomputed]' : ''}`);
  out.push('');
  out.push(
    table(
      s.documents.map((d) => [d.name, d.version ?? '-', d.recordedAt ? isoDate(d.recordedAt).slice(0, 10) : '-', d.provisions, d.note ?? d.status]),
      ['document', 'version', 'recorded', 'provisions', 'analysis'],
    ),
  );
  const c = (x: PlatformSummary['provisionCounts']) => `high ${x.high}, medium ${x.medium}, low ${x.low}, positive ${x.positive}`;
  out.push('', `provisions by severity: ${c(s.provisionCounts)}`, `clause types found (each at its worst severity): ${c(s.clauseCounts)}`);
  if (g) {
    out.push('', 'grade:');
    for (const r of g.reasons) out.push(`  ${r}`);
  }
  if (s.aiTraining) formatAiTraining(aiTrainingReport(s.aiTraining), out);
  out.push('', `Material changes in the last ${s.windowDays} days: ${s.recentChanges.length ? '' : 'none'}`.trimEnd());
  for (const ch of s.recentChanges) out.push(`  ${isoDate(ch.recordedAt).slice(0, 10)}  ${ch.version}  ${ch.summary}`);
  return out.join('\n') + '\n';
}

export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description("a platform's analysis: counts by severity, grade with its reasons, AI-training facts, material changes in the last 30 days")
    .argument('<platform>', 'platform slug or name')
    .option('--at <date>', 'as of this date (ISO 8601), for the recent-changes window and the grade (default: now)')
    .option('--json', 'print one JSON object')
    .action(async (name: string, opts: { at?: string; json?: boolean }) => {
      const asOf = opts.at ? new Date(opts.at) : new Date();
      if (Number.isNaN(asOf.getTime())) throw new UsageError(`--at: "${opts.at}" is not a date (use ISO 8601, e.g. 2025-01-31)`);
      await withDb(async (db) => {
        const p = await findPlatform(db, name);
        if (!p) throw new UsageError(`no platform "${name}" in the database (see \`clausewatch status\`)`);
        await refreshStalePlatforms(db, defaultAnalyser(), [p.id]);
        const s = (await platformSummary(db, p.id, asOf))!;
        if (opts.json) printJson(s);
        else process.stdout.write(formatSummary(s));
      });
    });
}
