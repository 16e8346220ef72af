// Signed checkpoints of the database log: made after each tracking run, import or sample load
// (when the log grew) and on demand, kept in evidence_checkpoints, and never made over a log that
// no longer extends the previous checkpoint: the signer refuses to bless a rewritten history.

import type { KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Db, Queryable } from '../store/db.ts';
import { backfillLog, pendingBackfill } from './backfill.ts';
import { parseCheckpoint, signCheckpoint, verifyCheckpoint } from './checkpoint.ts';
import { evidenceConfig, loadSigner } from './config.ts';
import type { EvidenceConfig, LogSigner } from './config.ts';
import { dbLog } from './db-log.ts';
import { checkConsistency } from './merkle.ts';
import { parseCertificates, requestTimestamp } from './timestamp.ts';

export interface StoredCheckpoint {
  id: number;
  size: number;
  root: Buffer;
  origin: string;
  keyId: string;
  signedAt: Date;
  note: string;
  tsaUrl?: string;
  /** DER RFC 3161 TimeStampToken over the checkpoint text. */
  timestampToken?: Buffer;
  timestampTime?: Date;
}

interface Row {
  id: number;
  tree_size: unknown;
  root: Buffer;
  origin: string;
  key_id: string;
  signed_at: Date;
  note: string;
  tsa_url: string | null;
  timestamp_token: Buffer | null;
  timestamp_time: Date | null;
}

const COLUMNS = 'id, tree_size, root, origin, key_id, signed_at, note, tsa_url, timestamp_token, timestamp_time';

function fromRow(r: Row): StoredCheckpoint {
  const cp: StoredCheckpoint = {
    id: Number(r.id),
    size: Number(r.tree_size),
    root: Buffer.from(r.root),
    origin: r.origin,
    keyId: r.key_id,
    signedAt: r.signed_at,
    note: r.note,
  };
  if (r.tsa_url) cp.tsaUrl = r.tsa_url;
  if (r.timestamp_token) cp.timestampToken = Buffer.from(r.timestamp_token);
  if (r.timestamp_time) cp.timestampTime = r.timestamp_time;
  return cp;
}

/** All checkpoints, in tree order (size, then id). */
export async function listCheckpoints(q: Queryable): Promise<StoredCheckpoint[]> {
  return (await q.query<Row>(`SELECT ${COLUMNS} FROM evidence_checkpoints ORDER BY tree_size, id`)).map(fromRow);
}

/** The checkpoint of the largest tree (the most recent one among equals). */
export async function latestCheckpoint(q: Queryable): Promise<StoredCheckpoint | undefined> {
  const rows = await q.query<Row>(`SELECT ${COLUMNS} FROM evidence_checkpoints ORDER BY tree_size DESC, id DESC LIMIT 1`);
  return rows[0] && fromRow(rows[0]);
}

export async function getCheckpoint(q: Queryable, id: number): Promise<StoredCheckpoint | undefined> {
  const rows = await q.query<Row>(`SELECT ${COLUMNS} FROM evidence_checkpoints WHERE id = $1`, [id]);
  return rows[0] && fromRow(rows[0]);
}

export interface MakeCheckpointOptions {
  /** Return the latest checkpoint instead of signing a new one when the log has not grown. */
  onlyIfGrown?: boolean;
  now?: Date;
  /** RFC 3161 time-stamping authority to timestamp the checkpoint text with. */
  tsaUrl?: string;
  /** Certificates the authority's token must chain to. */
  tsaTrusted?: readonly X509Certificate[];
}

export interface MadeCheckpoint {
  checkpoint: StoredCheckpoint;
  created: boolean;
  /** Pre-log records appended before signing. */
  backfilled: number;
}

/**
 * Signs the log's current size and root. Refuses (throws) when the stored tree no longer has the
 * root of the latest checkpoint at its size, or that checkpoint is not signed by this key.
 */
export async function makeCheckpoint(db: Db, signer: LogSigner, opts: MakeCheckpointOptions = {}): Promise<MadeCheckpoint> {
  const backfilled = await backfillLog(db);
  const log = dbLog(db);
  const size = await log.size();
  const root = await log.root(size);
  const latest = await latestCheckpoint(db);
  if (latest) {
    const v = verifyCheckpoint(latest.note, signer.publicKey);
    if (!v.ok) throw new Error(`refusing to sign: checkpoint #${latest.id} does not verify with the log key (${v.reason}); run \`clausewatch verify\``);
    if (v.checkpoint.size > size) {
      throw new Error(`refusing to sign: checkpoint #${latest.id} covers ${v.checkpoint.size} leaves and the log now has ${size}: leaves were removed; run \`clausewatch verify\``);
    }
    const then = await log.root(v.checkpoint.size);
    if (!then.equals(v.checkpoint.root)) {
      throw new Error(`refusing to sign: the stored log no longer has the root that checkpoint #${latest.id} signed at size ${v.checkpoint.size}: its history was rewritten; run \`clausewatch verify\``);
    }
    if (opts.onlyIfGrown && v.checkpoint.size === size) return { checkpoint: latest, created: false, backfilled };
  }
  const now = opts.now ?? new Date();
  const note = signCheckpoint({ origin: signer.origin, size, root, time: now }, signer.privateKey, signer.origin);
  let token: Buffer | undefined;
  let tokenTime: Date | undefined;
  if (opts.tsaUrl) {
    const text = parseCheckpoint(note);
    if (!text.ok) throw new Error(`internal: the new checkpoint does not parse: ${text.reason}`);
    const ts = await requestTimestamp(opts.tsaUrl, Buffer.from(text.parsed.text, 'utf8'), opts.tsaTrusted ? { trusted: opts.tsaTrusted } : {});
    token = ts.token;
    tokenTime = ts.genTime;
  }
  const rows = await db.query<Row>(
    `INSERT INTO evidence_checkpoints (tree_size, root, origin, key_id, signed_at, note, tsa_url, timestamp_token, timestamp_time)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [size, root, signer.origin, signer.keyId, now, note, token ? opts.tsaUrl : null, token ?? null, tokenTime ?? null],
  );
  return { checkpoint: fromRow(rows[0]!), created: true, backfilled };
}

/** The TSA settings of a configuration, for makeCheckpoint. */
export function timestampOptions(cfg: EvidenceConfig): Pick<MakeCheckpointOptions, 'tsaUrl' | 'tsaTrusted'> {
  if (!cfg.tsaUrl) return {};
  return cfg.tsaCaPath ? { tsaUrl: cfg.tsaUrl, tsaTrusted: parseCertificates(readFileSync(cfg.tsaCaPath, 'utf8')) } : { tsaUrl: cfg.tsaUrl };
}

export interface AfterRunResult {
  checkpoint?: StoredCheckpoint;
  created: boolean;
  /** Why no checkpoint could be made; the run's records are safe and the next checkpoint covers them. */
  error?: string;
}

/**
 * The checkpoint after a tracking run, import or sample load: only when the log grew, with the key
 * and timestamp authority from the environment. Never throws: a run that recorded data must not
 * fail because it could not sign.
 */
export async function checkpointAfterRun(db: Db, config?: EvidenceConfig): Promise<AfterRunResult> {
  try {
    const cfg = config ?? evidenceConfig();
    const log = dbLog(db);
    const latest = await latestCheckpoint(db);
    // An empty log, or one that has not grown and has nothing to backfill, needs no new signature.
    if ((await log.size()) === 0 && !latest && (await pendingBackfill(db)) === 0) return { created: false };
    const made = await makeCheckpoint(db, loadSigner(cfg), { onlyIfGrown: true, ...timestampOptions(cfg) });
    return { checkpoint: made.checkpoint, created: made.created };
  } catch (err) {
    return { created: false, error: (err as Error).message };
  }
}

export interface ConsistencyResult {
  ok: boolean;
  from: StoredCheckpoint;
  to: StoredCheckpoint;
  proof: Buffer[];
  /** What holds and what fails, in order. */
  checks: { name: string; ok: boolean; detail: string }[];
}

/**
 * Proves that checkpoint b's tree extends checkpoint a's (they are ordered by size first): both
 * signatures with the given key, then RFC 9162 consistency from the stored nodes.
 */
export async function proveConsistency(q: Queryable, a: StoredCheckpoint, b: StoredCheckpoint, publicKey: KeyObject | string): Promise<ConsistencyResult> {
  const [from, to] = a.size <= b.size ? [a, b] : [b, a];
  const checks: ConsistencyResult['checks'] = [];
  const parsed = [from, to].map((cp) => {
    const v = verifyCheckpoint(cp.note, publicKey);
    checks.push(v.ok ? { name: `checkpoint #${cp.id}`, ok: true, detail: `size ${v.checkpoint.size}, root ${v.checkpoint.root.toString('base64')}, signed ${v.checkpoint.time} by key ${v.keyId}` } : { name: `checkpoint #${cp.id}`, ok: false, detail: `fails because ${v.reason}` });
    return v.ok ? v.checkpoint : undefined;
  });
  let proof: Buffer[] = [];
  const [p, r] = parsed;
  if (p && r) {
    try {
      proof = await dbLog(q).consistencyProof(p.size, r.size);
      const c = checkConsistency(p.size, r.size, proof, p.root, r.root);
      checks.push(
        c.ok
          ? { name: 'consistency', ok: true, detail: `the tree of size ${r.size} extends the tree of size ${p.size} (${proof.length} proof hashes)` }
          : { name: 'consistency', ok: false, detail: `fails because ${c.reason}` },
      );
    } catch (err) {
      checks.push({ name: 'consistency', ok: false, detail: `fails because no proof can be made from the stored log: ${(err as Error).message}` });
    }
  } else {
    checks.push({ name: 'consistency', ok: false, detail: 'not checked because a checkpoint does not verify' });
  }
  return { ok: checks.every((c) => c.ok), from, to, proof, checks };
}
