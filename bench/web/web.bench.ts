// Load test of the web app and API with autocannon, on loopback, over a database of realistic size: the
// Platform Governance Archive dataset (../shared/corpus/ota/pga-versions.bundle, ~4,600 versions of 133
// documents), imported once into a cached embedded database. Each scenario cycles through many different
// URLs (every document, hundreds of versions, several searches), with the response cache on and off.
// Usage: node --import tsx bench/web/web.bench.ts [seconds per scenario, default 10]
// Env: CLAUSEWATCH_BENCH_WEB_DATA (cache folder), DATABASE_URL (bench PostgreSQL instead; must already hold data).
import path from 'node:path';
import os from 'node:os';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { importOta } from '../../src/importer/ota.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { paths } from '../../src/web/paths.ts';
import { machine } from '../machine.ts';
import { drain, load, startServer } from './load.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const seconds = Number(process.argv[2] ?? 10);
const pgUrl = process.env.DATABASE_URL || '';
const dataDir = process.env.CLAUSEWATCH_BENCH_WEB_DATA ?? path.join(os.tmpdir(), 'clausewatch-bench-web');
const where = pgUrl || dataDir;

async function prepare(): Promise<{ docs: { id: number; slug: string; key: string }[]; versions: number[]; totals: Record<string, number> }> {
  const db = await openDb(pgUrl ? { url: pgUrl } : { url: '', dataDir });
  try {
    await migrate(db);
    if (!(await db.query('SELECT 1 FROM versions LIMIT 1')).length) {
      if (pgUrl) throw new Error('DATABASE_URL holds no versions: import a dataset into it first');
      process.stderr.write(`importing pga-versions into ${dataDir} (once; several minutes)…\n`);
      await importOta(db, { source: path.resolve(root, '../shared/corpus/ota/pga-versions.bundle'), cacheDir: dataDir, catalog: loadCatalog(path.join(root, 'declarations')) });
    }
    const docs = await db.query<{ id: number; slug: string; key: string }>(
      'SELECT d.id, p.slug, d.key FROM documents d JOIN platforms p ON p.id = d.platform_id WHERE EXISTS (SELECT 1 FROM versions v WHERE v.document_id = d.id) ORDER BY d.id',
    );
    const all = (await db.query<{ id: number }>('SELECT id FROM versions ORDER BY id')).map((r) => r.id);
    const step = Math.max(1, Math.floor(all.length / 300));
    const versions = all.filter((_, i) => i % step === 0);
    const totals = (await db.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM platforms) AS platforms, (SELECT count(*)::int FROM documents) AS documents,
              (SELECT count(*)::int FROM versions) AS versions, (SELECT count(*)::int FROM captures) AS captures,
              (SELECT count(*)::int FROM texts) AS texts, (SELECT coalesce(sum(chars), 0)::bigint AS chars FROM texts) AS text_chars`,
    ))[0]!;
    return { docs, versions, totals };
  } finally {
    await db.close();
  }
}

/** The floor this machine sets right now: a bare Node HTTP server answering a constant body of the given size. */
async function baseline(bytes: number): Promise<{ p50: number; p99: number; rps: number }> {
  const code = `const b=Buffer.alloc(${Math.round(bytes)},'x');require('http').createServer((q,r)=>{r.writeHead(200,{'content-type':'text/html'});r.end(b)}).listen(0,'127.0.0.1',function(){console.log('http://127.0.0.1:'+this.address().port)})`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => child.stdout.setEncoding('utf8').once('data', (d: string) => resolve(d.trim())));
  try {
    const r = await autocannon({ url, connections: 50, duration: seconds });
    return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average };
  } finally {
    child.kill('SIGTERM');
  }
}

/** Requests each URL once, one at a time: what a page costs when nothing is cached yet. */
async function warm(url: string, urls: string[]): Promise<{ mean: number; max: number }> {
  let total = 0;
  let max = 0;
  for (const p of urls) {
    const t0 = performance.now();
    const res = await fetch(url + p);
    await res.arrayBuffer();
    const ms = performance.now() - t0;
    total += ms;
    max = Math.max(max, ms);
  }
  return { mean: total / urls.length, max };
}

const { docs, versions, totals } = await prepare();
const queries = ['arbitration', 'personal data', '"artificial intelligence"', 'advertising', 'delete account', 'children', 'cookies -tracking', 'license content', 'law enforcement', 'train models'];
const scenarios: [string, string[]][] = [
  ['document page', docs.map((d) => paths.document(d.slug, d.key))],
  ['version page', versions.map((id) => paths.version(id))],
  ['platform page', [...new Set(docs.map((d) => d.slug))].map((s) => paths.platform(s))],
  ['search page', queries.map((q) => paths.search({ q }))],
  ['API document', docs.map((d) => paths.api.document(d.id))],
  ['API version', versions.map((id) => paths.api.version(id))],
  ['API search', queries.map((q) => `${paths.api.search()}?q=${encodeURIComponent(q)}`)],
  ['API changes', ['/api/v1/changes', '/api/v1/changes?platform=facebook', '/api/v1/changes?from=2024-01-01&to=2024-12-31']],
];

console.log('# web app and API under load (autocannon, 50 connections, loopback)');
console.log(`machine: ${machine()}`);
console.log(`database: ${pgUrl ? 'PostgreSQL' : 'PGlite (embedded)'}: ${JSON.stringify(totals)}`);
console.log(`${seconds} s per scenario; each cycles through its URLs (${docs.length} documents, ${versions.length} versions, ${queries.length} queries)`);
const lines: string[] = [];
let documentKb = 30;
const row = (name: string, cache: string, r: { p50: number; p99: number; rps: number; bad?: number; kb?: number }, extra = '') => {
  lines.push(`| ${name} | ${cache} | ${r.p50} | ${r.p99} | ${Math.round(r.rps)} | ${r.bad ?? 0} | ${r.kb ? r.kb.toFixed(1) : ''} | ${extra} |`);
  process.stderr.write(`${lines[lines.length - 1]}\n`);
};
for (const cache of ['on', 'off'] as const) {
  const server = await startServer(where, cache);
  try {
    for (const [name, urls] of scenarios) {
      // With the cache on, every URL is first rendered once (its cold cost is reported), then the load runs.
      const cold = cache === 'on' ? await warm(server.url, urls) : undefined;
      const r = await load(server.url, urls, seconds);
      if (name === 'document page' && cache === 'on') documentKb = r.kb;
      row(name, cache, r, cold ? `${cold.mean.toFixed(0)} / ${cold.max.toFixed(0)}` : '');
      if (name === 'document page' && cache === 'on') row('document page, gzip', cache, await load(server.url, urls, seconds, { 'accept-encoding': 'gzip' }));
      await drain(server.url);
    }
  } finally {
    await server.stop();
  }
}
row(`bare Node HTTP server, constant ${documentKb.toFixed(0)} KiB body`, '-', await baseline(documentKb * 1024));
console.log('| scenario | cache | median ms | p99 ms | requests/s | non-2xx | KiB/response | first render mean / max ms |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const l of lines) console.log(l);
console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (the machine is shared)`);
