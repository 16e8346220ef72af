// Load test of the analysis pages and API with autocannon, on loopback, over a database of more than
// 100,000 provisions built by the real pipeline (bench/web/provision-data.ts; cached between runs).
// Scenarios: provision record pages, platform pages, search over provisions, clause-type pages, and the
// matching API endpoints, with the response cache on (after one cold pass, whose mean and max are reported),
// off (every request renders: the cost right after the data changed, before pages are rendered ahead), and
// "store": the memory cache on over far more distinct pages than it holds, so nearly every request is a
// page nobody asked for since the server started, read from the page store filled by `render-pages`.
// Usage: node --import tsx bench/web/provisions.bench.ts [seconds per scenario, default 10]
// Env: CLAUSEWATCH_BENCH_PROVISIONS_DATA (PGlite folder), CLAUSEWATCH_BENCH_PROVISIONS (target, default 100000),
// DATABASE_URL (a PostgreSQL database instead: filled the same way when it holds fewer provisions),
// CLAUSEWATCH_BENCH_ONLY=on|off|store (run only those scenarios).
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { openDb } from '../../src/store/db.ts';
import { buildServer } from '../../src/web/server.ts';
import { latestCheckpoint, makeCheckpoint } from '../../src/evidence/checkpoint-store.ts';
import { evidenceConfig, loadSigner } from '../../src/evidence/config.ts';
import { prerenderPages } from '../../src/web/prerender.ts';
import { migrate } from '../../src/store/migrate.ts';
import { paths } from '../../src/web/paths.ts';
import { machine } from '../machine.ts';
import { drain, load, startServer } from './load.ts';
import { buildProvisionData, provisionCount } from './provision-data.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const seconds = Number(process.argv[2] ?? 10);
const dataDir = process.env.CLAUSEWATCH_BENCH_PROVISIONS_DATA ?? path.join(os.tmpdir(), 'clausewatch-bench-provisions');
const target = Number(process.env.CLAUSEWATCH_BENCH_PROVISIONS ?? 100_000);
const pgUrl = process.env.DATABASE_URL || '';
const where = pgUrl || dataDir;
const only = process.env.CLAUSEWATCH_BENCH_ONLY;

function spread<T>(all: T[], n: number, offset = 0): T[] {
  const step = Math.max(1, Math.floor(all.length / n));
  return all.filter((_, i) => (i + offset) % step === 0).slice(0, n);
}

async function prepare() {
  const db = await openDb(pgUrl ? { url: pgUrl } : { url: '', dataDir });
  try {
    await migrate(db);
    if ((await provisionCount(db)) < target) {
      process.stderr.write(`building ${target} provisions in ${pgUrl ? 'PostgreSQL' : dataDir} through the pipeline (once; minutes)…\n`);
      await buildProvisionData(db, root, target, (s) => process.stderr.write(s));
    }
    // As after every tracking run: a signed checkpoint, so provision pages carry their inclusion proof.
    if (!(await latestCheckpoint(db))) await makeCheckpoint(db, loadSigner(evidenceConfig({ CLAUSEWATCH_DATA: path.join(os.tmpdir(), 'clausewatch-bench-key') })));
    const ids = (await db.query<{ id: number }>('SELECT id FROM provisions WHERE removed_version_id IS NULL ORDER BY id')).map((r) => Number(r.id));
    const slugs = (await db.query<{ slug: string }>('SELECT slug FROM platforms p WHERE EXISTS (SELECT 1 FROM documents d JOIN versions v ON v.document_id = d.id WHERE d.platform_id = p.id) ORDER BY id')).map((r) => r.slug);
    const types = (await db.query<{ t: string }>('SELECT DISTINCT unnest(type_ids) AS t FROM provision_texts ORDER BY 1')).map((r) => r.t);
    const totals = (await db.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM platforms) AS platforms, (SELECT count(*)::int FROM documents) AS documents, (SELECT count(*)::int FROM versions) AS versions,
              (SELECT count(*)::int FROM provisions) AS provisions, (SELECT count(*)::int FROM provision_texts) AS provision_texts,
              (SELECT count(*)::int FROM provision_texts WHERE severity IS NOT NULL) AS with_severity`,
    ))[0]!;
    return { ids, slugs, types, totals };
  } finally {
    await db.close();
  }
}

async function warm(url: string, urls: string[]): Promise<{ mean: number; p50: number; max: number }> {
  const times: number[] = [];
  for (const p of urls) {
    const t0 = performance.now();
    const res = await fetch(url + p);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${p}: HTTP ${res.status}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { mean: times.reduce((a, b) => a + b, 0) / times.length, p50: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]! };
}

/** Renders every page into the store (what a server does by itself once idle); quick when they are there. */
async function renderAhead(): Promise<void> {
  const db = await openDb(pgUrl ? { url: pgUrl } : { url: '', dataDir });
  const server = await buildServer({ db, indexer: false, pdf: false, pages: { dir: store.dir }, publicUrl: store.publicUrl });
  try {
    const r = await prerenderPages(server, store.publicUrl);
    console.log(`page store: ${r.rendered} pages rendered (${(r.ms / 1000).toFixed(0)} s), ${r.present} already there`);
  } finally {
    await server.close();
    await db.close();
  }
}

const { ids, slugs, types, totals } = await prepare();
const hot = spread(ids, 1000);
const cold = spread(ids, 2000, 7);
const queries = ['arbitration', 'train models', 'personal data', '"class action"', 'cookies', 'delete account', 'children', 'license content', 'law enforcement', 'refund'];
const search = queries.flatMap((q, i) => [paths.provisions({ q }), paths.provisions({ q, severity: 'high' }), paths.provisions({ q, clause_type: types[i % types.length], platform: slugs[i % slugs.length] })]);
const platformUrls = spread(slugs, 100).map((s) => paths.platform(s));
const clauseUrls = types.map((t) => paths.clauseType(t));
type Mode = 'on' | 'off' | 'store';
const many = spread(ids, 20_000, 3);
const manySet = new Set(many);
const scenarios: [string, string[], Mode[], Record<string, string>?][] = [
  ['provision page, 20,000 others', many.map((id) => paths.provision(id)), ['store']],
  ['provision page, 20,000 others, gzip', many.map((id) => paths.provision(id)), ['store'], { 'accept-encoding': 'gzip' }],
  ['platform page, all', slugs.map((s) => paths.platform(s)), ['store']],
  ['provision page', hot.map((id) => paths.provision(id)), ['on']],
  ['provision page, 2,000 others', cold.map((id) => paths.provision(id)), ['off']],
  ['platform page', platformUrls, ['on', 'off']],
  ['provision search page', search, ['on', 'off']],
  ['clause-type page', clauseUrls, ['on']],
  ['API provision', hot.map((id) => paths.api.provision(id)), ['on']],
  ['API provision, 2,000 others', cold.map((id) => paths.api.provision(id)), ['off']],
  ['API provision search', search.map((u) => u.replace(/^\/provisions/, paths.api.provisions())), ['on', 'off']],
  ['API platform analysis', spread(slugs, 100).map((s) => paths.api.platformAnalysis(s)), ['on']],
];

console.log('# analysis pages and API under load (autocannon, 50 connections, loopback)');
console.log(`machine: ${machine()}; load average at start: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`database: ${pgUrl ? 'PostgreSQL' : 'PGlite (embedded)'}: ${JSON.stringify(totals)}`);
console.log(`${seconds} s per scenario`);
const lines: string[] = [];
// The page store of the "store" scenarios, and the origin its pages were rendered for.
const store = { dir: path.join(dataDir, 'pages'), publicUrl: 'http://127.0.0.1:8080' };
for (const mode of (['on', 'off', 'store'] as const).filter((c) => !only || c === only)) {
  if (mode === 'store') await renderAhead();
  const server = await startServer(where, mode === 'off' ? 'off' : 'on', mode === 'store' ? store : undefined);
  try {
    // A new server's first seconds (compiling, the first reads of the files) are not what readers meet: warm
    // it up on provisions that no scenario asks for.
    if (mode === 'store') await load(server.url, spread(ids, 2_000, 11).filter((id) => !manySet.has(id)).map((id) => paths.provision(id)), 3);
    for (const [name, urls, modes, headers] of scenarios) {
      if (!modes.includes(mode)) continue;
      // Cache off: one request first, so the load does not include the server's one-time prevalence aggregate.
      const first = mode === 'on' ? await warm(server.url, urls) : (await warm(server.url, urls.slice(0, 1)), undefined);
      const r = await load(server.url, urls, seconds, headers);
      lines.push(`| ${name} | ${mode} | ${urls.length} | ${r.p50} | ${r.p99} | ${Math.round(r.rps)} | ${r.bad} | ${r.kb.toFixed(1)} | ${first ? `${first.mean.toFixed(0)} / ${first.p50.toFixed(0)} / ${first.max.toFixed(0)}` : ''} |`);
      process.stderr.write(`${lines[lines.length - 1]}\n`);
      await drain(server.url);
    }
  } finally {
    await server.stop();
  }
}
console.log('| scenario | cache | URLs | median ms | p99 ms | requests/s | non-2xx | KiB/response | first render mean / median / max ms |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const l of lines) console.log(l);
console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (the machine is shared)`);
