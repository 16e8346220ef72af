// A database filled by the real pipeline for the web and API tests: the Murf terms of service replayed from
// the corpus (38 real snapshots), plus a hostile document whose crafted snapshots carry <script>, event
// handlers and javascript: links, a page whose selection matches nothing (a fetch problem) and an error
// page (held as suspect). Never hand-written rows.
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadCatalog, rulesAt } from '../../src/catalog/index.ts';
import { listSnapshotFiles, replaySnapshots } from '../../src/jobs/replay.ts';
import { syncCatalog } from '../../src/jobs/track.ts';
import { upsertDocument, upsertPlatform } from '../../src/record/registry.ts';
import { indexAllTexts } from '../../src/web/read/search-index.ts';
import { openTestDb, type Driver, type TestDb } from '../helpers/db.ts';
import { CORPUS, REPO_ROOT } from '../helpers/cli.ts';
import type { Db } from '../../src/store/db.ts';

export const MURF_FOLDER = path.join(CORPUS, 'snapshots/Murf/Terms of Service');
export const MURF_URL = 'https://murf.ai/resources/terms_of_service/';
export const EVIL_URL = 'https://evil.example/terms';
export const EVIL_PLATFORM_NAME = 'Evil <script>document.title="pwned-name"</script> Corp';
export const EVIL_DOCUMENT_NAME = 'Terms <img src=x onerror="document.title=\'pwned-doc\'">';

const clauses = (n: number) =>
  Array.from({ length: 25 }, (_, i) => `<p>Clause ${i + 1}: the service keeps your uploads for ${i + n} days and may use them to improve its models.</p>`).join('\n');

function hostile(version: number): string {
  return `<!doctype html><html><head><title>Terms</title><script>window.__pwned = 'head-script'; document.title = 'pwned-head';</script></head>
<body onload="window.__pwned = 'onload'; document.title = 'pwned-onload'">
<main>
<h1>Terms of Service, version ${version}</h1>
<p>Quoted markup: &lt;script&gt;window.__pwned = 'escaped-script'; document.title = 'pwned-text'&lt;/script&gt; must stay text.</p>
<p><img src="https://evil.example/x.png" onerror="window.__pwned = 'onerror'; document.title = 'pwned-onerror'" alt="logo">Logo above.</p>
<p><a href="javascript:window.__pwned='js-link';document.title='pwned-link'">Click here</a> and <a href="https://evil.example/more" onclick="window.__pwned='onclick'">more terms</a>.</p>
<p>&lt;img src=x onerror="window.__pwned='escaped-img'"&gt; is also text.</p>
<script>window.__pwned = 'body-script'; document.title = 'pwned-body';</script>
<svg onload="window.__pwned='svg'"><script>window.__pwned='svg-script'</script></svg>
<p>Arbitration: disputes go to binding arbitration${version > 1 ? ' in Delaware' : ''}.</p>
${clauses(version)}
</main></body></html>`;
}

export interface WebFixture {
  t: TestDb;
  db: Db;
  murf: { documentId: number; platformSlug: string; documentKey: string; versionIds: number[] };
  evil: { documentId: number; platformSlug: string; documentKey: string; versionIds: number[]; snapshotIds: number[] };
  drop(): Promise<void>;
}

export async function fillWebFixture(driver: Driver): Promise<WebFixture> {
  const t = await openTestDb(driver);
  const db = t.db;
  const decls = loadCatalog(path.join(REPO_ROOT, 'declarations')).filter((p) => p.slug === 'murf');
  const ids = await syncCatalog(db, decls);
  const murfDecl = decls[0]!.documents.find((d) => d.type === 'terms-of-service')!;
  const murfId = ids.get(murfDecl)!;
  await replaySnapshots(db, { documentId: murfId, files: listSnapshotFiles(MURF_FOLDER).files, url: MURF_URL, rulesAt: (d) => rulesAt(murfDecl, d), origin: 'replay' });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-web-hostile-'));
  try {
    writeFileSync(path.join(dir, '2024-03-01T10-00-00Z.html'), hostile(1));
    writeFileSync(path.join(dir, '2024-04-01T10-00-00Z.html'), hostile(2));
    // No <main>: the declared selection matches nothing, a fetch problem.
    writeFileSync(path.join(dir, '2024-05-01T10-00-00Z.html'), '<html><body><div>Maintenance</div></body></html>');
    // An error page inside the selection: held as suspect, never a version.
    writeFileSync(path.join(dir, '2024-06-01T10-00-00Z.html'), '<html><body><main><h1>Error</h1><p>Something went wrong. Please try again later.</p></main></body></html>');
    const platform = await upsertPlatform(db, { slug: 'evil-corp', name: EVIL_PLATFORM_NAME, homepage: 'javascript:alert(1)' });
    const doc = await upsertDocument(db, platform.id, 'terms-of-service', EVIL_DOCUMENT_NAME);
    const rules = { pages: [{ url: EVIL_URL, select: 'main' }] };
    await replaySnapshots(db, { documentId: doc.id, files: listSnapshotFiles(dir).files, url: EVIL_URL, rulesAt: () => rules, origin: 'replay' });
    await indexAllTexts(db);
    const versions = async (id: number) => (await db.query<{ id: number }>('SELECT id FROM versions WHERE document_id = $1 ORDER BY recorded_at, id', [id])).map((r) => r.id);
    const evilSnaps = (await db.query<{ id: number }>('SELECT id FROM snapshots WHERE document_id = $1 ORDER BY id', [doc.id])).map((r) => r.id);
    const key = (await db.query<{ key: string }>('SELECT key FROM documents WHERE id = $1', [murfId]))[0]!.key;
    return {
      t,
      db,
      murf: { documentId: murfId, platformSlug: 'murf', documentKey: key, versionIds: await versions(murfId) },
      evil: { documentId: doc.id, platformSlug: 'evil-corp', documentKey: doc.key, versionIds: await versions(doc.id), snapshotIds: evilSnaps },
      drop: () => t.drop(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
