// The starter catalogue in declarations/ loads, validates, and carries the facts taken from the
// shared corpus and the seeds.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { PlatformDeclaration, Selection } from '../../src/domain/types.ts';
import { loadCatalog, rulesAt } from '../../src/catalog/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const declarationsDir = path.join(repoRoot, 'declarations');
const corpusDir = path.resolve(repoRoot, '../shared/corpus/snapshots');

const catalog = loadCatalog(declarationsDir);
const bySlug = new Map(catalog.map((p) => [p.slug, p]));

function platform(slug: string): PlatformDeclaration {
  const p = bySlug.get(slug);
  assert.ok(p, `platform ${slug} is declared`);
  return p;
}

describe('starter catalogue', () => {
  it('loads every file in declarations/', () => {
    const files = readdirSync(declarationsDir).filter((f) => /\.(ya?ml|json)$/.test(f));
    assert.equal(catalog.length, files.length);
    for (const p of catalog) assert.equal(path.basename(p.file!, path.extname(p.file!)), p.slug);
  });

  it('has unique slugs, at least 30 platforms and at least 10 generative-AI ones', () => {
    assert.equal(new Set(catalog.map((p) => p.slug)).size, catalog.length);
    assert.ok(catalog.length >= 30, `${catalog.length} platforms`);
    const genai = catalog.filter((p) => p.tags.includes('generative-ai'));
    assert.ok(genai.length >= 10, `${genai.length} generative-ai platforms`);
  });

  it('gives every platform a terms of service or privacy policy', () => {
    for (const p of catalog) {
      const types = new Set(p.documents.map((d) => d.type));
      assert.ok(types.has('terms-of-service') || types.has('privacy-policy'), p.slug);
    }
  });

  it('gives every generative-AI platform both a terms of service and a privacy policy', () => {
    for (const p of catalog.filter((p) => p.tags.includes('generative-ai'))) {
      const types = new Set(p.documents.map((d) => d.type));
      assert.ok(types.has('terms-of-service') && types.has('privacy-policy'), p.slug);
    }
  });

  it('declares the platforms the brief and the seeds name', () => {
    const required = [
      'openai', 'anthropic', 'google-gemini', 'microsoft-copilot', 'meta-ai', 'mistral-ai', 'xai-grok',
      'perplexity', 'deepseek', 'cohere', 'midjourney', 'github-copilot', 'cursor', 'windsurf',
      'character-ai', 'hugging-face', 'stability-ai', 'runway', 'elevenlabs', 'speechify', 'murf',
      'soundraw', 'wordtune', 'doubao', 'kimi-ai', 'fanduel', 'facebook', 'instagram', 'tiktok',
      'youtube', 'x', 'reddit', 'linkedin', 'snapchat', 'pinterest', 'spotify', 'whatsapp', 'telegram',
      'discord', 'zoom', 'slack', 'github', 'uptimerobot', 'open-collective',
    ];
    for (const slug of required) platform(slug);
  });

  it('tracks the seed documents of Mistral AI', () => {
    const mistral = platform('mistral-ai');
    const urls = (type: string) => mistral.documents.filter((d) => d.type === type).flatMap((d) => d.current.pages.map((p) => p.url));
    assert.ok(urls('terms-of-service').includes('https://mistral.ai/terms'));
    assert.equal(urls('privacy-policy').length, 1);
    const help = urls('model-training-help');
    assert.equal(help.length, 1);
    assert.match(help[0]!, /^https:\/\/help\.mistral\.ai\/.*opt-out/);
    assert.ok(mistral.tags.includes('generative-ai'));
    assert.ok(mistral.jurisdictions.includes('EU'));
  });

  it('covers AI-specific document types', () => {
    const types = new Set(catalog.flatMap((p) => p.documents.map((d) => d.type)));
    for (const t of ['ai-training-policy', 'model-training-help', 'usage-policy', 'acceptable-use-policy']) {
      assert.ok(types.has(t), t);
    }
  });
});

/** Open Terms Archive writes `select: ["x"]` and `select: "x"` interchangeably. */
function same(a: Selection | undefined, b: Selection | undefined): boolean {
  const norm = (s: Selection | undefined) => JSON.stringify(Array.isArray(s) ? s : s === undefined ? [] : [s]);
  return norm(a) === norm(b);
}

interface MetaDeclaration {
  id: string;
  declared_at: string;
  valid_until_per_history_file?: string;
  source_document: { fetch: string; select?: Selection; remove?: Selection; executeClientScripts?: boolean };
}

describe('declarations taken from the shared corpus', () => {
  const slugs: Record<string, string> = {
    Doubao: 'doubao', GitHub: 'github', 'GitHub Copilot': 'github-copilot', 'Kimi AI': 'kimi-ai',
    Midjourney: 'midjourney', Murf: 'murf', 'Open Collective': 'open-collective', SOUNDRAW: 'soundraw',
    Speechify: 'speechify', UptimeRobot: 'uptimerobot', Wordtune: 'wordtune',
  };
  const metas = readdirSync(corpusDir).flatMap((service) =>
    readdirSync(path.join(corpusDir, service)).map((doc) => ({
      service,
      doc,
      meta: JSON.parse(readFileSync(path.join(corpusDir, service, doc, 'meta.json'), 'utf8')) as {
        declarations: MetaDeclaration[];
      },
    })),
  );

  it('finds a meta.json for every corpus service', () => {
    assert.deepEqual([...new Set(metas.map((m) => m.service))].sort(), Object.keys(slugs).sort());
  });

  for (const { service, doc, meta } of metas) {
    it(`${service} / ${doc}: every declaration of meta.json is reproduced at its date`, () => {
      const p = platform(slugs[service]!);
      const decls = meta.declarations;
      const last = decls[decls.length - 1]!;
      // The document whose current rules include the last declared URL with the same selection.
      const document = p.documents.find((d) =>
        d.current.pages.some((pg) => pg.url === last.source_document.fetch && same(pg.select, last.source_document.select)),
      );
      assert.ok(document, `${p.slug} declares ${last.source_document.fetch} with select ${JSON.stringify(last.source_document.select)}`);
      assert.equal(document.history.length, decls.length - 1, 'one history entry per superseded declaration');

      decls.forEach((d, i) => {
        // Just after it was declared, and (for superseded ones) at the end of its validity.
        const next = decls[i + 1];
        const probes = [new Date(Date.parse(d.declared_at) + 60_000)];
        if (next) probes.push(new Date(d.valid_until_per_history_file ?? next.declared_at));
        for (const at of probes) {
          const rules = rulesAt(document, at);
          const page = rules.pages.find((pg) => pg.url === d.source_document.fetch);
          assert.ok(page, `${d.id} at ${at.toISOString()}: URL ${d.source_document.fetch}`);
          assert.ok(same(page.select, d.source_document.select), `${d.id}: select`);
          if (d.source_document.remove !== undefined) assert.ok(same(page.remove, d.source_document.remove), `${d.id}: remove`);
          assert.equal(page.fetch === 'browser', d.source_document.executeClientScripts === true, `${d.id}: fetcher`);
        }
      });
    });
  }

  it('keeps the GitHub Copilot range selection', () => {
    const tos = platform('github-copilot').documents.find((d) => d.type === 'terms-of-service')!;
    assert.equal(tos.current.pages.length, 2);
    assert.deepEqual(tos.current.pages[1]!.select, [
      '#title-h1',
      { startBefore: '.markdown-body', endBefore: '.markdown-body > h2:first-of-type' },
      { startBefore: '#github-copilot', endBefore: '#github-copilot ~ h2' },
    ]);
  });

  it('re-extracts Speechify snapshots before 2024-05-31 from the ?landing_url= URL', () => {
    const tos = platform('speechify').documents.find((d) => d.type === 'terms-of-service')!;
    assert.match(rulesAt(tos, new Date('2024-05-21T12:31:41Z')).pages[0]!.url, /\?landing_url=/);
    assert.equal(rulesAt(tos, new Date('2024-06-10T12:33:24Z')).pages[0]!.url, 'https://speechify.com/terms');
    assert.equal(tos.current.validFrom, '2024-05-31T13:21:06.000Z');
  });
});
