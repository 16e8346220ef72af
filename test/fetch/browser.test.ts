import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FetchOutcome, FetchProblem, FetchedPage } from '../../src/domain/types.ts';
import { createFetcher, type PageFetcher } from '../../src/fetch/index.ts';
import { makePdf } from './pdf-fixture.ts';
import { FAST, serve, type TestServer } from './servers.ts';

const CHROMIUM = '/usr/bin/chromium';
// Chromium is a system package (apt-get install chromium); without it these tests cannot mean anything.
const skip = existsSync(CHROMIUM) ? false : `Chromium not installed at ${CHROMIUM}`;

function page(outcome: FetchOutcome): FetchedPage {
  if (!outcome.ok) assert.fail(`expected a page, got ${outcome.problem.kind}: ${outcome.problem.detail}`);
  return outcome.page;
}
function problem(outcome: FetchOutcome): FetchProblem {
  if (outcome.ok) assert.fail(`expected a problem, got HTTP ${outcome.page.status}`);
  return outcome.problem;
}

describe('browser fetching', { skip }, () => {
  let site: TestServer;
  let internal: TestServer;
  let fetcher: PageFetcher;

  before(async () => {
    internal = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' }).end('internal secret'), '127.0.0.2');
    site = await serve((req, res) => {
      const html = (body: string, status = 200) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
      switch (req.url) {
        case '/app':
          html(`<!doctype html><html><head><title>App</title></head><body><div id="app">Loading…</div>
<script>setTimeout(() => {
  document.getElementById('app').textContent = 'Rendered terms: clause 7 applies.';
  fetch('/api/more').then(r => r.text()).then(t => { const p = document.createElement('p'); p.textContent = t; document.body.append(p); });
}, 50);</script></body></html>`);
          return;
        case '/api/more':
          setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('Loaded later: clause 8.'), 100);
          return;
        case '/reaches-inside':
          html(`<!doctype html><body><p id="out">pending</p><p id="tls">pending</p><img src="${internal.url('/pixel.png')}">
<script>fetch('https://127.0.0.2:${internal.port}/tls').then(() => { document.getElementById('tls').textContent = 'tls leaked'; },
  () => { document.getElementById('tls').textContent = 'tls refused'; });</script>
<script>fetch('${internal.url('/secret')}').then(r => r.text()).then(t => { document.getElementById('out').textContent = 'leaked ' + t; },
  () => { document.getElementById('out').textContent = 'request refused'; });</script></body>`);
          return;
        case '/redirect-inside-tls':
          res.writeHead(302, { location: `https://127.0.0.2:${internal.port}/secret` }).end();
          return;
        case '/redirect-inside':
          res.writeHead(302, { location: internal.url('/secret') }).end();
          return;
        case '/empty':
          res.writeHead(200, { 'content-type': 'text/html' }).end();
          return;
        case '/hanging-image':
          html('<p>Terms with a tracker that never answers</p><img src="/never">');
          return;
        case '/never':
        case '/stall':
          res.writeHead(200, { 'content-type': 'text/html' });
          res.flushHeaders();
          return;
        case '/missing':
          html('<h1>Not here</h1>', 404);
          return;
        case '/doc.pdf':
          res.writeHead(200, { 'content-type': 'application/pdf' }).end(makePdf([['Browser-fetched PDF terms']]));
          return;
        default:
          html('<p>static</p>');
      }
    });
    // A short idle budget keeps the never-loading-image case quick; /app's late fetch lands well within it.
    fetcher = createFetcher({ ...FAST, allowPrivateAddresses: ['127.0.0.1'], timeoutMs: 3000, networkIdleTimeoutMs: 1000, retries: 0 });
  });

  after(async () => {
    await fetcher.close();
    await site.close();
    await internal.close();
  });

  test('renders content inserted by scripts', async () => {
    const p = page(await fetcher.fetchPage(site.url('/app'), { fetch: 'browser' }));
    assert.equal(p.fetcher, 'browser');
    assert.equal(p.status, 200);
    assert.equal(p.mediaType, 'text/html');
    assert.match(p.text, /<div id="app">Rendered terms: clause 7 applies\.<\/div>/);
    assert.match(p.text, /<p>Loaded later: clause 8\.<\/p>/, 'waited for network idle');
    assert.equal(p.body.toString('utf8'), p.text);
    const ua = site.headers.find((h) => h['user-agent']?.startsWith('Clausewatch/'));
    assert.ok(ua, 'the browser sent the honest user agent');

    const plain = page(await fetcher.fetchPage(site.url('/app')));
    assert.match(plain.text, /<div id="app">Loading…<\/div>/, 'plain HTTP sees only the script');
  });

  test('subresources and fetches to blocked addresses are refused', async () => {
    const p = page(await fetcher.fetchPage(site.url('/reaches-inside'), { fetch: 'browser' }));
    assert.match(p.text, /<p id="out">request refused<\/p>/);
    assert.match(p.text, /<p id="tls">tls refused<\/p>/, 'CONNECT tunnels are guarded too');
    assert.equal(internal.connections(), 0, 'nothing ever connected to the internal server');
  });

  test('a navigation redirected to a blocked address is refused', async () => {
    const pr = problem(await fetcher.fetchPage(site.url('/redirect-inside'), { fetch: 'browser' }));
    assert.equal(pr.kind, 'blocked-address', pr.detail);
    assert.match(pr.detail, /127\.0\.0\.2/);
    const tls = problem(await fetcher.fetchPage(site.url('/redirect-inside-tls'), { fetch: 'browser' }));
    assert.equal(tls.kind, 'blocked-address', tls.detail);
    assert.equal(internal.connections(), 0);
  });

  test('HTTP errors are reported with their status', async () => {
    const pr = problem(await fetcher.fetchPage(site.url('/missing'), { fetch: 'browser' }));
    assert.equal(pr.kind, 'http-status');
    assert.equal(pr.httpStatus, 404);
  });

  test('an empty response is empty-page, not an empty DOM', async () => {
    const pr = problem(await fetcher.fetchPage(site.url('/empty'), { fetch: 'browser' }));
    assert.equal(pr.kind, 'empty-page');
  });

  test('a PDF is fetched over plain HTTP and yields text', async () => {
    const p = page(await fetcher.fetchPage(site.url('/doc.pdf'), { fetch: 'browser' }));
    assert.equal(p.mediaType, 'application/pdf');
    assert.equal(p.text, 'Browser-fetched PDF terms');
  });

  test('a subresource that never loads does not fail the page; a stalled document times out', async () => {
    // Waiting for the load event would hit the 3 s timeout and fail; the DOM is taken after the idle budget.
    const p = page(await fetcher.fetchPage(site.url('/hanging-image'), { fetch: 'browser' }));
    assert.match(p.text, /Terms with a tracker/);
    const t1 = Date.now();
    const pr = problem(await fetcher.fetchPage(site.url('/stall'), { fetch: 'browser' }));
    assert.equal(pr.kind, 'timeout');
    assert.match(pr.detail, /3000 ms/);
    assert.ok(Date.now() - t1 < 5000, `stalled page took ${Date.now() - t1} ms`);
  });

  test('default config refuses loopback before starting anything', async () => {
    const strict = createFetcher({ politenessDelayMs: 0, retries: 0 });
    try {
      const pr = problem(await strict.fetchPage(site.url('/app'), { fetch: 'browser' }));
      assert.equal(pr.kind, 'blocked-address');
    } finally {
      await strict.close();
    }
  });

  test('a Chromium that cannot start is a browser problem', async () => {
    const broken = createFetcher({ ...FAST, browserExecutable: '/nonexistent/chromium', retries: 0 });
    try {
      const pr = problem(await broken.fetchPage(site.url('/app'), { fetch: 'browser' }));
      assert.equal(pr.kind, 'browser');
      assert.match(pr.detail, /could not start Chromium/);
    } finally {
      await broken.close();
    }
  });
});
