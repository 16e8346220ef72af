// The server under test, in its own process so the load generator does not share its event loop.
// Usage: node --import tsx bench/web/server.ts <pglite-data-dir | postgres://…> <cache: on|off> [page store dir] [public URL]
import { openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { startServer } from '../../src/web/server.ts';
import { indexAllTexts } from '../../src/web/read/search-index.ts';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const [where = '', cache = 'on', pages = '', publicUrl = ''] = process.argv.slice(2);
const db = await openDb(where.startsWith('postgres') ? { url: where } : { url: '', dataDir: where });
await migrate(db);
await indexAllTexts(db);
const s = await startServer({ db, port: 0, host: '127.0.0.1', cache: cache === 'on', indexer: false, pdf: false, pages: pages ? { dir: pages } : undefined, publicUrl: publicUrl || undefined });
process.stdout.write(`${s.url}\n`);
// Where answers came from, and how long the event loop was held: printed at the end, for the bench's notes.
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
process.on('SIGTERM', () => {
  const stats = { memory: s.ctx.cache.stats, pageStore: s.ctx.pages?.stats, eventLoopDelayMs: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 } };
  process.stderr.write(`server: ${JSON.stringify(stats)}\n`);
  void s.close().then(() => db.close()).then(() => process.exit(0));
});
