// Re-hashes every stored snapshot and text and names each record whose bytes no longer match its SHA-256.
import type { Queryable } from '../store/db.ts';
import { recordId } from '../domain/record-id.ts';
import { decodeBlob } from './blobs.ts';
import { sha256Hex } from './hash.ts';
// The evidence log is recomputed by its own module; its problems are reported here by record id too.
import { verifyLog, type LogVerifyReport } from '../evidence/verify-log.ts';

export interface Mismatch {
  record: string;
  what: string;
  expected: string;
  actual: string;
}

export interface VerifyReport {
  blobs: number;
  texts: number;
  snapshots: number;
  versions: number;
  mismatches: Mismatch[];
  /** The evidence log: leaves against records, nodes, signed checkpoints. */
  log?: LogVerifyReport;
}

export async function verifyStore(q: Queryable, onProgress?: (done: number, total: number) => void): Promise<VerifyReport> {
  const report: VerifyReport = { blobs: 0, texts: 0, snapshots: 0, versions: 0, mismatches: [] };
  const total = Number((await q.query<{ n: number }>('SELECT (SELECT count(*) FROM blobs) + (SELECT count(*) FROM texts) AS n'))[0]?.n ?? 0);
  let done = 0;
  // Keyset pagination keeps memory flat however large the store.
  let after = '';
  for (;;) {
    const rows = await q.query<{ sha256: string; encoding: string; data: Buffer }>(
      'SELECT sha256, encoding, data FROM blobs WHERE sha256 > $1 ORDER BY sha256 LIMIT 200',
      [after],
    );
    if (!rows.length) break;
    for (const r of rows) {
      report.blobs++;
      let actual: string;
      try {
        actual = sha256Hex(decodeBlob(r.encoding, r.data));
      } catch (err) {
        actual = `unreadable (${(err as Error).message})`;
      }
      if (actual !== r.sha256) {
        const snaps = await q.query<{ id: number }>('SELECT id FROM snapshots WHERE blob_sha256 = $1 ORDER BY id', [r.sha256]);
        for (const s of snaps) report.mismatches.push({ record: recordId('snapshot', s.id), what: 'snapshot bytes', expected: r.sha256, actual });
        if (!snaps.length) report.mismatches.push({ record: `blob ${r.sha256}`, what: 'stored bytes', expected: r.sha256, actual });
      }
      after = r.sha256;
      onProgress?.(++done, total);
    }
  }
  after = '';
  for (;;) {
    const rows = await q.query<{ sha256: string; body: string }>('SELECT sha256, body FROM texts WHERE sha256 > $1 ORDER BY sha256 LIMIT 500', [after]);
    if (!rows.length) break;
    for (const r of rows) {
      report.texts++;
      const actual = sha256Hex(r.body);
      if (actual !== r.sha256) {
        const versions = await q.query<{ id: number }>('SELECT id FROM versions WHERE text_sha256 = $1 ORDER BY id', [r.sha256]);
        for (const v of versions) report.mismatches.push({ record: recordId('version', v.id), what: 'version text', expected: r.sha256, actual });
        if (!versions.length) report.mismatches.push({ record: `text ${r.sha256}`, what: 'stored text', expected: r.sha256, actual });
      }
      after = r.sha256;
      onProgress?.(++done, total);
    }
  }
  // Records pointing at content that is gone are as broken as altered content.
  const orphans = await q.query<{ id: number }>('SELECT s.id FROM snapshots s LEFT JOIN blobs b ON b.sha256 = s.blob_sha256 WHERE b.sha256 IS NULL');
  for (const o of orphans) report.mismatches.push({ record: recordId('snapshot', o.id), what: 'snapshot bytes missing', expected: 'stored blob', actual: 'none' });
  const lost = await q.query<{ id: number }>('SELECT v.id FROM versions v LEFT JOIN texts t ON t.sha256 = v.text_sha256 WHERE t.sha256 IS NULL');
  for (const o of lost) report.mismatches.push({ record: recordId('version', o.id), what: 'version text missing', expected: 'stored text', actual: 'none' });
  report.snapshots = Number((await q.query<{ n: number }>('SELECT count(*)::int AS n FROM snapshots'))[0]?.n ?? 0);
  report.versions = Number((await q.query<{ n: number }>('SELECT count(*)::int AS n FROM versions'))[0]?.n ?? 0);
  report.log = await verifyLog(q);
  report.mismatches.push(...report.log.problems);
  return report;
}
