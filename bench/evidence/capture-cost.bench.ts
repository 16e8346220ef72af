// What logging adds to recording one capture: captures are recorded through the real functions
// (src/record/capture.ts) and the time spent building their leaves and appending them
// (logTimer) is compared with the whole capture, for a changed page (snapshot + version), an
// unchanged page (snapshot only, same bytes) and an imported text (version only); and the number
// of queries logging adds, which unlike times does not depend on the machine's load.
// Run: node --import tsx bench/evidence/capture-cost.bench.ts [captures=150] [pglite,postgres]

import type { Db, Queryable } from '../../src/store/db.ts';
import { recordPages, recordText } from '../../src/record/capture.ts';
import { upsertDocument, upsertPlatform } from '../../src/record/registry.ts';
import { logTimer } from '../../src/evidence/db-log.ts';
import os from 'node:os';
import { machine } from '../machine.ts';
import { openBenchDb } from './open-db.ts';

const N = Number(process.argv[2] ?? 150);
const DRIVERS = (process.argv[3] ?? 'pglite,postgres').split(',');

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const ms = (ns: number) => (ns / 1e6).toFixed(2);

/** Counts the queries a transaction makes, and those made inside the evidence module. */
function counting(db: Db): { db: Db; count: () => number } {
  let n = 0;
  const wrap = (x: Queryable): Queryable => ({ query: (s, p) => (n++, x.query(s, p)) });
  return { db: { ...db, ...wrap(db), kind: db.kind, transaction: (fn) => db.transaction((tx) => fn(wrap(tx))), close: () => db.close() }, count: () => n };
}

const html = (i: number) =>
  `<html><body><main><h1>Terms</h1>${Array.from({ length: 60 }, (_, k) => `<p>Clause ${k}: the service may keep item ${k} for ${k === 30 ? i : k} days, as the law allows.</p>`).join('')}</main></body></html>`;

async function run(driver: string): Promise<string[]> {
  const opened = await openBenchDb(driver, 'capture');
  const { db, count } = counting(opened.db);
  const out: string[] = [];
  try {
    const p = await upsertPlatform(db, { slug: 'bench', name: 'Bench' });
    const doc = (await upsertDocument(db, p.id, 'terms-of-service', 'Terms')).id;
    const imported = (await upsertDocument(db, p.id, 'privacy-policy', 'Privacy')).id;
    const rules = { pages: [{ url: 'https://bench.test/terms', select: 'main' }] };
    const kinds: Record<string, { total: number[]; log: number[]; queries: number[]; leaves: number }> = {};
    const measure = async (kind: string, fn: () => Promise<unknown>) => {
      const k = (kinds[kind] ??= { total: [], log: [], queries: [], leaves: 0 });
      const before = logTimer.appendNs + logTimer.buildNs;
      const leaves = logTimer.leaves;
      const q0 = count();
      const t0 = process.hrtime.bigint();
      await fn();
      k.total.push(Number(process.hrtime.bigint() - t0));
      k.log.push(Number(logTimer.appendNs + logTimer.buildNs - before));
      k.queries.push(count() - q0);
      k.leaves += logTimer.leaves - leaves;
    };
    for (let i = 0; i < N; i++) {
      const at = new Date(Date.UTC(2024, 0, 1) + i * 3_600_000);
      const page = (h: string) => ({ url: 'https://bench.test/terms', fetchedAt: at, mediaType: 'text/html', body: Buffer.from(h), text: h, fetcher: 'http' });
      await measure('changed page (snapshot + version)', () => recordPages(db, { documentId: doc, capturedAt: at, origin: 'live' }, [page(html(i))], rules));
      const later = new Date(at.getTime() + 60_000);
      await measure('unchanged page, same bytes (snapshot)', () => recordPages(db, { documentId: doc, capturedAt: later, origin: 'live' }, [{ ...page(html(i)), fetchedAt: later }], rules));
      await measure('imported text (version)', () => recordText(db, { documentId: imported, capturedAt: at, origin: 'ota-versions', originRef: `c${i}` }, `# Privacy\n\n${html(i).replace(/<[^>]+>/g, '\n')}`));
    }
    for (const [kind, k] of Object.entries(kinds)) {
      const total = q(k.total, 0.5);
      const log = q(k.log, 0.5);
      // The queries logging adds: building the records (2) and the append (3-4); the rest is the capture.
      out.push(`| ${driver} | ${kind} | ${ms(total)} | ${ms(log)} | ${((100 * k.log.reduce((a, b) => a + b, 0)) / k.total.reduce((a, b) => a + b, 0)).toFixed(0)}% | ${(k.leaves / k.total.length).toFixed(1)} | ${(k.queries.reduce((a, b) => a + b, 0) / k.queries.length).toFixed(1)} |`);
    }
  } finally {
    await opened.done();
  }
  return out;
}

console.log('# what the evidence log adds to recording a capture');
console.log(`machine: ${machine()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (shared)`);
console.log(`${N} captures of each kind; medians; logging = building the leaf records + appending them, inside the capture's transaction\n`);
console.log('| driver | capture | capture ms med | of which logging ms med | logging share of total time | leaves per capture | queries per capture (all) |');
console.log('|---|---|---|---|---|---|---|');
for (const d of DRIVERS) for (const row of await run(d)) console.log(row);
