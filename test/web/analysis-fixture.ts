// A database filled by the real pipeline (replay → record → analyse) for the pages built on the analysis
// layer: provision records, clause types, grades and AI-training matrices. Several platforms share clause
// types so that prevalence and "how other platforms handle it" have something to show:
// - Murf's terms of service: four real snapshots from the corpus (a real change between the first two);
// - "Mistral AI": the terms' training clause quoted by the seed page, then a second version adding a
//   sentence, and the seed help article on opting out (test/fixtures/analyse/README.md, seeds/README.md);
// - Nimbus (consumer chatbot help article, trains by default with steps; a second version changing only
//   punctuation and case) and Orbit (never trains), both written for the analysis tests;
// - a hostile platform whose snapshots carry <script>, event handlers and javascript: links inside a
//   training clause, so that its provision pages show untrusted text.
// Never hand-written rows.
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { loadCatalog, rulesAt } from '../../src/catalog/index.ts';
import { listSnapshotFiles, replaySnapshots } from '../../src/jobs/replay.ts';
import { syncCatalog } from '../../src/jobs/track.ts';
import { upsertDocument, upsertPlatform } from '../../src/record/registry.ts';
import { indexAllTexts } from '../../src/web/read/search-index.ts';
import { openTestDb, type Driver, type TestDb } from '../helpers/db.ts';
import { REPO_ROOT, SHARED } from '../helpers/cli.ts';
import { MURF_FOLDER, MURF_URL } from './fixture.ts';
import type { Db } from '../../src/store/db.ts';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/analyse');
const read = (f: string) => readFileSync(f, 'utf8');

export const HOSTILE_NAME = 'Hostile <script>document.title="pwned-name"</script> AI';

const mistralTerms = (v: number) => `# Mistral AI Terms of Service

## 1. Your Data

${read(path.join(FIXTURES, 'mistral-terms-training-clause.txt')).trim()}${v > 1 ? ' You can change this setting at any time in your account settings.' : ''}

## 2. Disputes

Any dispute arising out of these terms will be resolved by binding arbitration, and you waive your right to a jury trial and to take part in a class action.
`;

function hostile(v: number): string {
  return `<!doctype html><html><head><script>window.__pwned='head';document.title='pwned-head'</script></head>
<body onload="window.__pwned='onload'"><main>
<h1>Hostile AI terms</h1>
<p>We may use your conversations to train our models${v > 1 ? ' and our partners’ models' : ''}. &lt;script&gt;window.__pwned='escaped';document.title='pwned-text'&lt;/script&gt; <img src=x onerror="window.__pwned='onerror'"> <a href="javascript:window.__pwned='link'">opt out here</a>.</p>
<script>window.__pwned='body';document.title='pwned-body'</script>
<p>Any dispute will be resolved by binding arbitration; you waive any class action.</p>
</main></body></html>`;
}

export interface AnalysisFixture {
  t: TestDb;
  db: Db;
  /** Platform slug → document key → document id. */
  docs: Map<string, Map<string, number>>;
  drop(): Promise<void>;
}

async function replayFolder(db: Db, platform: { slug: string; name: string; homepage?: string }, docs: { type: string; name: string; url: string; files: [string, string][] }[], dir: string, out: AnalysisFixture['docs']) {
  const pl = await upsertPlatform(db, platform);
  const m = new Map<string, number>();
  out.set(platform.slug, m);
  for (const d of docs) {
    const doc = await upsertDocument(db, pl.id, d.type, d.name);
    const folder = path.join(dir, `${platform.slug}-${doc.key}`);
    mkdirSync(folder, { recursive: true });
    for (const [name, body] of d.files) writeFileSync(path.join(folder, name), body);
    const html = d.files.some(([n]) => n.endsWith('.html'));
    const rules = { pages: [{ url: d.url, ...(html ? { select: 'main' } : {}) }] };
    await replaySnapshots(db, { documentId: doc.id, files: listSnapshotFiles(folder).files, url: d.url, rulesAt: () => rules, origin: 'replay' });
    m.set(doc.key, doc.id);
  }
}

export async function fillAnalysisFixture(driver: Driver): Promise<AnalysisFixture> {
  const t = await openTestDb(driver);
  const db = t.db;
  const docs: AnalysisFixture['docs'] = new Map();
  const decls = loadCatalog(path.join(REPO_ROOT, 'declarations')).filter((p) => p.slug === 'murf');
  const ids = await syncCatalog(db, decls);
  const murfDecl = decls[0]!.documents.find((d) => d.type === 'terms-of-service')!;
  const murfId = ids.get(murfDecl)!;
  const murfFiles = listSnapshotFiles(MURF_FOLDER).files.slice(4, 6);
  await replaySnapshots(db, { documentId: murfId, files: murfFiles, url: MURF_URL, rulesAt: (d) => rulesAt(murfDecl, d), origin: 'replay' });
  const murfKey = (await db.query<{ key: string }>('SELECT key FROM documents WHERE id = $1', [murfId]))[0]!.key;
  docs.set('murf', new Map([[murfKey, murfId]]));

  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-web-analysis-'));
  // A second Nimbus version that changes only punctuation and case: cosmetic, and marked so.
  const nimbus = read(path.join(FIXTURES, 'nimbus-chat-help.md'));
  try {
    await replayFolder(
      db,
      { slug: 'mistral-ai', name: 'Mistral AI', homepage: 'https://mistral.ai' },
      [
        { type: 'terms-of-service', name: 'Terms of Service', url: 'https://mistral.ai/terms', files: [['2026-04-30T07-35-52Z.md', mistralTerms(1)], ['2026-05-05T07-35-52Z.md', mistralTerms(2)]] },
        { type: 'ai-training-policy', name: 'Opt out of model training', url: 'https://help.mistral.ai/opt-out', files: [['2026-04-30T08-00-00Z.txt', read(path.join(SHARED, 'seeds/001_8550604760f152f9.txt'))]] },
      ],
      dir,
      docs,
    );
    await replayFolder(db, { slug: 'nimbus', name: 'Nimbus' }, [{ type: 'ai-training-policy', name: 'How Nimbus uses your conversations', url: 'https://nimbus.example/help/training', files: [['2026-04-01T00-00-00Z.md', nimbus], ['2026-04-15T00-00-00Z.md', nimbus.replace('how to turn it off.', 'How To Turn It Off!')]] }], dir, docs);
    await replayFolder(db, { slug: 'orbit', name: 'Orbit' }, [{ type: 'terms-of-service', name: 'Business Terms', url: 'https://orbit.example/terms', files: [['2026-04-01T00-00-00Z.md', read(path.join(FIXTURES, 'orbit-business-terms.md'))]] }], dir, docs);
    await replayFolder(
      db,
      { slug: 'hostile-ai', name: HOSTILE_NAME, homepage: 'javascript:alert(1)' },
      [{ type: 'terms-of-service', name: 'Terms <img src=x onerror="document.title=\'pwned-doc\'">', url: 'https://hostile.example/terms', files: [['2026-04-01T00-00-00Z.html', hostile(1)], ['2026-05-01T00-00-00Z.html', hostile(2)]] }],
      dir,
      docs,
    );
    await indexAllTexts(db);
    return { t, db, docs, drop: () => t.drop() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The current provision of a document whose text contains `needle` (its CW-P number). */
export async function provisionWith(db: Db, documentId: number, needle: string): Promise<number> {
  const r = await db.query<{ id: number }>(
    `SELECT p.id FROM provisions p JOIN provision_texts t ON t.id = p.current_text_id WHERE p.document_id = $1 AND t.body LIKE '%' || $2 || '%' ORDER BY p.id LIMIT 1`,
    [documentId, needle],
  );
  if (!r[0]) throw new Error(`no provision containing "${needle}" in document ${documentId}`);
  return Number(r[0].id);
}
