// Matching material changes against watchlists: 10,000 users × 5 watchlists (50,000) against 1,000 changes,
// (1) in memory, the matching rule alone, and (2) in the database: matchAlerts over real material changes
// recorded and analysed by the pipeline, with the matches and deliveries it writes.
//   node --import tsx bench/monitor/match.bench.ts            (PGlite; BENCH_PG=1 for PostgreSQL too)
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { machine } from '../machine.ts';
import { WatchlistIndex, type MaterialChange, type WatchlistRule, type Severity, type MinSeverity } from '../../src/monitor/match.ts';
import { loadTaxonomy } from '../../src/analyse/taxonomy.ts';
import { matchAlerts } from '../../src/monitor/matcher.ts';
import { openTestDb, type Driver } from '../../test/helpers/db.ts';
import { PARAGRAPHS as P, ensureDocument, recordSnapshot, termsHtml, testConfig } from '../../test/monitor/fixture.ts';

const USERS = 10_000;
const PER_USER = 5;
const CHANGES = 1_000;
const PLATFORMS = 200;

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;

console.log(`machine: ${machine()}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

// --- 1. in memory
const tax = loadTaxonomy();
const types = tax.types.map((t) => t.id);
const cats = tax.categories.map((c) => c.id);
const rules: WatchlistRule[] = [];
for (let u = 1; u <= USERS; u++) {
  for (let k = 0; k < PER_USER; k++) {
    const r = rand();
    rules.push({
      id: rules.length + 1, userId: u, createdAt: new Date(0),
      platformIds: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => 1 + Math.floor(rand() * PLATFORMS)),
      clauseTypes: r < 0.3 ? [pick(types), pick(types)] : [],
      categories: r >= 0.3 && r < 0.5 ? [pick(cats)] : [],
      minSeverity: pick<MinSeverity>(['any', 'low', 'medium', 'high']),
    });
  }
}
const sev: (Severity | null)[] = ['high', 'medium', 'low', 'positive', null];
const changes: MaterialChange[] = Array.from({ length: CHANGES }, (_, i) => ({
  versionId: i + 1, platformId: 1 + Math.floor(rand() * PLATFORMS), analysedAt: new Date(),
  changes: Array.from({ length: 1 + Math.floor(rand() * 6) }, (_, j) => ({ id: i * 10 + j, types: rand() < 0.8 ? [pick(types), ...(rand() < 0.3 ? [pick(types)] : [])] : [], severity: pick(sev) })),
}));
const categoryOf = (t: string) => tax.byId.get(t)?.category;
const runs: number[] = [];
const cpus: number[] = [];
let matched = 0;
let build = 0;
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const idx = new WatchlistIndex(rules, categoryOf);
  const t1 = performance.now();
  const c0 = process.cpuUsage();
  matched = 0;
  for (const c of changes) matched += idx.match(c).length;
  const c1 = process.cpuUsage(c0);
  runs.push(performance.now() - t1);
  cpus.push((c1.user + c1.system) / 1000);
  build = t1 - t0;
}
runs.sort((a, b) => a - b);
cpus.sort((a, b) => a - b);
console.log(`in memory: ${rules.length} watchlists × ${CHANGES} changes on ${PLATFORMS} platforms → ${matched} matches; index ${build.toFixed(0)} ms; matching wall median ${runs[2]!.toFixed(0)} ms, best ${runs[0]!.toFixed(0)} ms; CPU median ${cpus[2]!.toFixed(0)} ms (${((cpus[2]! * 1000) / CHANGES).toFixed(0)} µs per change, ${((cpus[2]! * 1e6) / matched).toFixed(0)} ns per match)`);

// --- 2. in the database
async function inDb(driver: Driver): Promise<void> {
  const t = await openTestDb(driver);
  try {
    const db = t.db;
    const DOCS = 10;
    const docs: number[] = [];
    for (let i = 1; i <= DOCS; i++) docs.push(await ensureDocument(db, `p${i}`, `Platform ${i}`));
    for (const d of docs) await recordSnapshot(db, d, termsHtml([P.ownership, P.courts, P.contact]), new Date('2025-01-01T00:00:00Z'));
    // 10,000 users, their email channels and 5 watchlists each over 200 platform ids (10 of them real).
    const t0 = performance.now();
    await db.query(`INSERT INTO users (email, password_hash, role, plan, email_confirmed_at) SELECT 'u' || g || '@bench.invalid', 'x', 'analyst', 'monitor', now() FROM generate_series(1, ${USERS}) g`);
    await db.query(`INSERT INTO channels (user_id, kind, target, unsubscribe_token) SELECT id, 'email', email, 'unsub_' || md5(email) FROM users`);
    const plat = await db.query<{ id: number }>('SELECT id FROM platforms ORDER BY id');
    const ids = plat.map((p) => Number(p.id));
    const rows = rules.map((r) => ({ u: r.userId, p: r.platformIds.map((x) => ids[(x - 1) % ids.length]! + (x > ids.length ? 100_000 : 0)), t: r.clauseTypes, c: r.categories, s: r.minSeverity, f: `cwf_bench_${r.id}` }));
    await db.query(
      `INSERT INTO watchlists (user_id, name, platform_ids, clause_types, categories, min_severity, mode, feed_token, created_at)
       SELECT x.u, 'bench', ARRAY(SELECT jsonb_array_elements_text(x.p)::int), ARRAY(SELECT jsonb_array_elements_text(x.t)), ARRAY(SELECT jsonb_array_elements_text(x.c)), x.s, 'immediate', x.f, now() - interval '1 day'
       FROM jsonb_to_recordset($1::jsonb) AS x(u int, p jsonb, t jsonb, c jsonb, s text, f text)`,
      [JSON.stringify(rows)],
    );
    const setup = performance.now() - t0;
    // Real material changes: 3 per document, recorded and analysed by the pipeline.
    const t1 = performance.now();
    for (let round = 0; round < 3; round++) {
      for (const d of docs) {
        const paras = round % 2 === 0 ? [P.ownership, P.training, P.arbitration, P.contact] : [P.ownership, P.courts, P.contact];
        await recordSnapshot(db, d, termsHtml(paras, `Terms ${round}`), new Date(Date.UTC(2025, 1 + round, 1)));
      }
    }
    const recorded = performance.now() - t1;
    const t2 = performance.now();
    const m = await matchAlerts(db, testConfig());
    const took = performance.now() - t2;
    console.log(`${driver}: setup of ${USERS} users, ${rules.length} watchlists ${setup.toFixed(0)} ms; ${DOCS * 3} material versions recorded and analysed in ${(recorded / 1000).toFixed(1)} s`);
    console.log(`${driver}: matchAlerts ${m.versions} material changes → ${m.matches} matches, ${m.deliveries} deliveries queued in ${took.toFixed(0)} ms (${(took / m.versions).toFixed(0)} ms per change, ${((took * 1000) / Math.max(1, m.matches)).toFixed(0)} µs per match written)`);
  } finally {
    await t.drop();
  }
}

await inDb('pglite');
if (process.env.BENCH_PG === '1') await inDb('postgres');
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
