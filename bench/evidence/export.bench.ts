// What an evidence bundle costs to make and to check: a ~10,000-word policy recorded through the real
// functions in 3 versions and analysed, padded with other leaves to a log of --leaves, then median
// export time (database reads, three inclusion proofs for a provision, the self-check before it is
// handed out), offline verification time and bundle size, for a snapshot, a version and a provision.
// Run: node --import tsx bench/evidence/export.bench.ts [leaves=10000] [pglite,postgres]

import { recordPages } from '../../src/record/capture.ts';
import { upsertDocument, upsertPlatform } from '../../src/record/registry.ts';
import { appendToLog } from '../../src/evidence/db-log.ts';
import { makeCheckpoint } from '../../src/evidence/checkpoint-store.ts';
import { loadSigner } from '../../src/evidence/config.ts';
import { exportEvidence } from '../../src/evidence/export.ts';
import { verifyBundle } from '../../src/evidence/bundle.ts';
import { sha256Hex } from '../../src/evidence/leaf.ts';
import { analysePending } from '../../src/analyse/store/index.ts';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { machine } from '../machine.ts';
import { openBenchDb } from './open-db.ts';

const LEAVES = Number(process.argv[2] ?? 10_000);
const DRIVERS = (process.argv[3] ?? 'pglite,postgres').split(',');
const ROUNDS = 30;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// About 10,000 words: 120 paragraphs of ~85 words; version i edits a few of them.
const words = 'we may collect store process share and use your personal information content and usage data to provide improve and secure the service and to train our models unless you opt out in settings where the law allows'.split(' ');
const paragraph = (k: number, edit: number) => Array.from({ length: 85 }, (_, w) => words[(k * 7 + w) % words.length]).join(' ') + (k % 40 === edit ? ` (revision ${edit})` : '') + '.';
const html = (edit: number) => `<html><body><main><h1>Privacy Policy</h1>${Array.from({ length: 120 }, (_, k) => `${k % 15 === 0 ? `<h2>Section ${k / 15 + 1}</h2>` : ''}<p>${paragraph(k, edit)}</p>`).join('')}</main></body></html>`;

async function run(driver: string): Promise<string> {
  const { db, done } = await openBenchDb(driver, 'export');
  try {
    const signer = loadSigner({ keyPath: path.join(mkdtempSync(path.join(os.tmpdir(), 'cw-bench-key-')), 'k.pem'), origin: 'bench.clausewatch/log' });
    const p = await upsertPlatform(db, { slug: 'bench', name: 'Bench' });
    const doc = (await upsertDocument(db, p.id, 'privacy-policy', 'Privacy Policy')).id;
    const rules = { pages: [{ url: 'https://bench.test/privacy', select: 'main' }] };
    const versions: number[] = [];
    for (let i = 0; i < 3; i++) {
      const at = new Date(Date.UTC(2025, 0, 1 + i));
      const body = html(i);
      const r = await recordPages(db, { documentId: doc, capturedAt: at, origin: 'live' }, [{ url: rules.pages[0]!.url, fetchedAt: at, mediaType: 'text/html', body: Buffer.from(body), text: body, fetcher: 'http' }], rules);
      if (r.versionId) versions.push(r.versionId);
    }
    await analysePending(db);
    // Pad the log with other records (as many leaves as a larger store would hold), in batches.
    const have = Number((await db.query<{ size: number }>('SELECT size FROM evidence_log'))[0]!.size);
    for (let start = have; start < LEAVES; start += 1000) {
      const n = Math.min(1000, LEAVES - start);
      await db.transaction((tx) => appendToLog(tx, Array.from({ length: n }, (_, i) => ({ kind: 'snapshot', recordId: 1_000_000 + start + i, record: { kind: 'snapshot', id: `pad-${start + i}`, sha256: sha256Hex(`pad ${start + i}`), time: '2025-01-01T00:00:00.000Z' } }))));
    }
    await makeCheckpoint(db, signer);
    const v = versions.at(-1)!;
    const s = Number((await db.query<{ id: number }>('SELECT id FROM snapshots ORDER BY id DESC LIMIT 1'))[0]!.id);
    const pid = Number((await db.query<{ id: number }>('SELECT p.id FROM provisions p WHERE p.current_text_id IS NOT NULL ORDER BY p.id DESC LIMIT 1'))[0]!.id);
    const rows: string[] = [];
    for (const [label, id] of [['snapshot', `CW-S-${String(s).padStart(6, '0')}`], ['version', `CW-V-${String(v).padStart(6, '0')}`], ['provision', `CW-P-${String(pid).padStart(6, '0')}`]] as const) {
      const ex: number[] = [];
      const ve: number[] = [];
      let bytes = 0;
      let proofs = 0;
      for (let r = 0; r < ROUNDS; r++) {
        const t0 = performance.now();
        const b = (await exportEvidence(db, id, signer)).bundle;
        ex.push(performance.now() - t0);
        const text = JSON.stringify(b);
        bytes = Buffer.byteLength(text);
        proofs = b.inclusionProof.length + (b.sources ?? []).reduce((n, x) => n + x.inclusionProof.length, 0);
        const t1 = performance.now();
        if (!verifyBundle(text).ok) throw new Error(`${id} does not verify`);
        ve.push(performance.now() - t1);
      }
      rows.push(`| ${driver} | ${LEAVES.toLocaleString('en')} | ${label} | ${median(ex).toFixed(1)} ms | ${median(ve).toFixed(2)} ms | ${(bytes / 1024).toFixed(0)} KiB | ${proofs} |`);
    }
    return rows.join('\n');
  } finally {
    await done();
  }
}

console.log(`machine: ${machine()}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('| driver | leaves | bundle | export (median) | verify offline (median) | size | proof hashes |');
console.log('|---|---|---|---|---|---|---|');
for (const d of DRIVERS) console.log(await run(d));
