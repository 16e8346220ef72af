import path from 'node:path';
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { openDb } from '../../store/db.ts';
import { migrate } from '../../store/migrate.ts';
import { UsageError } from '../context.ts';
import { listSnapshotFiles, replaySnapshots, type ReplayEvent } from '../../jobs/replay.ts';
import { upsertDocument, upsertPlatform } from '../../record/registry.ts';
import type { DocumentRules, Selection } from '../../domain/types.ts';
import { printJson, table, isoDate } from '../format.ts';
import { recordId } from '../../domain/record-id.ts';

/** --select/--remove take a CSS selector, or JSON for ranges and arrays (as in declarations). */
export function parseSelection(value: string | undefined, flag: string): Selection | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t) as Selection;
    } catch (err) {
      throw new UsageError(`${flag}: not valid JSON: ${(err as Error).message}`);
    }
  }
  return t;
}

export function summariseReplay(events: ReplayEvent[]) {
  const versions = events.filter((e) => ['first', 'changed', 'returned'].includes(e.result.outcome));
  const count = (o: string) => events.filter((e) => e.result.outcome === o).length;
  return {
    versions: versions.map((e) => ({
      date: e.date.toISOString(),
      file: path.basename(e.file),
      record: e.result.versionId ? recordId('version', e.result.versionId) : null,
      sha256: e.result.textSha256,
      kind: e.result.outcome,
      linesAdded: e.result.linesAdded,
      linesRemoved: e.result.linesRemoved,
      returnsTo: e.result.returnsToId ? recordId('version', e.result.returnsToId) : null,
    })),
    returns: events.filter((e) => e.result.outcome === 'returned').map((e) => ({ date: e.date.toISOString(), file: path.basename(e.file), returnsTo: e.result.returnsToId ? recordId('version', e.result.returnsToId) : null })),
    suspect: events.filter((e) => e.result.outcome === 'suspect').map((e) => ({ date: e.date.toISOString(), file: path.basename(e.file), kind: e.result.suspect?.kind, detail: e.result.suspect?.detail })),
    failed: events.filter((e) => e.result.outcome === 'failed').map((e) => ({ date: e.date.toISOString(), file: path.basename(e.file), kind: e.result.problem?.kind, detail: e.result.problem?.detail })),
    totals: {
      snapshots: events.length,
      versions: versions.length,
      distinctTexts: new Set(versions.map((e) => e.result.textSha256)).size,
      changes: count('changed'),
      returns: count('returned'),
      unchanged: count('unchanged'),
      unchangedSameBytes: events.filter((e) => e.result.fastPath).length,
      suspect: count('suspect'),
      failed: count('failed'),
    },
  };
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description("run a folder of one document's snapshots (files named by ISO date) through the tracking pipeline on a throwaway database")
    .argument('<folder>')
    .requiredOption('--url <url>', 'the URL the snapshots were fetched from (resolves links)')
    .option('--select <selector>', 'CSS selector, or JSON for a range or an array')
    .option('--remove <selector>', 'CSS selector, or JSON for a range or an array')
    .option('--json', 'print one JSON object')
    .action(async (folder: string, opts: { url: string; select?: string; remove?: string; json?: boolean }) => {
      try {
        if (!statSync(folder).isDirectory()) throw new Error('not a folder');
      } catch {
        throw new UsageError(`replay: ${folder} is not a folder of snapshots`);
      }
      try {
        new URL(opts.url);
      } catch {
        throw new UsageError(`--url: "${opts.url}" is not a URL`);
      }
      const { files, ignored } = listSnapshotFiles(folder);
      if (!files.length) throw new UsageError(`replay: no snapshot files named by ISO date in ${folder}`);
      const rules: DocumentRules = { pages: [{ url: opts.url, select: parseSelection(opts.select, '--select'), remove: parseSelection(opts.remove, '--remove') }] };
      const db = await openDb({ url: '', dataDir: 'memory' });
      try {
        await migrate(db);
        const platform = await upsertPlatform(db, { slug: 'replay', name: 'Replay' });
        const doc = await upsertDocument(db, platform.id, 'other', path.basename(path.resolve(folder)));
        const events = await replaySnapshots(db, {
          documentId: doc.id,
          files,
          url: opts.url,
          rulesAt: () => rules,
          origin: 'replay',
          onEvent: (e) => !opts.json && process.stderr.write(`${isoDate(e.date)}  ${e.result.outcome}\n`),
        });
        const summary = { folder, url: opts.url, ignoredFiles: ignored, ...summariseReplay(events) };
        if (opts.json) return printJson(summary);
        process.stdout.write(
          '\n' +
            table(
              summary.versions.map((v) => [isoDate(v.date), v.kind + (v.returnsTo ? ` → ${v.returnsTo}` : ''), `+${v.linesAdded} -${v.linesRemoved}`, v.sha256 ?? '']),
              ['date', 'recorded', 'lines', 'sha256'],
            ) +
            '\n',
        );
        for (const s of summary.suspect) process.stdout.write(`suspect ${s.date}: ${s.kind}: ${s.detail}\n`);
        for (const s of summary.failed) process.stdout.write(`failed ${s.date}: ${s.kind}: ${s.detail}\n`);
        const t = summary.totals;
        process.stdout.write(
          `\n${t.snapshots} snapshots → ${t.versions} versions (${t.distinctTexts} distinct texts, ${t.returns} returns), ${t.unchanged} unchanged (${t.unchangedSameBytes} by identical bytes), ${t.suspect} suspect, ${t.failed} failed\n`,
        );
      } finally {
        await db.close();
      }
    });
}
