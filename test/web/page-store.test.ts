// Rendered pages on disk (src/web/page-store.ts) and rendering them ahead (src/web/prerender.ts): a page is
// served from the store only for the data generation and code it was rendered with, byte for byte what a
// rendering would give, and a damaged file is a miss, never an error page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { PageStore } from '../../src/web/page-store.ts';
import { etagOf } from '../../src/web/respond.ts';
import { buildServer, startServer, type WebServer } from '../../src/web/server.ts';
import { cli } from '../helpers/cli.ts';
import { prerenderPages } from '../../src/web/prerender.ts';
import { recordId } from '../../src/domain/record-id.ts';
import { upsertPlatform } from '../../src/record/registry.ts';
import { fillAnalysisFixture, provisionWith, type AnalysisFixture } from './analysis-fixture.ts';

const pageFiles = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.page')).map((e) => path.join(e.parentPath, e.name)) : [];

describe('page store', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'cw-pages-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const page = (text: string) => {
    const body = Buffer.from(`<!doctype html><p>${text}</p>`.repeat(100));
    return { status: 200, type: 'text/html; charset=utf-8', body, etag: etagOf(body), headers: { 'X-Test': 'yes' } };
  };

  test('a stored page comes back whole, gzipped, for its key and generation only', async () => {
    const store = new PageStore(dir);
    const p = page('one');
    await store.put('http://h/a', 'g1', p);
    const got = await store.get('http://h/a', 'g1');
    assert.ok(got);
    assert.equal(got.status, 200);
    assert.equal(got.type, p.type);
    assert.equal(got.etag, p.etag);
    assert.deepEqual(got.headers, p.headers);
    assert.deepEqual(gunzipSync(got.gzip!), p.body);
    assert.deepEqual(got.body, p.body);
    assert.equal(await store.get('http://h/a', 'g2'), undefined, 'another generation');
    assert.equal(await store.get('http://h/b', 'g1'), undefined, 'another key');
    assert.equal(await store.has('http://h/a', 'g1'), true);
  });

  test('a damaged file is a miss, is reported and removed', async () => {
    const errors: string[] = [];
    const own = path.join(dir, 'damaged');
    const store = new PageStore(own, { onError: (e) => errors.push(e.message) });
    await store.put('http://h/damaged', 'g1', page('two'));
    const files = pageFiles(own);
    assert.equal(files.length, 1);
    writeFileSync(files[0]!, Buffer.from([0, 0, 0, 9, 1, 2]));
    assert.equal(await store.get('http://h/damaged', 'g1'), undefined);
    assert.match(errors.join('\n'), /unreadable/);
    assert.equal(await store.has('http://h/damaged', 'g1'), false, 'removed');
  });

  test('retainOnly removes the pages of other generations', async () => {
    const store = new PageStore(dir);
    await store.put('http://h/x', 'old', page('old'));
    await store.put('http://h/x', 'new', page('new'));
    await store.retainOnly('new');
    assert.equal(await store.has('http://h/x', 'old'), false);
    assert.equal(await store.has('http://h/x', 'new'), true);
  });

  test('a write that cannot happen is reported, not thrown', async () => {
    const file = path.join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const errors: string[] = [];
    const store = new PageStore(file, { onError: (e) => errors.push(e.message) });
    await store.put('http://h/y', 'g', page('y'));
    assert.match(errors.join('\n'), /cannot write http:\/\/h\/y/);
    assert.equal(store.stats.errors, 1);
  });
});

describe('pages from the store, on a database filled by the pipeline', () => {
  let f: AnalysisFixture;
  let dir: string;
  let clause: number;
  const servers: WebServer[] = [];
  const server = async () => {
    const s = await buildServer({ db: f.db, indexer: false, pdf: false, cacheCheckMs: 0, pages: { dir } });
    servers.push(s);
    return s;
  };
  const get = (s: WebServer, url: string, headers: Record<string, string> = {}) => s.app.inject({ method: 'GET', url, headers: { host: 'cw.test', ...headers } });

  before(async () => {
    f = await fillAnalysisFixture('pglite');
    dir = mkdtempSync(path.join(os.tmpdir(), 'cw-pages-srv-'));
    clause = await provisionWith(f.db, f.docs.get('mistral-ai')!.get('terms-of-service')!, 'We do not use Your Data to train');
  });
  after(async () => {
    for (const s of servers) await s.close();
    await f?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a page rendered once is served by a fresh server from disk, identical; a data change renders it again', async () => {
    const url = `/provisions/${recordId('provision', clause)}`;
    const a = await server();
    const first = await get(a, url);
    assert.equal(first.statusCode, 200);
    await a.ctx.pages!.flush();
    assert.equal(a.ctx.pages!.stats.writes, 1);

    const b = await server();
    const again = await get(b, url);
    assert.equal(again.statusCode, 200);
    assert.equal(b.ctx.pages!.stats.hits, 1, 'read from the store');
    assert.equal(again.body, first.body);
    assert.equal(again.headers.etag, first.headers.etag);
    const zipped = await get(await server(), url, { 'accept-encoding': 'gzip' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(zipped.rawPayload).toString('utf8'), first.body);

    await upsertPlatform(f.db, { slug: 'newcomer', name: 'Newcomer' });
    const c = await server();
    const after = await get(c, url);
    assert.equal(after.statusCode, 200);
    assert.equal(c.ctx.pages!.stats.hits, 0, 'not served from the store after the data changed');
  });

  test('pre-rendering stores every platform, clause-type and provision page, and a second pass renders none', async () => {
    const s = await server();
    const r = await prerenderPages(s, 'http://cw.test');
    assert.equal(r.complete, true);
    assert.equal(r.failed, 0);
    const provisions = Number((await f.db.query<{ n: number }>('SELECT count(*)::int AS n FROM provisions'))[0]!.n);
    assert.ok(r.rendered + r.present > provisions, `${r.rendered} rendered, ${r.present} present, ${provisions} provisions`);
    assert.equal(pageFiles(dir).length, r.rendered + r.present, 'one file per page, the other generations removed');

    const again = await prerenderPages(s, 'http://cw.test');
    assert.equal(again.rendered, 0);
    assert.equal(again.present, r.rendered + r.present);

    const fresh = await server();
    const res = await get(fresh, '/platforms/mistral-ai');
    assert.equal(res.statusCode, 200);
    assert.equal(fresh.ctx.pages!.stats.hits, 1);
    assert.equal(fresh.ctx.cache.stats.hits, 0);
  });

  test('a listening server renders ahead by itself once the data is still, for the origin readers use', async () => {
    const own = mkdtempSync(path.join(os.tmpdir(), 'cw-pages-bg-'));
    const s = await startServer({ db: f.db, port: 0, indexer: false, pdf: false, cacheCheckMs: 0, pages: { dir: own, prerender: { quietMs: 0, checkEveryMs: 50 } } });
    try {
      const origin = s.url;
      const provisions = Number((await f.db.query<{ n: number }>('SELECT count(*)::int AS n FROM provisions'))[0]!.n);
      for (let i = 0; i < 600 && pageFiles(own).length <= provisions; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(pageFiles(own).length > provisions, `${pageFiles(own).length} pages rendered ahead`);
      const res = await fetch(`${origin}/provisions/${recordId('provision', clause)}`);
      assert.equal(res.status, 200);
      await res.text();
      assert.equal(s.ctx.pages!.stats.hits, 1, 'the reader got the page rendered ahead');
    } finally {
      await s.close();
      rmSync(own, { recursive: true, force: true });
    }
  });
});

describe('render-pages (CLI) on PostgreSQL', () => {
  let f: AnalysisFixture;
  let dir: string;
  before(async () => {
    f = await fillAnalysisFixture('postgres');
    dir = mkdtempSync(path.join(os.tmpdir(), 'cw-pages-cli-'));
  });
  after(async () => {
    await f?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('renders every page once, then finds them all stored; a bad origin is a usage error', async () => {
    const env = { DATABASE_URL: f.t.url, CLAUSEWATCH_PAGES: dir };
    const first = await cli(['render-pages', '--origin', 'https://clausewatch.example', '--json'], env);
    assert.equal(first.code, 0, first.stderr);
    const r = JSON.parse(first.stdout) as { rendered: number; present: number; failed: number; complete: boolean; origin: string };
    assert.equal(r.complete, true);
    assert.equal(r.failed, 0);
    assert.ok(r.rendered > 10);
    assert.equal(r.origin, 'https://clausewatch.example');
    const second = JSON.parse((await cli(['render-pages', '--origin', 'https://clausewatch.example', '--json'], env)).stdout) as typeof r;
    assert.equal(second.rendered, 0);
    assert.equal(second.present, r.rendered);
    const bad = await cli(['render-pages', '--origin', 'ftp://x'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--origin "ftp:\/\/x" must be an http\(s\) URL/);
    const off = await cli(['render-pages'], { ...env, CLAUSEWATCH_PAGES: 'off' });
    assert.equal(off.code, 2);
    assert.match(off.stderr, /switched off/);
  });
});
