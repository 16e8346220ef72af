// A small recorded history on a real database, through the real recording functions: live pages
// (one and two pages), an unchanged fetch, a change, a return, an imported text, a failed fetch
// with bytes. Every test of the store-backed log starts from it.

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordFailure, recordPages, recordText } from '../../src/record/capture.ts';
import type { CapturedPage } from '../../src/record/capture.ts';
import { upsertDocument, upsertPlatform } from '../../src/record/registry.ts';
import type { Db, Queryable } from '../../src/store/db.ts';
import { leafHash, nodeHash } from '../../src/evidence/merkle.ts';
import { loadSigner } from '../../src/evidence/config.ts';
import type { EvidenceConfig, LogSigner } from '../../src/evidence/config.ts';

export const at = (day: number) => new Date(Date.UTC(2024, 0, day, 12, 0, 0, 123));

const body = (n: number) =>
  `<html><body><main><h1>Privacy Policy</h1>${Array.from({ length: 25 }, (_, i) => `<p>Clause ${i}: we keep item ${i} for ${n + i} days.</p>`).join('')}</main></body></html>`;

export const page = (html: string, day: number, url = 'https://acme.test/privacy'): CapturedPage => ({
  url,
  fetchedAt: at(day),
  mediaType: 'text/html',
  body: Buffer.from(html),
  text: html,
  fetcher: 'http',
});

export const rules = { pages: [{ url: 'https://acme.test/privacy', select: 'main' }] };

export interface History {
  documentId: number;
  versions: number[];
  snapshots: number[];
}

/** Records the history; returns the ids it created, oldest first. */
export async function recordHistory(db: Db): Promise<History> {
  const p = await upsertPlatform(db, { slug: 'acme', name: 'Acme' });
  const documentId = (await upsertDocument(db, p.id, 'privacy-policy', 'Privacy Policy')).id;
  const terms = (await upsertDocument(db, p.id, 'terms-of-service', 'Terms of Service')).id;
  const versions: number[] = [];
  const live = (n: number, day: number) => recordPages(db, { documentId, capturedAt: at(day), origin: 'live' }, [page(body(n), day)], rules);
  for (const [n, day] of [[1, 1], [1, 2], [2, 3], [1, 4]] as const) {
    const r = await live(n, day);
    if (r.versionId && r.outcome !== 'unchanged') versions.push(r.versionId);
  }
  const two = await recordPages(
    db,
    { documentId: terms, capturedAt: at(5), origin: 'live' },
    [page(body(7), 5, 'https://acme.test/terms'), page(body(8), 5, 'https://acme.test/terms?page=2')],
    { pages: [{ url: 'https://acme.test/terms', select: 'main' }, { url: 'https://acme.test/terms?page=2', select: 'main' }] },
  );
  if (two.versionId) versions.push(two.versionId);
  const imported = await recordText(db, { documentId: terms, capturedAt: at(6), origin: 'ota-versions', originRef: 'abc123' }, '# Terms\n\nImported text with ünïcödé.\n');
  if (imported.versionId) versions.push(imported.versionId);
  await recordFailure(db, { documentId, capturedAt: at(7), origin: 'live' }, { kind: 'http-status', url: 'https://acme.test/privacy', detail: 'HTTP 503', httpStatus: 503 }, [page('<html>busy</html>', 7)]);
  const snapshots = (await db.query<{ id: number }>('SELECT id FROM snapshots ORDER BY id')).map((r) => Number(r.id));
  return { documentId, versions, snapshots };
}

export function tempConfig(origin = 'test.clausewatch.local/log'): EvidenceConfig {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-evidence-'));
  return { keyPath: path.join(dir, 'keys', 'log-key.pem'), origin };
}

export function tempSigner(origin?: string): LogSigner {
  return loadSigner(tempConfig(origin));
}

/** What an attacker with database access does: new leaf data, its hash, and every node recomputed. */
export async function rewriteLeafAndTree(db: Queryable, index: number, data: string): Promise<void> {
  await db.query('UPDATE evidence_leaves SET leaf_data = $2, leaf_hash = $3 WHERE leaf_index = $1', [index, data, leafHash(Buffer.from(data, 'utf8'))]);
  const rows = await db.query<{ leaf_hash: Buffer }>('SELECT leaf_hash FROM evidence_leaves ORDER BY leaf_index');
  let level: Buffer[] = rows.map((r) => Buffer.from(r.leaf_hash));
  for (let l = 1; level.length > 1; l++) {
    const up: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      up.push(nodeHash(level[i]!, level[i + 1]!));
      await db.query('UPDATE evidence_nodes SET hash = $3 WHERE level = $1 AND idx = $2', [l, i / 2, up[up.length - 1]]);
    }
    level = up;
  }
}
