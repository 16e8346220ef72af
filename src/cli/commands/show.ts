import type { Command } from 'commander';
import { withDb, UsageError } from '../context.ts';
import { parseRecordId, recordId } from '../../domain/record-id.ts';
import { documentOf, getCapture, getVersion, listVersions, snapshotsOf } from '../../record/queries.ts';
import { getText } from '../../record/texts.ts';
import { getBlob } from '../../record/blobs.ts';
import { printJson } from '../format.ts';
import type { Queryable } from '../../store/db.ts';
import { provisionRecord, versionAnalysis } from '../../analyse/store/queries.ts';
import { logEntryOf } from '../../evidence/record-sources.ts';

/** A version's clause analysis in brief: its provision-level changes, or "pending". */
async function analysisBrief(db: Queryable, versionId: number): Promise<unknown> {
  const a = await versionAnalysis(db, versionId);
  if (!a) return 'pending (run `clausewatch analyse`)';
  return { status: a.status, language: a.language, note: a.note, provisions: a.provisions, material: a.material, summary: a.summary, changes: a.changes.map((c) => `${c.provision} ${c.kind}${c.material ? '' : ` (cosmetic: ${c.cosmeticReason})`}: ${c.summary}`) };
}

export async function describeRecord(db: Queryable, id: string): Promise<Record<string, unknown>> {
  const parsed = parseRecordId(id);
  if (!parsed) throw new UsageError(`"${id}" is not a record id (CW-PL-…, CW-D-…, CW-V-…, CW-S-…, CW-C-…, CW-P-…)`);
  const missing = () => new UsageError(`no record ${recordId(parsed.kind, parsed.id)}`);
  switch (parsed.kind) {
    case 'platform': {
      const p = (await db.query<{ id: number; slug: string; name: string; homepage: string | null; jurisdictions: string[]; tags: string[] }>(
        'SELECT id, slug, name, homepage, jurisdictions, tags FROM platforms WHERE id = $1', [parsed.id]))[0];
      if (!p) throw missing();
      const docs = await db.query<{ id: number; name: string; type: string }>('SELECT id, name, type FROM documents WHERE platform_id = $1 ORDER BY key', [p.id]);
      return { record: recordId('platform', p.id), ...p, documents: docs.map((d) => ({ record: recordId('document', d.id), name: d.name, type: d.type })) };
    }
    case 'document': {
      const d = await documentOf(db, parsed.id);
      if (!d) throw missing();
      const versions = await listVersions(db, d.id);
      return { record: recordId('document', d.id), ...d, versions: versions.map((v) => ({ record: recordId('version', v.id), recordedAt: v.recorded_at, kind: v.kind, sha256: v.text_sha256 })) };
    }
    case 'version': {
      const v = await getVersion(db, parsed.id);
      if (!v) throw missing();
      const d = await documentOf(db, v.document_id);
      const snaps = await snapshotsOf(db, { versionId: v.id });
      return {
        record: recordId('version', v.id),
        document: recordId('document', v.document_id),
        platform: d?.platform_name,
        documentName: d?.name,
        recordedAt: v.recorded_at,
        kind: v.kind,
        sha256: v.text_sha256,
        previous: v.previous_id ? recordId('version', v.previous_id) : null,
        returnsTo: v.returns_to_id ? recordId('version', v.returns_to_id) : null,
        origin: v.origin,
        originRef: v.origin_ref,
        snapshots: snaps.map((s) => ({ record: recordId('snapshot', s.id), fetchedAt: s.fetched_at, url: s.url, sha256: s.blob_sha256 })),
        analysis: await analysisBrief(db, v.id),
        text: await getText(db, v.text_sha256),
      };
    }
    case 'provision': {
      const p = await provisionRecord(db, parsed.id);
      if (!p) throw missing();
      const { current, texts, ...rest } = p;
      return {
        ...rest,
        types: current?.types ?? [],
        severity: current?.severity ?? null,
        severityReasons: current?.severityReasons ?? [],
        texts: texts.map((t) => ({ sha256: t.sha256, firstVersion: t.firstVersion, versions: t.versions, section: t.section })),
        text: current?.text,
      };
    }
    case 'snapshot': {
      const s = (await snapshotsOf(db, { id: parsed.id }))[0];
      if (!s) throw missing();
      return { record: recordId('snapshot', s.id), capture: recordId('capture', s.capture_id), document: recordId('document', s.document_id), ...s };
    }
    case 'capture': {
      const c = await getCapture(db, parsed.id);
      if (!c) throw missing();
      return { record: recordId('capture', c.id), document: recordId('document', c.document_id), ...c, version: c.version_id ? recordId('version', c.version_id) : null };
    }
    default:
      throw new UsageError(`${id}: ${parsed.kind} records are not available yet`);
  }
}

export function registerShow(program: Command): void {
  program
    .command('show')
    .description('show one record by its id (CW-PL-, CW-D-, CW-V-, CW-S-, CW-C-, CW-P-)')
    .argument('<record-id>')
    .option('--json', 'print one JSON object')
    .option('--raw', 'for a snapshot: write its stored bytes to stdout')
    .action(async (id: string, opts: { json?: boolean; raw?: boolean }) => {
      await withDb(async (db) => {
        const rec = await describeRecord(db, id);
        if (opts.raw) {
          if (typeof rec.blob_sha256 !== 'string') throw new UsageError('--raw applies to snapshot records (CW-S-…)');
          process.stdout.write((await getBlob(db, rec.blob_sha256)) ?? Buffer.alloc(0));
          return;
        }
        // Evidence: the record's leaf in the log and its inclusion proof against the latest checkpoint.
        const log = await logEntryOf(db, id);
        if (log) rec.log = log;
        if (opts.json) return printJson(rec);
        const { text, ...meta } = rec;
        for (const [k, v] of Object.entries(meta)) {
          process.stdout.write(`${k}: ${typeof v === 'object' && v !== null && !(v instanceof Date) ? JSON.stringify(v, null, 2) : v instanceof Date ? v.toISOString() : v}\n`);
        }
        if (typeof text === 'string') process.stdout.write(`\n${text}\n`);
      });
    });
}
