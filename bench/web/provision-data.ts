// Builds the benchmark database of the analysis pages through the real pipeline (replay → record →
// analyse): first the corpus documents of the declared platforms (their two latest snapshots each), then
// enough synthetic platforms to pass 100,000 provisions. A synthetic platform's terms are paragraphs drawn
// from the real corpus texts (so clause types and severities are the classifier's, on real language), with
// its own name in them; every fourth platform gets a second version with some paragraphs edited, so
// provision pages have histories and the feeds have material changes.
import path from 'node:path';
import os from 'node:os';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import type { Db } from '../../src/store/db.ts';
import { loadCatalog, rulesAt } from '../../src/catalog/index.ts';
import { listSnapshotFiles, replaySnapshots } from '../../src/jobs/replay.ts';
import { syncCatalog } from '../../src/jobs/track.ts';
import { upsertDocument, upsertPlatform } from '../../src/record/registry.ts';
import { getText } from '../../src/record/texts.ts';
import { splitProvisions } from '../../src/analyse/provisions/split.ts';

const TYPE_OF_FOLDER: Record<string, string> = { 'Terms of Service': 'terms-of-service', 'Privacy Policy': 'privacy-policy' };

/** A small deterministic PRNG, so the same database is built every time. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export async function provisionCount(db: Db): Promise<number> {
  return Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM provisions'))[0]?.n ?? 0);
}

export async function buildProvisionData(db: Db, root: string, target = 100_000, log: (s: string) => void = () => {}): Promise<void> {
  const corpus = path.resolve(root, '../shared/corpus/snapshots');
  const catalog = loadCatalog(path.join(root, 'declarations'));
  if (!(await db.query('SELECT 1 FROM versions LIMIT 1')).length) {
    const ids = await syncCatalog(db, catalog);
    for (const folder of readdirSync(corpus)) {
      const decl = catalog.find((p) => p.name === folder || p.name.startsWith(folder));
      if (!decl || !existsSync(path.join(corpus, folder))) continue;
      for (const sub of readdirSync(path.join(corpus, folder))) {
        const d = decl.documents.find((x) => x.type === TYPE_OF_FOLDER[sub]);
        if (!d) continue;
        const files = listSnapshotFiles(path.join(corpus, folder, sub)).files.slice(-2);
        const url = files[0] ? (rulesAt(d, files[0].date).pages[0]?.url ?? `https://${decl.slug}.example/`) : '';
        if (!url) continue;
        await replaySnapshots(db, { documentId: ids.get(d)!, files, url, rulesAt: (at) => rulesAt(d, at), origin: 'replay' });
        log(`corpus: ${folder} / ${sub}: ${await provisionCount(db)} provisions\n`);
      }
    }
  }
  // The pool: every paragraph-sized provision of the corpus texts recorded above.
  const texts = await db.query<{ text_sha256: string }>('SELECT DISTINCT ON (document_id) text_sha256 FROM versions ORDER BY document_id, recorded_at DESC');
  const pool: string[] = [];
  for (const t of texts) for (const p of splitProvisions((await getText(db, t.text_sha256)) ?? '')) if (p.kind !== 'heading-text' && p.text.length > 60 && p.text.length < 2000) pool.push(p.text);
  log(`pool: ${pool.length} paragraphs\n`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-bench-provisions-'));
  try {
    let i = Number((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM platforms WHERE slug LIKE 'bench-%'"))[0]?.n ?? 0);
    while ((await provisionCount(db)) < target) {
      i++;
      const name = `Bench Platform ${i}`;
      const random = rng(i);
      const pick = () => pool[Math.floor(random() * pool.length)]!.replaceAll(/\b(GitHub|Murf|Midjourney|Speechify|Wordtune|SOUNDRAW|UptimeRobot|Open Collective|Doubao|Kimi)\b/g, name);
      const sections = Array.from({ length: 25 }, (_, s) => ({ title: `${s + 1}. Section ${s + 1}`, paras: Array.from({ length: 20 }, pick) }));
      const md = (edit: boolean) =>
        `# ${name} Terms of Service\n\n${sections.map((s, si) => `## ${s.title}\n\n${s.paras.map((p, pi) => (edit && (si * 20 + pi) % 23 === 0 ? `${p} ${name} may change this at any time.` : p)).join('\n\n')}`).join('\n\n')}\n`;
      const pl = await upsertPlatform(db, { slug: `bench-${i}`, name, jurisdictions: [i % 3 === 0 ? 'US' : 'EU'] });
      const doc = await upsertDocument(db, pl.id, 'terms-of-service', 'Terms of Service');
      const folder = path.join(dir, `p${i}`);
      mkdirSync(folder);
      writeFileSync(path.join(folder, '2026-10-01T00-00-00Z.md'), md(false));
      if (i % 4 === 0) writeFileSync(path.join(folder, `2026-11-${String((i % 27) + 1).padStart(2, '0')}T00-00-00Z.md`), md(true));
      const url = `https://bench-${i}.example/terms`;
      await replaySnapshots(db, { documentId: doc.id, files: listSnapshotFiles(folder).files, url, rulesAt: () => ({ pages: [{ url }] }), origin: 'replay' });
      if (i % 10 === 0) log(`synthetic: ${i} platforms, ${await provisionCount(db)} provisions\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
