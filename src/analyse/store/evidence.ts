// Provision texts in the evidence log (docs/evidence-format.md): every provision_texts row is one leaf of
// kind "provision", appended in the transaction that inserts the row. The record is built from stored
// rows only, by the same function when appending and when src/evidence verifies the log, so any later
// edit of a provision's text, its version or its time shows in verification.
import type { Queryable } from '../../store/db.ts';
import { recordId } from '../../domain/record-id.ts';
import { appendToLog } from '../../evidence/db-log.ts';
import { registerLogKind } from '../../evidence/log-kinds.ts';
import { validateRecord, type EvidenceRecord } from '../../evidence/leaf.ts';
import { sha256Hex } from '../../record/hash.ts';

const CONTROL = /[\u0000-\u001f\u007f]/;

function opt(v: unknown, max = 200): string | undefined {
  if (typeof v !== 'string' || v.length === 0 || v.length > max || CONTROL.test(v)) return undefined;
  return v;
}

interface ProvisionTextRow {
  id: number;
  provision_id: number;
  body: string;
  first_version_id: number;
  recorded_at: Date | string;
  version_sha256: string;
  platform: string;
  document: string;
}

const SELECT = `SELECT t.id, t.provision_id, t.body, t.first_version_id, v.recorded_at, v.text_sha256 AS version_sha256,
    p.slug AS platform, d.type AS document
  FROM provision_texts t JOIN versions v ON v.id = t.first_version_id
  JOIN documents d ON d.id = t.document_id JOIN platforms p ON p.id = d.platform_id`;

/** The leaf of one provision text: CW-P-… names the provision; parentId the version it first appeared in. */
function provisionRecord(r: ProvisionTextRow): EvidenceRecord {
  const time = (r.recorded_at instanceof Date ? r.recorded_at : new Date(String(r.recorded_at))).toISOString();
  const v = validateRecord({
    kind: 'provision',
    id: recordId('provision', Number(r.provision_id)),
    // Hashed from the stored text itself, so verification catches an edited text, not only an edited hash.
    sha256: sha256Hex(r.body),
    time,
    platform: opt(r.platform),
    document: opt(r.document),
    versionSha256: r.version_sha256,
    parentId: recordId('version', Number(r.first_version_id)),
  });
  if (!v.ok) throw new Error(`cannot log provision text ${r.id}: ${v.reason}`);
  return v.record;
}

async function buildRecords(q: Queryable, ids: readonly number[]): Promise<Map<number, EvidenceRecord>> {
  if (!ids.length) return new Map();
  const rows = await q.query<ProvisionTextRow>(`${SELECT} WHERE t.id = ANY($1::int[])`, [ids]);
  return new Map(rows.map((r) => [Number(r.id), provisionRecord(r)]));
}

registerLogKind({ kind: 'provision', table: 'provision_texts', build: buildRecords });

/**
 * Appends the given provision_texts rows to the evidence log, inside tx (the transaction that inserted
 * them). The only place provision records reach the log: change the record here, nowhere else.
 */
export async function logProvisionTexts(tx: Queryable, textIds: readonly number[]): Promise<void> {
  if (!textIds.length) return;
  const built = await buildRecords(tx, textIds);
  await appendToLog(
    tx,
    textIds.map((id) => {
      const record = built.get(id);
      if (!record) throw new Error(`provision text ${id} vanished before it was logged`);
      return { kind: 'provision', recordId: id, record };
    }),
  );
}
