// Evidence bundles from the database: the record's leaf, its content bytes, an inclusion proof
// against the latest checkpoint (a new one is signed when none covers the record yet), the signed
// checkpoint, its RFC 3161 token when there is one, and the public key. The records it derives from
// (a provision's version, a version's snapshot) travel along as sources, each with its own proof
// in the same tree, so the chain snapshot → version → provision is checkable offline.
// buildBundle verifies the result before it is handed out, so a tampered store yields an error,
// never false evidence.

import type { Db, Queryable } from '../store/db.ts';
import { parseRecordId, recordId } from '../domain/record-id.ts';
import { getBlob } from '../record/blobs.ts';
import { getText } from '../record/texts.ts';
import { buildBundle } from './bundle.ts';
import type { BuildBundleInput, EvidenceBundle } from './bundle.ts';
import { latestCheckpoint, makeCheckpoint } from './checkpoint-store.ts';
import type { MakeCheckpointOptions, StoredCheckpoint } from './checkpoint-store.ts';
import type { LogSigner } from './config.ts';
import { dbLog, leafOf } from './db-log.ts';
import type { LeafRow } from './db-log.ts';
import { parseLeafData } from './leaf.ts';
import type { EvidenceRecord } from './leaf.ts';

export class ExportError extends Error {}

export interface ExportResult {
  bundle: EvidenceBundle;
  checkpoint: StoredCheckpoint;
  leafIndex: number;
  /** True when a checkpoint had to be signed for this export. */
  signedNow: boolean;
}

export interface ExportOptions extends MakeCheckpointOptions {
  /** For a provision: the text it had in this version (CW-V-…), instead of its current text. */
  version?: string;
}

/** What a record id names in the log: the leaf's kind and record_id (a provision names one of its texts). */
interface LeafKey {
  kind: 'snapshot' | 'version' | 'provision';
  recordId: number;
}

async function provisionText(db: Queryable, provisionId: number, name: string, version: string | undefined): Promise<number> {
  if (version !== undefined) {
    const v = parseRecordId(version);
    if (!v || v.kind !== 'version') throw new ExportError(`--version "${version}" is not a version record id (CW-V-…)`);
    const row = (await db.query<{ text_id: number }>('SELECT text_id FROM version_provisions WHERE provision_id = $1 AND version_id = $2 LIMIT 1', [provisionId, v.id]))[0];
    if (!row) throw new ExportError(`${name} is not part of ${recordId('version', v.id)} (see \`clausewatch show ${name}\` for the versions that hold it)`);
    return Number(row.text_id);
  }
  // The text of the document's latest analysed version; a provision since removed keeps its last text.
  const row = (await db.query<{ text_id: number | null }>(
    'SELECT coalesce(p.current_text_id, (SELECT max(id) FROM provision_texts t WHERE t.provision_id = p.id)) AS text_id FROM provisions p WHERE p.id = $1',
    [provisionId],
  ))[0];
  if (!row) throw new ExportError(`no record ${name}`);
  if (row.text_id === null) throw new ExportError(`${name} has no recorded text`);
  return Number(row.text_id);
}

/** The record a leaf holds, or an error that names the record. */
function recordOf(leaf: LeafRow, name: string): EvidenceRecord {
  const rec = parseLeafData(leaf.leafData);
  if (!rec.ok) throw new ExportError(`${name}: its log leaf is unreadable (${rec.reason}); run \`clausewatch verify\``);
  return rec.record;
}

/** The leaf a record derives from, when the record commits to it by hash (a version's snapshot, a provision's version). */
function parentKey(record: EvidenceRecord): LeafKey | undefined {
  const p = record.parentId === undefined ? undefined : parseRecordId(record.parentId);
  if (!p) return undefined;
  if (p.kind === 'snapshot' && record.snapshotSha256 !== undefined) return { kind: 'snapshot', recordId: p.id };
  if (p.kind === 'version' && record.versionSha256 !== undefined) return { kind: 'version', recordId: p.id };
  return undefined;
}

/** The record's leaf, then its sources' leaves (parent first), all read from the log. */
async function chainOf(db: Queryable, start: LeafKey, name: string): Promise<{ leaf: LeafRow; record: EvidenceRecord }[] | undefined> {
  const chain: { leaf: LeafRow; record: EvidenceRecord }[] = [];
  for (let key: LeafKey | undefined = start; key !== undefined && chain.length < 4; ) {
    const leaf = await leafOf(db, key.kind, key.recordId);
    if (!leaf) return undefined;
    const record = recordOf(leaf, chain.length === 0 ? name : `${name}'s source ${recordId(key.kind, key.recordId)}`);
    chain.push({ leaf, record });
    key = parentKey(record);
  }
  return chain;
}

export async function exportEvidence(db: Db, id: string, signer: LogSigner, opts: ExportOptions = {}): Promise<ExportResult> {
  const parsed = parseRecordId(id);
  if (!parsed) throw new ExportError(`"${id}" is not a record id (CW-S-…, CW-V-… or CW-P-…)`);
  if (parsed.kind !== 'snapshot' && parsed.kind !== 'version' && parsed.kind !== 'provision') {
    throw new ExportError(`${recordId(parsed.kind, parsed.id)}: evidence bundles are made for snapshots (CW-S-…), versions (CW-V-…) and provisions (CW-P-…)`);
  }
  const name = recordId(parsed.kind, parsed.id);
  if (opts.version !== undefined && parsed.kind !== 'provision') throw new ExportError(`--version applies to provisions (CW-P-…), not to ${name}`);
  let start: LeafKey;
  if (parsed.kind === 'provision') {
    start = { kind: 'provision', recordId: await provisionText(db, parsed.id, name, opts.version) };
  } else {
    const table = parsed.kind === 'snapshot' ? 'snapshots' : 'versions';
    if ((await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [parsed.id])).length === 0) throw new ExportError(`no record ${name}`);
    start = { kind: parsed.kind, recordId: parsed.id };
  }

  let signedNow = false;
  let chain = await chainOf(db, start, name);
  let cp = await latestCheckpoint(db);
  const covered = () => chain !== undefined && cp !== undefined && chain.every((c) => c.leaf.index < cp!.size);
  if (!covered()) {
    // Not logged yet (records from before the log) or logged after the latest checkpoint.
    cp = (await makeCheckpoint(db, signer, { tsaUrl: opts.tsaUrl, tsaTrusted: opts.tsaTrusted })).checkpoint;
    signedNow = true;
    chain = await chainOf(db, start, name);
  }
  if (!chain || !cp) throw new ExportError(`${name} (or a record it derives from) is not in the evidence log: it was written outside the recording path (run \`clausewatch verify\`)`);
  const checkpoint = cp;
  const [own, ...sources] = chain as [{ leaf: LeafRow; record: EvidenceRecord }, ...{ leaf: LeafRow; record: EvidenceRecord }[]];
  const record = own.record;

  // Each carried content is the one its record commits to: the record's own, then its sources'.
  const content: BuildBundleInput['content'] = {};
  for (const { record: r } of chain) {
    if (r.kind === 'snapshot' && content.snapshotBytes === undefined) {
      content.snapshotBytes = await getBlob(db, r.sha256);
      if (!content.snapshotBytes && r === record) throw new ExportError(`${name}: the snapshot bytes with SHA-256 ${r.sha256} are not stored`);
    } else if (r.kind === 'version' && content.versionText === undefined) {
      content.versionText = await getText(db, r.sha256);
      if (content.versionText === undefined) throw new ExportError(`${name}: the version text with SHA-256 ${r.sha256} (${r.id}) is not stored`);
    } else if (r.kind === 'provision') {
      const row = (await db.query<{ body: string }>('SELECT body FROM provision_texts WHERE id = $1', [own.leaf.recordId]))[0];
      if (!row) throw new ExportError(`${name}: its text is no longer stored (run \`clausewatch verify\`)`);
      content.provisionText = row.body;
    }
  }
  const log = dbLog(db);
  const inclusionProof = await log.inclusionProof(own.leaf.index, checkpoint.size);
  const sourceProofs = await Promise.all(sources.map(async (s) => ({ record: s.record, leafIndex: s.leaf.index, inclusionProof: await log.inclusionProof(s.leaf.index, checkpoint.size) })));
  try {
    const bundle = buildBundle({
      record,
      content,
      leafIndex: own.leaf.index,
      inclusionProof,
      checkpoint: checkpoint.note,
      publicKey: signer.publicKeyPem,
      timestamp: checkpoint.timestampToken,
      sources: sourceProofs,
    });
    return { bundle, checkpoint, leafIndex: own.leaf.index, signedNow };
  } catch (err) {
    throw new ExportError(`${name}: the stored evidence does not verify, so no bundle is made (run \`clausewatch verify\`):\n${(err as Error).message}`);
  }
}
