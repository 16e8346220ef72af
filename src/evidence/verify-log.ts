// Recomputes the evidence log from the database and says what no longer holds, by record id:
//  1. every leaf row hashes to its leaf hash, and reads exactly as its record rebuilt from the
//     stored rows (so a changed hash, time or URL, or a deleted record, shows);
//  2. every stored node is the hash of its stored children, and every node the size implies exists;
//  3. every checkpoint is signed by the log key (kept outside the database), and the stored tree
//     has the signed root at its size; successive checkpoints are consistent;
//  4. every record is in the log (only pre-log records may wait for the backfill).
// Content bytes themselves are re-hashed by src/record/verify.ts; together: content → record →
// leaf → tree → signed root. Memory stays flat: leaves are read in aligned pages.

import type { KeyObject } from 'node:crypto';
import type { Queryable } from '../store/db.ts';
import { parseRecordId, recordId, RECORD_KINDS } from '../domain/record-id.ts';
import { pendingBackfill } from './backfill.ts';
import { evidenceConfig, loadPublicKey } from './config.ts';
import type { EvidenceConfig } from './config.ts';
import { dbLog } from './db-log.ts';
import { parseLeafData } from './leaf.ts';
import type { EvidenceRecord } from './leaf.ts';
import { logKind, logKinds } from './log-kinds.ts';
import { checkConsistency, leafHash, nodeHash } from './merkle.ts';
import { parseCheckpoint, verifyCheckpoint } from './checkpoint.ts';
import { parseCertificates, verifyTimestampToken } from './timestamp.ts';
import { readFileSync } from 'node:fs';
import type { X509Certificate } from 'node:crypto';

export interface LogProblem {
  /** The record concerned (CW-…), or the log part (leaf #i, checkpoint #n) when no record is known. */
  record: string;
  what: string;
  expected: string;
  actual: string;
}

export interface LogVerifyReport {
  size: number;
  leaves: number;
  nodes: number;
  checkpoints: number;
  /** The latest checkpoint that verifies. */
  latestCheckpoint?: { id: number; size: number; time: string };
  /** Leaves after the latest valid checkpoint: not yet protected by a signature. */
  uncovered: number;
  /** Records from before the log existed, not appended yet (the next checkpoint appends them). */
  pendingBackfill: number;
  keyId?: string;
  problems: LogProblem[];
  /** Problems found beyond maxProblems, not listed. */
  unlisted: number;
}

export interface VerifyLogOptions {
  publicKey?: KeyObject;
  config?: EvidenceConfig;
  maxProblems?: number;
  /** Certificates the checkpoints' RFC 3161 tokens must chain to (default: CLAUSEWATCH_TSA_CA, if set). */
  tsaTrusted?: readonly X509Certificate[];
}

const PAGE_LEVEL = 10;
const PAGE = 2 ** PAGE_LEVEL;
const RECORD_FIELDS = ['kind', 'id', 'sha256', 'time', 'platform', 'document', 'url', 'mediaType', 'snapshotSha256', 'versionSha256', 'parentId'] as const;

interface LeafInfo {
  index: number;
  name: string;
  hash?: Buffer;
}

function nameOf(kind: string, id: number, data?: string): string {
  try {
    const parsed = data ? (JSON.parse(data) as { id?: unknown }) : undefined;
    if (typeof parsed?.id === 'string' && parseRecordId(parsed.id)) return parsed.id;
  } catch {
    // fall through to the row's own kind and id
  }
  return (Object.values(RECORD_KINDS) as string[]).includes(kind) ? recordId(kind as (typeof RECORD_KINDS)[keyof typeof RECORD_KINDS], id) : `${kind} ${id}`;
}

export async function verifyLog(q: Queryable, opts: VerifyLogOptions = {}): Promise<LogVerifyReport> {
  const max = opts.maxProblems ?? 200;
  const report: LogVerifyReport = { size: 0, leaves: 0, nodes: 0, checkpoints: 0, uncovered: 0, pendingBackfill: 0, problems: [], unlisted: 0 };
  const problem = (p: LogProblem) => {
    if (report.problems.length < max) report.problems.push(p);
    else report.unlisted++;
  };
  const head = (await q.query<{ size: unknown }>('SELECT size FROM evidence_log WHERE id = 1'))[0];
  if (!head) {
    problem({ record: 'evidence log', what: 'log head row', expected: 'one row in evidence_log', actual: 'none' });
    return report;
  }
  const size = Number(head.size);
  report.size = size;
  const extent = Number((await q.query<{ n: unknown }>('SELECT coalesce(max(leaf_index) + 1, 0) AS n FROM evidence_leaves'))[0]?.n ?? 0);

  // 1 and 2, page by page.
  const leafNames = new Map<number, string>(); // only for small ranges named in node problems
  for (let a = 0; a < Math.max(size, extent); a += PAGE) {
    const b = a + PAGE;
    const rows = await q.query<{ leaf_index: unknown; kind: string; record_id: unknown; leaf_hash: Buffer; leaf_data: string }>(
      'SELECT leaf_index, kind, record_id, leaf_hash, leaf_data FROM evidence_leaves WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index',
      [a, b],
    );
    const page: (LeafInfo | undefined)[] = new Array(PAGE);
    const byKind = new Map<string, { index: number; id: number; record: EvidenceRecord; name: string }[]>();
    for (const r of rows) {
      const index = Number(r.leaf_index);
      const id = Number(r.record_id);
      const name = nameOf(r.kind, id, r.leaf_data);
      report.leaves++;
      page[index - a] = { index, name, hash: Buffer.from(r.leaf_hash) };
      if (index >= size) problem({ record: name, what: `log leaf ${index} beyond the log's size`, expected: `at most ${size} leaves`, actual: `a leaf at index ${index}: the log head was rolled back to hide it` });
      const computed = leafHash(Buffer.from(r.leaf_data, 'utf8'));
      if (!computed.equals(r.leaf_hash)) {
        problem({ record: name, what: `log leaf ${index}: leaf hash`, expected: computed.toString('hex'), actual: `${Buffer.from(r.leaf_hash).toString('hex')} (the leaf row was rewritten)` });
      }
      let record: EvidenceRecord | undefined;
      try {
        const v = parseLeafData(r.leaf_data);
        if (!v.ok) throw new Error(v.reason);
        if (v.record.kind !== r.kind) throw new Error(`it logs a ${v.record.kind}, and the row says ${r.kind}`);
        record = v.record;
      } catch (err) {
        problem({ record: name, what: `log leaf ${index}: leaf data`, expected: 'a canonical record (docs/evidence-format.md §1)', actual: (err as Error).message });
      }
      if (record) {
        const list = byKind.get(r.kind) ?? [];
        list.push({ index, id, record, name });
        byKind.set(r.kind, list);
      }
    }
    for (let i = a; i < Math.min(b, size); i++) {
      if (!page[i - a]) problem({ record: `leaf #${i}`, what: 'log leaf missing', expected: `a leaf row at index ${i}`, actual: 'none: a leaf (and perhaps its record) was deleted' });
    }
    for (const [kind, leaves] of byKind) {
      const k = logKind(kind);
      if (!k) continue; // a kind this build does not know: its tree position is still checked
      const built = await k.build(q, leaves.map((l) => l.id));
      for (const l of leaves) {
        const stored = built.get(l.id);
        if (!stored) {
          problem({ record: l.name, what: `${kind} record deleted`, expected: `the ${kind} logged at leaf ${l.index}`, actual: `no ${kind} row with id ${l.id}` });
          continue;
        }
        // A document's type may be re-declared later; the leaf keeps the type it was logged with.
        const adjusted: Record<string, unknown> = { ...stored };
        if (l.record.document === undefined) delete adjusted.document;
        else adjusted.document = l.record.document;
        const diff = RECORD_FIELDS.filter((f) => (adjusted[f] ?? null) !== (l.record[f] ?? null));
        if (diff.length > 0) {
          problem({
            record: l.name,
            what: `${kind} differs from its log leaf ${l.index} in ${diff.join(', ')}`,
            expected: diff.map((f) => `${f}=${l.record[f] ?? '(none)'}`).join('; '),
            actual: diff.map((f) => `${f}=${(adjusted[f] as string | undefined) ?? '(none)'}`).join('; '),
          });
        }
      }
    }
    for (const info of page) if (info) leafNames.set(info.index, info.name);
    await checkPageNodes(q, a, size, page, leafNames, problem, report);
    leafNames.clear();
  }
  await checkUpperNodes(q, size, problem, report);
  const extra = await q.query<{ level: number; idx: unknown }>(
    'SELECT level, idx FROM evidence_nodes WHERE idx >= ($1::bigint >> level::int) ORDER BY level, idx LIMIT 20',
    [size],
  );
  for (const e of extra) problem({ record: `node (${e.level}, ${Number(e.idx)})`, what: "log node beyond the log's size", expected: `no node outside a tree of ${size} leaves`, actual: 'a stored node: the log head was rolled back, or nodes were added' });

  // 3. Checkpoints.
  const cps = (await q.query<{ id: number; tree_size: unknown; root: Buffer; note: string; timestamp_token: Buffer | null }>('SELECT id, tree_size, root, note, timestamp_token FROM evidence_checkpoints ORDER BY tree_size, id')).map((r) => ({
    id: Number(r.id),
    size: Number(r.tree_size),
    root: Buffer.from(r.root),
    note: r.note,
    token: r.timestamp_token ? Buffer.from(r.timestamp_token) : undefined,
  }));
  report.checkpoints = cps.length;
  let key = opts.publicKey;
  const config = opts.config ?? evidenceConfig();
  if (!key && cps.length > 0) {
    const loaded = loadPublicKey(config);
    if ('missing' in loaded) {
      problem({ record: 'log key', what: 'checkpoint signatures cannot be checked', expected: `the log's key at ${config.keyPath}`, actual: loaded.missing });
    } else {
      key = loaded.publicKey;
      report.keyId = loaded.keyId;
    }
  }
  const valid: { id: number; size: number; root: Buffer; time: string; matches: boolean }[] = [];
  const log = dbLog(q);
  for (const cp of key ? cps : []) {
    const v = verifyCheckpoint(cp.note, key!);
    if (!v.ok) {
      problem({ record: `checkpoint #${cp.id}`, what: 'checkpoint signature', expected: 'a checkpoint signed by the log key', actual: v.reason });
      continue;
    }
    if (v.checkpoint.size !== cp.size || !v.checkpoint.root.equals(cp.root)) {
      problem({ record: `checkpoint #${cp.id}`, what: 'checkpoint row', expected: `size ${v.checkpoint.size}, root ${v.checkpoint.root.toString('base64')} (as signed)`, actual: `size ${cp.size}, root ${cp.root.toString('base64')}` });
    }
    if (cp.token) {
      const text = parseCheckpoint(cp.note);
      const trusted = opts.tsaTrusted ?? tsaTrustedFrom(config);
      const ts = text.ok ? verifyTimestampToken(cp.token, Buffer.from(text.parsed.text, 'utf8'), trusted ? { trusted } : {}) : { ok: false as const, reason: 'the note does not parse' };
      if (!ts.ok) problem({ record: `checkpoint #${cp.id}`, what: 'RFC 3161 timestamp', expected: 'a valid token over the checkpoint text', actual: ts.reason });
    }
    const signed = v.checkpoint;
    if (signed.size > size) {
      problem({ record: `checkpoint #${cp.id}`, what: 'log truncated', expected: `at least the ${signed.size} leaves the checkpoint signed`, actual: `${size} leaves` });
      valid.push({ id: cp.id, size: signed.size, root: signed.root, time: signed.time, matches: false });
      continue;
    }
    let root: Buffer | undefined;
    try {
      root = await log.root(signed.size);
    } catch (err) {
      problem({ record: `checkpoint #${cp.id}`, what: 'log root', expected: `the root of the first ${signed.size} leaves`, actual: (err as Error).message });
    }
    valid.push({ id: cp.id, size: signed.size, root: signed.root, time: signed.time, matches: root !== undefined && root.equals(signed.root) });
    if (root && !root.equals(signed.root)) {
      const prev = [...valid].reverse().find((x) => x.matches && x.size <= signed.size);
      const from = prev?.size ?? 0;
      problem({
        record: await nameRange(q, from, signed.size),
        what: `history rewritten: the log's first ${signed.size} leaves no longer have the root checkpoint #${cp.id} signed at ${signed.time}`,
        expected: signed.root.toString('base64'),
        actual: root.toString('base64'),
      });
    }
  }
  for (let i = 1; i < valid.length; i++) {
    const [p, r] = [valid[i - 1]!, valid[i]!];
    if (!p.matches || !r.matches) continue;
    try {
      const proof = await log.consistencyProof(p.size, r.size);
      const c = checkConsistency(p.size, r.size, proof, p.root, r.root);
      if (!c.ok) problem({ record: `checkpoints #${p.id} → #${r.id}`, what: 'consistency', expected: `size ${r.size} extends size ${p.size}`, actual: c.reason });
    } catch (err) {
      problem({ record: `checkpoints #${p.id} → #${r.id}`, what: 'consistency', expected: 'a consistency proof', actual: (err as Error).message });
    }
  }
  const latest = [...valid].reverse().find((x) => x.matches);
  if (latest) report.latestCheckpoint = { id: latest.id, size: latest.size, time: latest.time };
  report.uncovered = size - (latest?.size ?? 0);

  // 4. Records that are not in the log.
  report.pendingBackfill = await pendingBackfill(q);
  const bounds = (await q.query<{ backfill_snapshot_max: number; backfill_version_max: number }>('SELECT backfill_snapshot_max, backfill_version_max FROM evidence_log WHERE id = 1'))[0]!;
  for (const k of logKinds()) {
    const bound = k.kind === 'snapshot' ? Number(bounds.backfill_snapshot_max) : k.kind === 'version' ? Number(bounds.backfill_version_max) : 0;
    // k.table is a constant of registered code, never user input.
    const rows = await q.query<{ id: unknown }>(
      `SELECT t.id FROM ${k.table} t WHERE t.id > $2 AND NOT EXISTS (SELECT 1 FROM evidence_leaves l WHERE l.kind = $1 AND l.record_id = t.id) ORDER BY t.id LIMIT $3`,
      [k.kind, bound, max + 1],
    );
    for (const r of rows) {
      problem({ record: nameOf(k.kind, Number(r.id)), what: `${k.kind} not in the log`, expected: 'a leaf appended in the transaction that recorded it', actual: 'none: the row was written outside the recording path' });
    }
  }
  // Callers that only read the list must still see that it is incomplete.
  if (report.unlisted > 0) report.problems.push({ record: 'evidence log', what: `${report.unlisted} more problems not listed`, expected: 'none', actual: `${report.unlisted} more` });
  return report;
}

function tsaTrustedFrom(config: EvidenceConfig): X509Certificate[] | undefined {
  if (!config.tsaCaPath) return undefined;
  return parseCertificates(readFileSync(config.tsaCaPath, 'utf8'));
}

/** Names the records of leaves [from, to): all of them when few, else the first and the last. */
async function nameRange(q: Queryable, from: number, to: number): Promise<string> {
  const few = to - from <= 12;
  const rows = await q.query<{ leaf_index: unknown; kind: string; record_id: unknown; leaf_data: string }>(
    few
      ? 'SELECT leaf_index, kind, record_id, leaf_data FROM evidence_leaves WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index'
      : '(SELECT leaf_index, kind, record_id, leaf_data FROM evidence_leaves WHERE leaf_index >= $1 ORDER BY leaf_index LIMIT 1) UNION ALL (SELECT leaf_index, kind, record_id, leaf_data FROM evidence_leaves WHERE leaf_index < $2 ORDER BY leaf_index DESC LIMIT 1)',
    [from, to],
  );
  const names = rows.map((r) => nameOf(r.kind, Number(r.record_id), r.leaf_data));
  if (few) return `one of ${names.join(', ')} (leaves ${from}–${to - 1})`;
  return `a record among leaves ${from}–${to - 1} (${names.join(' … ')})`;
}

type Problem = (p: LogProblem) => void;

function describeLeaves(level: number, index: number, names: Map<number, string>): string {
  const from = index * 2 ** level;
  const to = from + 2 ** level;
  if (level <= 2) {
    const list: string[] = [];
    for (let i = from; i < to; i++) list.push(names.get(i) ?? `leaf #${i}`);
    return list.join(', ');
  }
  return `leaves ${from}–${to - 1} (${names.get(from) ?? `leaf #${from}`} … ${names.get(to - 1) ?? `leaf #${to - 1}`})`;
}

/** Levels 1..PAGE_LEVEL of the aligned page starting at leaf a: each node against its children. */
async function checkPageNodes(q: Queryable, a: number, size: number, page: (LeafInfo | undefined)[], names: Map<number, string>, problem: Problem, report: LogVerifyReport): Promise<void> {
  const end = Math.min(a + PAGE, size);
  const levels: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (let l = 1; l <= PAGE_LEVEL; l++) {
    const first = a / 2 ** l;
    const last = Math.floor(end / 2 ** l); // exclusive: complete subtrees only
    if (last > first) {
      levels.push(l);
      lo.push(first);
      hi.push(last);
    }
  }
  if (levels.length === 0) return;
  const rows = await q.query<{ level: number; idx: unknown; hash: Buffer }>(
    `SELECT n.level, n.idx, n.hash FROM unnest($1::int[], $2::bigint[], $3::bigint[]) AS r(l, lo, hi)
     CROSS JOIN LATERAL (SELECT level, idx, hash FROM evidence_nodes WHERE level = r.l AND idx >= r.lo AND idx < r.hi) n`,
    [levels, lo, hi],
  );
  const stored = new Map<string, Buffer>();
  for (const r of rows) stored.set(`${Number(r.level)}:${Number(r.idx)}`, Buffer.from(r.hash));
  report.nodes += rows.length;
  const at = (level: number, index: number): Buffer | undefined => (level === 0 ? page[index - a]?.hash : stored.get(`${level}:${index}`));
  for (const [n, l] of levels.entries()) {
    for (let i = lo[n]!; i < hi[n]!; i++) {
      const mine = stored.get(`${l}:${i}`);
      if (!mine) {
        problem({ record: `node (${l}, ${i})`, what: 'log node missing', expected: `the hash of ${describeLeaves(l, i, names)}`, actual: 'none' });
        continue;
      }
      const left = at(l - 1, 2 * i);
      const right = at(l - 1, 2 * i + 1);
      if (!left || !right) continue; // reported below it
      if (!nodeHash(left, right).equals(mine)) {
        problem({ record: describeLeaves(l, i, names), what: `log node (${l}, ${i}) is not the hash of its children`, expected: nodeHash(left, right).toString('hex'), actual: mine.toString('hex') });
      }
    }
  }
}

/** Levels above a page: few (size / 2^PAGE_LEVEL), checked in memory. */
async function checkUpperNodes(q: Queryable, size: number, problem: Problem, report: LogVerifyReport): Promise<void> {
  const rows = await q.query<{ level: number; idx: unknown; hash: Buffer }>('SELECT level, idx, hash FROM evidence_nodes WHERE level >= $1', [PAGE_LEVEL]);
  const stored = new Map<string, Buffer>();
  for (const r of rows) stored.set(`${Number(r.level)}:${Number(r.idx)}`, Buffer.from(r.hash));
  report.nodes += rows.filter((r) => Number(r.level) > PAGE_LEVEL).length;
  for (let l = PAGE_LEVEL + 1; 2 ** l <= size; l++) {
    for (let i = 0; i < Math.floor(size / 2 ** l); i++) {
      const mine = stored.get(`${l}:${i}`);
      const from = i * 2 ** l;
      const label = `leaves ${from}–${from + 2 ** l - 1}`;
      if (!mine) {
        problem({ record: `node (${l}, ${i})`, what: 'log node missing', expected: `the hash of ${label}`, actual: 'none' });
        continue;
      }
      const left = stored.get(`${l - 1}:${2 * i}`);
      const right = stored.get(`${l - 1}:${2 * i + 1}`);
      if (left && right && !nodeHash(left, right).equals(mine)) {
        problem({ record: label, what: `log node (${l}, ${i}) is not the hash of its children`, expected: nodeHash(left, right).toString('hex'), actual: mine.toString('hex') });
      }
    }
  }
}
