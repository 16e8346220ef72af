// The log in the database (DbNodeStore, appendToLog) on PGlite and PostgreSQL: time of one append
// (its own transaction, as a capture makes it), inclusion and consistency proofs, and a full
// verification, at 10^3, 10^5 and (with a larger argument) 10^6 leaves. The log is filled up to
// each size with batched appends, then single appends and proofs are timed there.
// Run: node --import tsx bench/evidence/db-log.bench.ts [maxLeaves=100000] [pglite,postgres] [verify]
// PostgreSQL: a throwaway database on CLAUSEWATCH_TEST_PG (default postgres://postgres@127.0.0.1:5432/postgres).

import { appendToLog, dbLog } from '../../src/evidence/db-log.ts';
import type { LogEntry } from '../../src/evidence/db-log.ts';
import { sha256Hex } from '../../src/evidence/leaf.ts';
import { verifyConsistency, verifyInclusion } from '../../src/evidence/merkle.ts';
import { verifyLog } from '../../src/evidence/verify-log.ts';
import os from 'node:os';
import { machine } from '../machine.ts';
import { openBenchDb } from './open-db.ts';

const MAX = Number(process.argv[2] ?? 100_000);
const DRIVERS = (process.argv[3] ?? 'pglite,postgres').split(',');
const VERIFY = process.argv[4] === 'verify';
const MILESTONES = [1_000, 100_000, 1_000_000].filter((n) => n <= MAX);
const FILL_BATCH = 2_000;
const APPENDS = 200;
const PROOFS = 200;

const entry = (i: number): LogEntry => ({
  kind: 'bench-item',
  recordId: i + 1,
  // About the size of a real version leaf (platform, document, url, hashes).
  record: {
    kind: 'bench-item',
    id: `CW-V-${String(i + 1).padStart(6, '0')}`,
    sha256: sha256Hex(`text ${i}`),
    time: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
    platform: 'example-platform',
    document: 'terms-of-service',
    url: 'https://www.example.com/legal/terms-of-service',
    snapshotSha256: sha256Hex(`snapshot ${i}`),
    parentId: `CW-S-${String(i + 1).padStart(6, '0')}`,
  },
});

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const ms = (ns: number) => (ns / 1e6).toFixed(2);
const now = () => process.hrtime.bigint();

async function run(driver: string): Promise<string[]> {
  const { db, done } = await openBenchDb(driver, 'log');
  const rows: string[] = [];
  try {
    let size = 0;
    let fillNs = 0n;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const n of MILESTONES) {
      const t0 = now();
      while (size < n - APPENDS) {
        const k = Math.min(FILL_BATCH, n - APPENDS - size);
        const batch = Array.from({ length: k }, (_, j) => entry(size + j));
        await db.transaction((tx) => appendToLog(tx, batch));
        size += k;
      }
      fillNs += now() - t0;
      const appendTimes: number[] = [];
      const nodesWritten: number[] = [];
      for (let i = 0; i < APPENDS; i++) {
        const e = entry(size);
        const s = now();
        await db.transaction((tx) => appendToLog(tx, [e]));
        appendTimes.push(Number(now() - s));
        let ones = 0;
        for (let x = size; x % 2 === 1; x = (x - 1) / 2) ones++;
        nodesWritten.push(1 + ones);
        size++;
      }
      const log = dbLog(db);
      const root = await log.root(n);
      const inclTimes: number[] = [];
      const inclLens: number[] = [];
      for (let i = 0; i < PROOFS; i++) {
        const idx = Math.floor(rand() * n);
        const s = now();
        const proof = await log.inclusionProof(idx, n);
        inclTimes.push(Number(now() - s));
        inclLens.push(proof.length);
        if (i % 20 === 0 && !verifyInclusion(await log.leafHash(idx), idx, n, proof, root)) throw new Error(`proof ${idx}/${n} fails`);
      }
      const consTimes: number[] = [];
      const consLens: number[] = [];
      for (let i = 0; i < PROOFS / 4; i++) {
        const m = 1 + Math.floor(rand() * (n - 1));
        const s = now();
        const proof = await log.consistencyProof(m, n);
        consTimes.push(Number(now() - s));
        consLens.push(proof.length);
        if (i % 10 === 0 && !verifyConsistency(m, n, proof, await log.root(m), root)) throw new Error(`consistency ${m}→${n} fails`);
      }
      let verifyS = '-';
      if (VERIFY) {
        const s = now();
        const r = await verifyLog(db, { config: { keyPath: '/nonexistent', origin: 'bench/log' } });
        if (r.problems.length) throw new Error(`verify found ${r.problems.length} problems: ${JSON.stringify(r.problems[0])}`);
        verifyS = (Number(now() - s) / 1e9).toFixed(1);
      }
      rows.push(
        `| ${driver} | ${n.toLocaleString('en')} | ${ms(q(appendTimes, 0.5))} | ${ms(q(appendTimes, 0.99))} | ${(nodesWritten.reduce((a, b) => a + b, 0) / nodesWritten.length).toFixed(2)}/${Math.max(...nodesWritten)} | ${ms(q(inclTimes, 0.5))} | ${ms(q(inclTimes, 0.99))} | ${Math.max(...inclLens)} (${Math.max(...inclLens) * 32} B) | ${ms(q(consTimes, 0.5))} | ${Math.max(...consLens)} | ${verifyS} |`,
      );
      console.error(`${driver} ${n}: done (fill so far ${(Number(fillNs) / 1e9).toFixed(1)} s)`);
    }
    rows.push(`| ${driver} | fill | batched appends of ${FILL_BATCH}: ${(size / (Number(fillNs) / 1e9)).toFixed(0)} leaves/s | | | | | | | | |`);
  } finally {
    await done();
  }
  return rows;
}

console.log(`# evidence log in the database`);
console.log(`machine: ${machine()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (shared)`);
console.log(`leaf ≈ 330 bytes; append = one leaf in its own transaction; ${APPENDS} appends and ${PROOFS} inclusion proofs per size\n`);
console.log('| driver | leaves | append ms med | append ms p99 | rows written mean/max | inclusion ms med | inclusion ms p99 | inclusion hashes max | consistency ms med | consistency hashes max | verify s |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const d of DRIVERS) for (const row of await run(d)) console.log(row);
