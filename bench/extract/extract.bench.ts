// Extraction throughput on the real snapshot corpus, ours against Open Terms Archive's jsdom + turndown
// pipeline, with the same select/remove per snapshot, and the text each keeps.
// Data: Open Terms Archive (https://opentermsarchive.org), ODC-By 1.0.
//
//   node --import tsx bench/extract/extract.bench.ts [--passes N] [--baseline-passes N] [--no-baseline]
//
// "Per core" figures use the process's CPU time (the machine is shared, so wall time mostly measures the
// neighbours); wall-clock figures are printed beside them.
import os from 'node:os';
import { extractMarkdown } from '../../src/extract/index.ts';
import { visibleTextLength } from '../../src/extract/quality.ts';
import { loadCorpus, readSnapshot, type Snapshot } from '../../test/extract/corpus.ts';
import { machine } from '../machine.ts';
import { baselineExtract } from './baseline.ts';

interface Doc {
  snap: Snapshot;
  html: string;
  bytes: number;
}

function arg(name: string, fallback: number): number {
  const k = process.argv.indexOf(name);
  return k === -1 ? fallback : Number(process.argv[k + 1]);
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Pass {
  cpu: number;
  wall: number;
}

function timePass(docs: Doc[], run: (d: Doc) => string, out?: string[]): Pass {
  const c0 = cpuMs();
  const w0 = performance.now();
  for (let k = 0; k < docs.length; k++) {
    const md = run(docs[k]!);
    if (out) out[k] = md;
  }
  return { cpu: cpuMs() - c0, wall: performance.now() - w0 };
}

/** Turndown writes images as ![alt](src); count their alt text as text, like ours does. */
function keptText(markdown: string): number {
  return visibleTextLength(markdown.replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1'));
}

function main(): void {
  const passes = arg('--passes', 5);
  const baselinePasses = arg('--baseline-passes', 1);
  const withBaseline = !process.argv.includes('--no-baseline');

  const docs: Doc[] = loadCorpus().map((snap) => {
    const html = readSnapshot(snap);
    return { snap, html, bytes: Buffer.byteLength(html) };
  });
  const mb = docs.reduce((a, d) => a + d.bytes, 0) / 1e6;
  console.log(`machine: ${machine()}; cpu model ${os.cpus()[0]?.model ?? 'unknown'}, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`corpus: ${docs.length} snapshots, ${mb.toFixed(1)} MB of HTML`);

  const ours = (d: Doc): string => extractMarkdown(d.html, { url: d.snap.url, select: d.snap.select, remove: d.snap.remove }).markdown;
  const oursOut: string[] = [];
  timePass(docs, ours, oursOut); // warm-up: JIT and selector caches
  const oursPasses: Pass[] = [];
  for (let p = 0; p < passes; p++) oursPasses.push(timePass(docs, ours));
  const rssMb = process.resourceUsage().maxRSS / 1024;

  const rate = (ps: Pass[], key: 'cpu' | 'wall'): { best: number; median: number } => {
    const rates = ps.map((p) => mb / (p[key] / 1000));
    return { best: Math.max(...rates), median: median(rates) };
  };
  const oc = rate(oursPasses, 'cpu');
  const ow = rate(oursPasses, 'wall');
  const docsPerS = docs.length / (median(oursPasses.map((p) => p.cpu)) / 1000);
  console.log(`ours: ${oc.best.toFixed(1)} MB/s best, ${oc.median.toFixed(1)} MB/s median per core (CPU time, ${passes} passes); wall ${ow.best.toFixed(1)} best / ${ow.median.toFixed(1)} median MB/s; ${docsPerS.toFixed(0)} docs/s; peak RSS ${rssMb.toFixed(0)} MB`);

  if (!withBaseline) return;
  const base = (d: Doc): string => baselineExtract(d.html, d.snap.url, d.snap.select, d.snap.remove);
  const baseOut: string[] = [];
  timePass(docs.slice(0, 20), base); // warm-up
  const basePasses: Pass[] = [];
  for (let p = 0; p < baselinePasses; p++) basePasses.push(timePass(docs, base, baseOut));
  const bc = rate(basePasses, 'cpu');
  const bw = rate(basePasses, 'wall');
  console.log(`baseline jsdom + turndown: ${bc.best.toFixed(2)} MB/s best, ${bc.median.toFixed(2)} MB/s median per core (CPU time, ${baselinePasses} passes); wall ${bw.median.toFixed(2)} MB/s`);
  console.log(`ratio: ${(oc.best / bc.best).toFixed(1)}x best/best, ${(oc.median / bc.median).toFixed(1)}x median/median (CPU time); ${(ow.median / bw.median).toFixed(1)}x wall median`);

  let oursText = 0;
  let baseText = 0;
  const less: string[] = [];
  for (let k = 0; k < docs.length; k++) {
    const a = keptText(oursOut[k]!);
    const b = keptText(baseOut[k]!);
    oursText += a;
    baseText += b;
    if (a < b * 0.99) less.push(`${docs[k]!.snap.folder}/${docs[k]!.snap.file}: ours ${a}, baseline ${b}`);
  }
  console.log(`kept text (letters and digits of visible words): ours ${oursText}, baseline ${baseText} (${((oursText / baseText) * 100).toFixed(2)}%); snapshots where ours keeps >1% less: ${less.length}`);
  for (const l of less.slice(0, 10)) console.log(`  ${l}`);
}

main();
