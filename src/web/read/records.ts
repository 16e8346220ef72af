// Where a record id lives on the site: the resolver behind /r/CW-… and the API's record lookup.
import type { Queryable } from '../../store/db.ts';
import { parseRecordId, recordId, type RecordKind } from '../../domain/record-id.ts';
import { paths } from '../paths.ts';

export type Resolution =
  | { ok: true; record: string; kind: RecordKind; path: string }
  | { ok: false; reason: 'malformed' | 'not-found' | 'not-available'; message: string };

export async function resolveRecord(q: Queryable, text: string): Promise<Resolution> {
  const parsed = parseRecordId(text);
  if (!parsed) {
    return { ok: false, reason: 'malformed', message: `"${text}" is not a record id: expected CW-PL-, CW-D-, CW-V-, CW-S-, CW-C- or CW-P- followed by a number, e.g. CW-V-000123` };
  }
  const record = recordId(parsed.kind, parsed.id);
  const missing: Resolution = { ok: false, reason: 'not-found', message: `no record ${record}` };
  const ok = (path: string): Resolution => ({ ok: true, record, kind: parsed.kind, path });
  switch (parsed.kind) {
    case 'platform': {
      const r = (await q.query<{ slug: string }>('SELECT slug FROM platforms WHERE id = $1', [parsed.id]))[0];
      return r ? ok(paths.platform(r.slug)) : missing;
    }
    case 'document': {
      const r = (await q.query<{ slug: string; key: string }>('SELECT p.slug, d.key FROM documents d JOIN platforms p ON p.id = d.platform_id WHERE d.id = $1', [parsed.id]))[0];
      return r ? ok(paths.document(r.slug, r.key)) : missing;
    }
    case 'version': {
      const r = (await q.query('SELECT 1 FROM versions WHERE id = $1', [parsed.id]))[0];
      return r ? ok(paths.version(parsed.id)) : missing;
    }
    case 'snapshot': {
      const r = (await q.query('SELECT 1 FROM snapshots WHERE id = $1', [parsed.id]))[0];
      return r ? ok(paths.snapshot(parsed.id)) : missing;
    }
    case 'capture': {
      const r = (await q.query('SELECT 1 FROM captures WHERE id = $1', [parsed.id]))[0];
      return r ? ok(paths.capture(parsed.id)) : missing;
    }
    case 'provision': {
      const r = (await q.query('SELECT 1 FROM provisions WHERE id = $1', [parsed.id]))[0];
      return r ? ok(paths.provision(parsed.id)) : missing;
    }
    default:
      return { ok: false, reason: 'not-available', message: `${record}: ${parsed.kind} records are not published yet` };
  }
}
