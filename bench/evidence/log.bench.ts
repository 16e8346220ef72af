// MerkleLog over the in-memory NodeStore at 10^3, 10^5 and 10^6 leaves: append time per leaf,
// inclusion and consistency proof time and size. Proof size and time should grow with log2(n),
// append time should stay flat. Run: node --import tsx bench/evidence/log.bench.ts [maxLeaves]

import { cpus, loadavg, totalmem } from 'node:os';
import { MerkleLog } from '../../src/evidence/log.ts';
import { verifyConsistency, verifyInclusion } from '../../src/evidence/merkle.ts';
import { MemoryNodeStore } from '../../src/evidence/node-store.ts';

const MILESTONES = [1_000, 100_000, 1_000_000].filter((n) => n <= Number(process.argv[2] ?? 1_000_000));
const APPEND_WINDOW = 10_000; // appends timed just before each milestone
const SAMPLES = 2_000; // proofs per milestone

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** Deterministic PRNG, so the same indices are sampled on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const us = (ns: number): string => (ns / 1000).toFixed(1);

/** Counts node reads: unlike times on a shared machine, these are exact, and show the O(log n). */
class CountingStore extends MemoryNodeStore {
  reads = 0;
  override get(level: number, index: number): Buffer | undefined {
    this.reads++;
    return super.get(level, index);
  }
}

interface Row {
  n: number;
  appendMedian: number;
  appendP99: number;
  inclMedian: number;
  inclP99: number;
  inclHashesMax: number;
  inclHashesMean: number;
  verifyMedian: number;
  consMedian: number;
  consP99: number;
  consHashesMax: number;
  consHashesMean: number;
  rootMedian: number;
  appendReadsMean: number;
  appendReadsMax: number;
  inclReadsMax: number;
  consReadsMax: number;
}

/** Runs every code path on a throwaway log first, so the 10^3 row does not time the JIT warming up. */
async function warmUp(): Promise<void> {
  const log = new MerkleLog(new MemoryNodeStore());
  const leaf = Buffer.alloc(200);
  for (let i = 0; i < 20_000; i++) {
    leaf.writeUInt32BE(i, 0);
    await log.append(leaf);
  }
  for (let i = 1; i < 20_000; i += 7) {
    const p = await log.inclusionProof(i - 1, i);
    verifyInclusion(await log.leafHash(i - 1), i - 1, i, p, await log.root(i));
    await log.consistencyProof(Math.floor(i / 2), i);
  }
}

async function main(): Promise<void> {
  await warmUp();
  const store = new CountingStore();
  const log = new MerkleLog(store);
  const rand = rng(2024);
  const leaf = Buffer.alloc(200); // about the size of a canonical record leaf
  const rows: Row[] = [];
  let size = 0;
  const started = process.hrtime.bigint();
  for (const n of MILESTONES) {
    const times: number[] = [];
    const appendReads: number[] = [];
    while (size < n) {
      leaf.writeUInt32BE(size, 0);
      const timed = n - size <= APPEND_WINDOW;
      store.reads = 0;
      const t0 = process.hrtime.bigint();
      await log.append(leaf);
      if (timed) times.push(Number(process.hrtime.bigint() - t0));
      appendReads.push(store.reads);
      size++;
    }

    const root = await log.root(n);
    const inclTimes: number[] = [];
    const verifyTimes: number[] = [];
    const inclSizes: number[] = [];
    const inclReads: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      const i = Math.floor(rand() * n);
      store.reads = 0;
      const t0 = process.hrtime.bigint();
      const p = await log.inclusionProof(i, n);
      inclTimes.push(Number(process.hrtime.bigint() - t0));
      inclReads.push(store.reads);
      inclSizes.push(p.length);
      const lh = await log.leafHash(i);
      const t1 = process.hrtime.bigint();
      const ok = verifyInclusion(lh, i, n, p, root);
      verifyTimes.push(Number(process.hrtime.bigint() - t1));
      if (!ok) throw new Error(`inclusion proof for ${i} of ${n} does not verify`);
    }

    const consTimes: number[] = [];
    const consSizes: number[] = [];
    const rootTimes: number[] = [];
    const consReads: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      const m = 1 + Math.floor(rand() * (n - 1));
      const t0 = process.hrtime.bigint();
      const oldRoot = await log.root(m);
      rootTimes.push(Number(process.hrtime.bigint() - t0));
      store.reads = 0;
      const t1 = process.hrtime.bigint();
      const p = await log.consistencyProof(m, n);
      consTimes.push(Number(process.hrtime.bigint() - t1));
      consReads.push(store.reads);
      consSizes.push(p.length);
      if (s % 10 === 0 && !verifyConsistency(m, n, p, oldRoot, root)) throw new Error(`consistency proof ${m} → ${n} does not verify`);
    }

    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    rows.push({
      n,
      appendMedian: quantile(times, 0.5),
      appendP99: quantile(times, 0.99),
      inclMedian: quantile(inclTimes, 0.5),
      inclP99: quantile(inclTimes, 0.99),
      inclHashesMax: Math.max(...inclSizes),
      inclHashesMean: mean(inclSizes),
      verifyMedian: quantile(verifyTimes, 0.5),
      consMedian: quantile(consTimes, 0.5),
      consP99: quantile(consTimes, 0.99),
      consHashesMax: Math.max(...consSizes),
      consHashesMean: mean(consSizes),
      rootMedian: quantile(rootTimes, 0.5),
      appendReadsMean: mean(appendReads),
      appendReadsMax: appendReads.reduce((a, b) => Math.max(a, b), 0),
      inclReadsMax: Math.max(...inclReads),
      consReadsMax: Math.max(...consReads),
    });
  }
  const totalS = Number(process.hrtime.bigint() - started) / 1e9;
  const mem = process.memoryUsage();

  const cpu = cpus();
  console.log(`machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (shared)`);
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`leaf data 200 bytes; append times are the last ${APPEND_WINDOW} appends before each size; ${SAMPLES} random proofs per size\n`);
  const header = ['leaves', 'log2 n', 'append µs med', 'append µs p99', 'incl µs med', 'incl µs p99', 'incl hashes max/mean', 'incl bytes max', 'verify µs med', 'cons µs med', 'cons µs p99', 'cons hashes max/mean', 'root(m) µs med', 'reads: append mean/max', 'incl max', 'cons max'];
  const table = rows.map((r) => [
    r.n.toLocaleString('en'),
    Math.log2(r.n).toFixed(1),
    us(r.appendMedian),
    us(r.appendP99),
    us(r.inclMedian),
    us(r.inclP99),
    `${r.inclHashesMax}/${r.inclHashesMean.toFixed(1)}`,
    String(r.inclHashesMax * 32),
    us(r.verifyMedian),
    us(r.consMedian),
    us(r.consP99),
    `${r.consHashesMax}/${r.consHashesMean.toFixed(1)}`,
    us(r.rootMedian),
    `${r.appendReadsMean.toFixed(2)}/${r.appendReadsMax}`,
    String(r.inclReadsMax),
    String(r.consReadsMax),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of table) console.log(line(row));
  console.log(`\ntotal ${totalS.toFixed(1)} s for ${size.toLocaleString('en')} appends and the proofs; rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB, buffers ${(mem.arrayBuffers / 2 ** 20).toFixed(0)} MiB`);
}

await main();
