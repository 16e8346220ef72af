// What an unchanged fetch costs: recording the same bytes again (a hash comparison) versus bytes that
// differ but extract to the same text (a re-extraction), on a real 250 KB page.
import path from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { recordPages, type CapturedPage } from '../../src/record/capture.ts';
import { upsertDocument, upsertPlatform, upsertRules } from '../../src/record/registry.ts';
import { machine } from '../machine.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const folder = path.resolve(root, '../shared/corpus/snapshots/GitHub/Terms of Service');
const file = readdirSync(folder).filter((f) => f.endsWith('.html')).sort().at(-1)!;
const html = readFileSync(path.join(folder, file), 'utf8');
const rules = { pages: [{ url: 'https://docs.github.com/en/site-policy/github-terms/github-terms-of-service', select: '.markdown-body' }] };

const db = await openDb({ url: process.env.DATABASE_URL || undefined, dataDir: 'memory' });
await migrate(db);
const p = await upsertPlatform(db, { slug: 'github', name: 'GitHub' });
const doc = await upsertDocument(db, p.id, 'terms-of-service', 'Terms of Service');
const rulesId = await upsertRules(db, doc.id, rules);
const page = (body: string, i: number): CapturedPage => ({ url: rules.pages[0]!.url, fetchedAt: new Date(Date.UTC(2025, 0, 1, i)), mediaType: 'text/html', body: Buffer.from(body), text: body, fetcher: 'http' });

await recordPages(db, { documentId: doc.id, capturedAt: new Date(Date.UTC(2025, 0, 1)), origin: 'live', rulesId }, [page(html, 0)], rules);
const N = 40;
async function time(label: string, bodyFor: (i: number) => string): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 1; i <= N; i++) {
    const r = await recordPages(db, { documentId: doc.id, capturedAt: new Date(Date.UTC(2025, 0, 1, i)), origin: 'live', rulesId }, [page(bodyFor(i), i)], rules);
    if (r.outcome !== 'unchanged') throw new Error(`${label}: expected unchanged, got ${r.outcome}`);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / N;
  console.log(`${label}: ${ms.toFixed(2)} ms per capture`);
  return ms;
}
console.log(`# unchanged fetches (${(html.length / 1024).toFixed(0)} KB page, ${db.kind})\nmachine: ${machine()}`);
const same = await time('same bytes (hash comparison only)', () => html);
const noisy = await time('new bytes, same text (re-extraction)', (i) => html.replace('<head>', `<head><meta name="x-build" content="${i}">`));
console.log(`re-extraction costs ${(noisy / same).toFixed(1)}× a hash comparison`);
await db.close();
