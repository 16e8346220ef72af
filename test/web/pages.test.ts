// Every HTML page over HTTP (Fastify's injector: the full request path, no socket), on both database
// drivers, over one database per driver filled by the real pipeline (see fixture.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Parser } from 'htmlparser2';
import { buildServer, type WebServer } from '../../src/web/server.ts';
import { recordId } from '../../src/domain/record-id.ts';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { fillWebFixture, type WebFixture, EVIL_DOCUMENT_NAME, EVIL_PLATFORM_NAME, MURF_URL } from './fixture.ts';

const V = (id: number) => recordId('version', id);

function assertSecurityHeaders(res: { headers: Record<string, unknown> }, where: string) {
  const csp = String(res.headers['content-security-policy'] ?? '');
  assert.match(csp, /default-src 'none'/, `${where}: CSP present`);
  assert.doesNotMatch(csp, /script-src|unsafe-inline/, `${where}: no script allowed`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${where}: nosniff`);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', `${where}: referrer policy`);
}

/** Parses the page as a browser would and checks no element can run script. */
function assertNoRawHostileMarkup(body: string, where: string) {
  const found: string[] = [];
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === 'script' || name === 'iframe' || name === 'object' || name === 'embed') found.push(`<${name}>`);
      for (const [k, v] of Object.entries(attrs)) {
        if (/^on/i.test(k)) found.push(`${name}[${k}]`);
        if (/^(href|src|action|formaction)$/i.test(k) && /^\s*(javascript|data|vbscript):/i.test(v)) found.push(`${name}[${k}=${v}]`);
      }
    },
  });
  parser.write(body);
  parser.end();
  assert.deepEqual(found, [], `${where}: nothing that could run script`);
}

for (const driver of DRIVERS) {
  describe(`${driver}: pages`, () => {
    let f: WebFixture;
    let s: WebServer;
    const get = (url: string, headers: Record<string, string> = {}) => s.app.inject({ method: 'GET', url, headers });

    before(async () => {
      f = await fillWebFixture(driver);
      s = await buildServer({ db: f.db, indexer: false, pdf: false, cacheCheckMs: 0 });
    });
    after(async () => {
      await s?.close();
      await f?.drop();
    });

    test('home: recent changes, search box, platforms; security headers; ETag and 304', async () => {
      const res = await get('/');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/);
      assertSecurityHeaders(res, '/');
      const body = res.body;
      assert.match(body, /<main id="main"/);
      assert.match(body, /role="search"/);
      assert.match(body, /Recent changes/);
      assert.match(body, /href="\/platforms\/murf"/);
      assert.match(body, /Murf AI/);
      assert.match(body, /<a class="skip" href="#main">/, 'skip link for keyboard users');
      assert.doesNotMatch(body, /Nothing has been recorded yet/);
      assertNoRawHostileMarkup(body, '/');
      assert.ok(body.includes('Evil &lt;script&gt;'), 'the hostile platform name is shown escaped');
      const etag = String(res.headers.etag);
      assert.match(etag, /^"[A-Za-z0-9_-]{27}"$/);
      const again = await get('/', { 'if-none-match': etag });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
    });

    test('home on an empty database says so and shows how to import a dataset', async () => {
      const empty = await openTestDb(driver);
      const e = await buildServer({ db: empty.db, indexer: false, pdf: false });
      try {
        const res = await e.app.inject('/');
        assert.equal(res.statusCode, 200);
        assert.match(res.body, /Nothing has been recorded yet/);
        assert.match(res.body, /clausewatch import-ota/);
        assert.match(res.body, /clausewatch track/);
        const status = await e.app.inject('/status');
        assert.equal(status.statusCode, 200);
        const search = await e.app.inject('/search?q=terms');
        assert.match(search.body, /Nothing found/);
      } finally {
        await e.close();
        await empty.drop();
      }
    });

    test('platform list and platform page: documents, activity chart, last 30 days, problems', async () => {
      const list = await get('/platforms');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Murf AI/);
      const res = await get('/platforms/murf');
      assert.equal(res.statusCode, 200);
      const b = res.body;
      assert.match(b, /<h1>Murf AI<\/h1>/);
      assert.match(b, /<svg viewBox="0 0 720 150" role="img" aria-labelledby="activity-t activity-d"/);
      assert.match(b, /<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" class="bar"><title>2023-11: \d+ changes?<\/title>/);
      assert.match(b, /in the last 30 days/);
      assert.match(b, /href="\/platforms\/murf\/terms-of-service"/);
      assert.match(b, /Changes per month, as a table/);
      assert.match(b, /CW-PL-\d{6}/);
      const evil = await get('/platforms/evil-corp');
      assert.equal(evil.statusCode, 200);
      assertNoRawHostileMarkup(evil.body, '/platforms/evil-corp');
      assert.match(evil.body, /held as suspect/);
      assert.match(evil.body, /selector-not-found/);
      assert.ok(!evil.body.includes('href="javascript:'), 'a javascript: homepage is not linked');
    });

    test('document page: record ids, SHA-256, source URL, archive link, snapshot download, compare form, timeline', async () => {
      const res = await get(`/platforms/murf/${f.murf.documentKey}`);
      assert.equal(res.statusCode, 200);
      const b = res.body;
      assert.match(b, new RegExp(recordId('document', f.murf.documentId)));
      const last = f.murf.versionIds.at(-1)!;
      const sha = (await f.db.query<{ text_sha256: string }>('SELECT text_sha256 FROM versions WHERE id = $1', [last]))[0]!.text_sha256;
      assert.ok(b.includes(sha), 'current text SHA-256 shown in full');
      assert.ok(b.includes(`href="${MURF_URL}"`), 'source URL linked');
      assert.match(b, /https:\/\/web\.archive\.org\/web\/\d{14}\/https:\/\/murf\.ai\/resources\/terms_of_service\//);
      assert.match(b, /href="\/snapshots\/CW-S-\d{6}\/raw" download/);
      assert.match(b, /First tracked/);
      assert.match(b, /Last verified/);
      assert.match(b, /<select id="cmp-from" name="from">/);
      assert.match(b, /<label for="cmp-to">To<\/label>/);
      for (const id of f.murf.versionIds) assert.ok(b.includes(`href="/versions/${V(id)}"`), `timeline links ${V(id)}`);
      assert.match(b, /sha256sum/);
    });

    test('diff page: side by side and inline, word level; bad pairs are 400s with what and where', async () => {
      const [a, b] = [f.murf.versionIds[0]!, f.murf.versionIds.at(-1)!];
      const base = `/platforms/murf/${f.murf.documentKey}/diff`;
      const side = await get(`${base}?from=${V(a)}&to=${V(b)}&view=side`);
      assert.equal(side.statusCode, 200);
      assert.match(side.body, /<table class="diff side">/);
      assert.match(side.body, /<ins>/);
      assert.match(side.body, /<del>/);
      const inline = await get(`${base}?from=${V(a)}&to=${V(b)}&view=inline`);
      assert.match(inline.body, /<div class="diff inline">/);
      const dflt = await get(base);
      assert.equal(dflt.statusCode, 200, 'without parameters: the last change');
      const form = await get(`${base}?from=${V(a)}&to=${V(b)}&view=`);
      assert.equal(form.statusCode, 200, 'empty form fields are ignored');
      const bad = await get(`${base}?from=${V(a)}&to=nope`);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /query parameter &quot;to&quot; is not valid \(a version record id, e\.g\. CW-V-000123\)/);
      const other = await get(`${base}?from=${V(a)}&to=${V(f.evil.versionIds[0]!)}`);
      assert.equal(other.statusCode, 400);
      assert.match(other.body, /different documents/);
      const missing = await get(`${base}?from=${V(a)}&to=CW-V-999999`);
      assert.equal(missing.statusCode, 404);
      const view = await get(`${base}?view=sideways`);
      assert.equal(view.statusCode, 400);
      assert.match(view.body, /view/);
    });

    test('version page: text (escaped), metadata, snapshots; hostile text stays text', async () => {
      const id = f.murf.versionIds[1]!;
      const res = await get(`/versions/${V(id)}`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<article class="doc-text"/);
      assert.match(res.body, /Version record/);
      assert.match(res.body, /href="\/snapshots\/CW-S-\d{6}"/);
      assert.match(res.body, /Previous version/);
      const evil = await get(`/versions/${V(f.evil.versionIds[1]!)}`);
      assert.equal(evil.statusCode, 200);
      assertNoRawHostileMarkup(evil.body, 'hostile version');
      assert.ok(evil.body.includes('&lt;script&gt;window.\\_\\_pwned') || evil.body.includes('&lt;script&gt;window.__pwned'), 'the quoted script is shown as text');
      assert.ok(!evil.body.includes(EVIL_DOCUMENT_NAME), 'the hostile document name never appears raw');
      assert.ok(!evil.body.includes(EVIL_PLATFORM_NAME), 'the hostile platform name never appears raw');
      const evilDiff = await get(`/platforms/evil-corp/${f.evil.documentKey}/diff?view=inline`);
      assert.equal(evilDiff.statusCode, 200);
      assertNoRawHostileMarkup(evilDiff.body, 'hostile diff');
    });

    test('snapshot page and raw download: exact bytes, attachment, sandboxed', async () => {
      const snap = (await f.db.query<{ id: number; blob_sha256: string }>('SELECT id, blob_sha256 FROM snapshots WHERE document_id = $1 ORDER BY id LIMIT 1', [f.murf.documentId]))[0]!;
      const page = await get(`/snapshots/${recordId('snapshot', snap.id)}`);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(snap.blob_sha256), 'hash shown');
      const raw = await get(`/snapshots/${recordId('snapshot', snap.id)}/raw`);
      assert.equal(raw.statusCode, 200);
      assert.equal(createHash('sha256').update(raw.rawPayload).digest('hex'), snap.blob_sha256);
      assert.match(String(raw.headers['content-disposition']), /^attachment; filename="CW-S-\d{6}\.html"$/);
      assert.match(String(raw.headers['content-security-policy']), /sandbox/);
      assert.equal(raw.headers.etag, `"${snap.blob_sha256}"`);
      const cached = await get(`/snapshots/${recordId('snapshot', snap.id)}/raw`, { 'if-none-match': `"${snap.blob_sha256}"` });
      assert.equal(cached.statusCode, 304);
      const evilRaw = await get(`/snapshots/${recordId('snapshot', f.evil.snapshotIds[0]!)}/raw`);
      assert.match(String(evilRaw.headers['content-security-policy']), /sandbox/, 'hostile bytes are never rendered on our origin');
    });

    test('capture page of a suspect extraction shows the held text, escaped', async () => {
      const c = (await f.db.query<{ id: number }>(`SELECT id FROM captures WHERE outcome = 'suspect' LIMIT 1`))[0]!;
      const res = await get(`/captures/${recordId('capture', c.id)}`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /held as suspect/);
      assert.match(res.body, /The text that was held back/);
      assert.match(res.body, /Something went wrong/);
    });

    test('search: full text with platform, type and date filters; bad parameters are 400s', async () => {
      const res = await get('/search?q=arbitration');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /\d+ documents? found/);
      assert.match(res.body, /<mark>[Aa]rbitration<\/mark>/);
      assert.match(res.body, /<label for="f-platform">Platform<\/label>/);
      const murf = await get('/search?q=Murf&platform=murf&type=terms-of-service');
      assert.match(murf.body, /1 document found/);
      const none = await get('/search?q=Murf&platform=evil-corp');
      assert.match(none.body, /Nothing found/);
      const dated = await get('/search?q=arbitration&from=2024-03-01&to=2024-03-31');
      assert.match(dated.body, /1 document found/, 'only the hostile document has a version in March 2024');
      const phrase = await get('/search?q=%22binding+arbitration+in+delaware%22');
      assert.match(phrase.body, /1 document found/);
      const blank = await get('/search?q=&platform=&type=&from=&to=');
      assert.equal(blank.statusCode, 200, 'an empty form is the search page itself');
      const badDate = await get('/search?q=x&from=2024-13-45');
      assert.equal(badDate.statusCode, 400);
      assert.match(badDate.body, /query parameter &quot;from&quot; is not valid \(a day, YYYY-MM-DD \(UTC\)\)/);
      const reversed = await get('/search?q=x&from=2024-05-01&to=2024-01-01');
      assert.equal(reversed.statusCode, 400);
      assert.match(reversed.body, /is after/);
      const long = await get(`/search?q=${'a'.repeat(501)}`);
      assert.equal(long.statusCode, 400);
    });

    test('changes feed: filters and cursor pagination; status page; record resolver', async () => {
      const res = await get('/changes');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<table class="changes">/);
      const murf = await get('/changes?platform=murf&type=terms-of-service&from=2023-01-01&to=2025-12-31');
      assert.equal(murf.statusCode, 200);
      assert.ok(!murf.body.includes('evil-corp/'), 'platform filter applies');
      const bad = await get('/changes?cursor=bm9wZQ');
      assert.equal(bad.statusCode, 400);
      const status = await get('/status');
      assert.equal(status.statusCode, 200);
      assert.match(status.body, /selector-not-found/);
      assert.match(status.body, /held as suspect/);
      const v = f.murf.versionIds[0]!;
      const r = await get(`/r/${V(v)}`);
      assert.equal(r.statusCode, 302);
      assert.equal(r.headers.location, `/versions/${V(v)}`);
      const lower = await get(`/r/cw-d-${f.murf.documentId}`);
      assert.equal(lower.statusCode, 302);
      assert.equal(lower.headers.location, `/platforms/murf/${f.murf.documentKey}`);
      assert.equal((await get(`/r/CW-PL-1`)).headers.location, '/platforms/murf');
      assert.equal((await get(`/r/${recordId('snapshot', 1)}`)).headers.location, '/snapshots/CW-S-000001');
      assert.equal((await get(`/r/${recordId('capture', 1)}`)).headers.location, '/captures/CW-C-000001');
      assert.equal((await get('/r/CW-V-999999')).statusCode, 404);
      assert.equal((await get('/r/cw-p-1')).headers.location, '/provisions/CW-P-000001');
      assert.equal((await get('/r/CW-P-999999')).statusCode, 404);
      const malformed = await get('/r/hello');
      assert.equal(malformed.statusCode, 400);
      assert.match(malformed.body, /is not a record id/);
    });

    test('404s and 400s for every kind of path, as HTML pages with the reason', async () => {
      const cases: [string, number, RegExp][] = [
        ['/nothing-here', 404, /nothing at \/nothing-here/],
        ['/platforms/nobody', 404, /no platform &quot;nobody&quot;/],
        ['/platforms/murf/nothing', 404, /no document &quot;nothing&quot;/],
        ['/versions/CW-V-999999', 404, /no version CW-V-999999/],
        ['/snapshots/CW-S-999999', 404, /no snapshot CW-S-999999/],
        ['/snapshots/CW-S-999999/raw', 404, /no snapshot CW-S-999999/],
        ['/captures/CW-C-999999', 404, /no capture CW-C-999999/],
        ['/versions/123', 400, /path segment &quot;version&quot; is not valid/],
        ['/versions/CW-D-000001', 400, /a version record id/],
        ['/platforms/Not_A_Slug', 400, /path segment &quot;slug&quot; is not valid/],
        ['/changes?from=yesterday', 400, /query parameter &quot;from&quot;/],
      ];
      for (const [url, status, message] of cases) {
        const res = await get(url);
        assert.equal(res.statusCode, status, `${url} → ${status}`);
        assert.match(res.body, message, `${url}: the reason is given`);
        assert.match(String(res.headers['content-type']), /text\/html/, `${url}: an HTML page`);
        assertSecurityHeaders(res, url);
      }
    });

    test('stylesheet: hashed URL, immutable; pages reference it', async () => {
      const home = await get('/');
      const href = /<link rel="stylesheet" href="(\/static\/style\.[A-Za-z0-9_-]{10}\.css)">/.exec(home.body)?.[1];
      assert.ok(href, 'the page links the hashed stylesheet');
      const css = await get(href);
      assert.equal(css.statusCode, 200);
      assert.match(String(css.headers['content-type']), /text\/css/);
      assert.match(String(css.headers['cache-control']), /immutable/);
    });
  });
}
