// Evidence bundles from the database: the record's leaf, its content bytes, an inclusion proof
// against the latest checkpoint (a new one is signed when none covers the record yet), the signed
// checkpoint, its RFC 3161 token when there is one, and the public key. buildBundle verifies the
// result before it is handed out, so a tampered store yields an error, never false evidence.

import type { Db } from '../store/db.ts';
import { parseRecordId, recordId } from '../domain/record-id.ts';
import { getBlob } from '../record/blobs.ts';
import { getText } from '../record/texts.ts';
import { buildBundle } from './bundle.ts';
import type { EvidenceBundle } from './bundle.ts';
import { latestCheckpoint, makeCheckpoint } from './checkpoint-store.ts';
import type { MakeCheckpointOptions, StoredCheckpoint } from './checkpoint-store.ts';
import type { LogSigner } from './config.ts';
import { dbLog, leafOf } from './db-log.ts';
import { parseLeafData } from './leaf.ts';

export class ExportError extends Error {}

export interface ExportResult {
  bundle: EvidenceBundle;
  checkpoint: StoredCheckpoint;
  leafIndex: number;
  /** True when a checkpoint had to be signed for this export. */
  signedNow: boolean;
}

export async function exportEvidence(db: Db, id: string, signer: LogSigner, opts: MakeCheckpointOptions = {}): Promise<ExportResult> {
  const parsed = parseRecordId(id);
  if (!parsed) throw new ExportError(`"${id}" is not a record id (CW-S-… or CW-V-…)`);
  if (parsed.kind !== 'snapshot' && parsed.kind !== 'version') {
    throw new ExportError(`${recordId(parsed.kind, parsed.id)}: evidence bundles are made for snapshots (CW-S-…) and versions (CW-V-…)`);
  }
  const name = recordId(parsed.kind, parsed.id);
  const table = parsed.kind === 'snapshot' ? 'snapshots' : 'versions';
  if ((await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [parsed.id])).length === 0) throw new ExportError(`no record ${name}`);

  let signedNow = false;
  let leaf = await leafOf(db, parsed.kind, parsed.id);
  let cp = await latestCheckpoint(db);
  if (!leaf || !cp || cp.size <= leaf.index) {
    // Not logged yet (a record from before the log) or logged after the latest checkpoint.
    cp = (await makeCheckpoint(db, signer, { tsaUrl: opts.tsaUrl, tsaTrusted: opts.tsaTrusted })).checkpoint;
    signedNow = true;
    leaf = await leafOf(db, parsed.kind, parsed.id);
  }
  if (!leaf) throw new ExportError(`${name} is not in the evidence log: it was written outside the recording path (run \`clausewatch verify\`)`);
  const rec = parseLeafData(leaf.leafData);
  if (!rec.ok) throw new ExportError(`${name}: its log leaf is unreadable (${rec.reason}); run \`clausewatch verify\``);
  const record = rec.record;

  const content: { snapshotBytes?: Buffer; versionText?: string } = {};
  if (record.kind === 'snapshot') {
    content.snapshotBytes = await getBlob(db, record.sha256);
    if (!content.snapshotBytes) throw new ExportError(`${name}: the snapshot bytes with SHA-256 ${record.sha256} are not stored`);
  } else {
    content.versionText = await getText(db, record.sha256);
    if (content.versionText === undefined) throw new ExportError(`${name}: the text with SHA-256 ${record.sha256} is not stored`);
    if (record.snapshotSha256) content.snapshotBytes = await getBlob(db, record.snapshotSha256);
  }
  const inclusionProof = await dbLog(db).inclusionProof(leaf.index, cp.size);
  try {
    const bundle = buildBundle({
      record,
      content,
      leafIndex: leaf.index,
      inclusionProof,
      checkpoint: cp.note,
      publicKey: signer.publicKeyPem,
      timestamp: cp.timestampToken,
    });
    return { bundle, checkpoint: cp, leafIndex: leaf.index, signedNow };
  } catch (err) {
    throw new ExportError(`${name}: the stored evidence does not verify, so no bundle is made (run \`clausewatch verify\`):\n${(err as Error).message}`);
  }
}
