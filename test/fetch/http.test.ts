import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import type { FetchOutcome, FetchProblem, FetchedPage } from '../../src/domain/types.ts';
import { createFetcher, type PageFetcher } from '../../src/fetch/index.ts';
import { makePdf } from './pdf-fixture.ts';
import { FAST, serve, type TestServer } from './servers.ts';

function page(outcome: FetchOutcome): FetchedPage {
  if (!outcome.ok) assert.fail(`expected a page, got ${outcome.problem.kind}: ${outcome.problem.detail}`);
  return outcome.page;
}
function problem(outcome: FetchOutcome): FetchProblem {
  if (outcome.ok) assert.fail(`expected a problem, got HTTP ${outcome.page.status} ${outcome.page.mediaType}`);
  return outcome.problem;
}

const HTML = '<!doctype html><html><head><title>Terms</title></head><body><h1>Terms of Service</h1><p>Be nice.</p></body></html>';

describe('plain HTTP fetching', () => {
  let server: TestServer;
  let fetcher: PageFetcher;
  const counters = new Map<string, number>();
  const bump = (key: string) => {
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    return n;
  };

  before(async () => {
    server = await serve((req, res) => {
      const path = req.url ?? '/';
      switch (path) {
        case '/terms':
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML);
          return;
        case '/cp1252-header':
          res.writeHead(200, { 'content-type': 'text/html; charset=windows-1252' });
          res.end(Buffer.concat([Buffer.from('<p>'), Buffer.from([0x93, 0x43, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x80]), Buffer.from('</p>')]));
          return;
        case '/latin1-label':
          // Browsers read "iso-8859-1" as windows-1252, so 0x93/0x94 are curly quotes, not C1 controls.
          res.writeHead(200, { 'content-type': 'text/plain; charset=ISO-8859-1' }).end(Buffer.from([0x93, 0x68, 0x69, 0x94]));
          return;
        case '/cp1252-meta':
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(Buffer.concat([Buffer.from('<html><head><meta charset="windows-1252"><title>x</title></head><body>'), Buffer.from([0x43, 0x61, 0x66, 0xe9]), Buffer.from('</body></html>')]));
          return;
        case '/http-equiv-sjis':
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(
            Buffer.concat([
              Buffer.from('<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head><body>'),
              Buffer.from([0x97, 0x98, 0x97, 0x70, 0x8b, 0x4b, 0x96, 0xf1]),
              Buffer.from('</body></html>'),
            ]),
          );
          return;
        case '/gbk-header':
          res.writeHead(200, { 'content-type': 'text/html; charset=GBK' });
          res.end(Buffer.concat([Buffer.from('<p>'), Buffer.from([0xb7, 0xfe, 0xce, 0xf1, 0xcc, 0xf5, 0xbf, 0xee]), Buffer.from('</p>')]));
          return;
        case '/bom-beats-header':
          res.writeHead(200, { 'content-type': 'text/html; charset=windows-1252' });
          res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<p>Café — ok</p>', 'utf8')]));
          return;
        case '/utf16-bom': {
          const text = Buffer.from('<p>Conditions générales</p>', 'utf16le');
          res.writeHead(200, { 'content-type': 'text/html' }).end(Buffer.concat([Buffer.from([0xff, 0xfe]), text]));
          return;
        }
        case '/bogus-label':
          res.writeHead(200, { 'content-type': 'text/html; charset=no-such-charset' });
          res.end(Buffer.concat([Buffer.from('<meta charset="bogus-too"><p>'), Buffer.from('Café', 'utf8'), Buffer.from('</p>')]));
          return;
        case '/gzip':
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' }).end(zlib.gzipSync(HTML));
          return;
        case '/brotli':
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'br' }).end(zlib.brotliCompressSync(HTML));
          return;
        case '/deflate-raw':
          res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'deflate' }).end(zlib.deflateRawSync(HTML));
          return;
        case '/deflate-zlib':
          res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'deflate' }).end(zlib.deflateSync(HTML));
          return;
        case '/bomb':
          // 32 MB of zeros packs into ~32 KB: fine on the wire, ruinous once inflated.
          res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(GZIP_BOMB);
          return;
        case '/corrupt-gzip':
          res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(zlib.gzipSync(HTML).subarray(0, 20));
          return;
        case '/zstd':
          res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'zstd' }).end('xx');
          return;
        case '/big-declared':
          res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(200 * 1024) }).end(Buffer.alloc(200 * 1024, 0x61));
          return;
        case '/big-chunked':
          res.writeHead(200, { 'content-type': 'text/html' });
          for (let i = 0; i < 8; i++) res.write(Buffer.alloc(16 * 1024, 0x61));
          res.end();
          return;
        case '/stall':
          res.writeHead(200, { 'content-type': 'text/html' });
          res.flushHeaders();
          return;
        case '/drip': {
          res.writeHead(200, { 'content-type': 'text/html' });
          const timer = setInterval(() => res.write('.'), 50);
          res.on('close', () => clearInterval(timer));
          return;
        }
        case '/loop-a':
          res.writeHead(302, { location: '/loop-b' }).end();
          return;
        case '/loop-b':
          res.writeHead(301, { location: '/loop-a' }).end();
          return;
        case '/503-then-200':
          if (bump(path) === 1) res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
          else res.writeHead(200, { 'content-type': 'text/html' }).end(HTML);
          return;
        case '/always-503':
          bump(path);
          res.writeHead(503).end('down');
          return;
        case '/404':
          bump(path);
          res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
          return;
        case '/429-retry-after':
          if (bump(path) === 1) res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('slow down');
          else res.writeHead(200, { 'content-type': 'text/html' }).end(HTML);
          return;
        case '/429-long':
          bump(path);
          res.writeHead(429, { 'retry-after': '3600' }).end('come back in an hour');
          return;
        case '/reset-then-200':
          if (bump(path) === 1) req.socket.destroy();
          else res.writeHead(200, { 'content-type': 'text/html' }).end(HTML);
          return;
        case '/cloudflare':
          bump(path);
          res.writeHead(403, { 'content-type': 'text/html; charset=UTF-8', server: 'cloudflare' }).end(CLOUDFLARE_CHALLENGE);
          return;
        case '/cloudflare-503':
          bump(path);
          res.writeHead(503, { 'content-type': 'text/html', 'cf-mitigated': 'challenge' }).end('<html><body>Checking your browser</body></html>');
          return;
        case '/mentions-captcha':
          res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Privacy</h1><p>We use reCAPTCHA and Cloudflare to verify you are human.</p>');
          return;
        case '/empty':
          res.writeHead(200, { 'content-type': 'text/html' }).end();
          return;
        case '/whitespace':
          res.writeHead(200, { 'content-type': 'text/html' }).end(' \n\t \r\n ');
          return;
        case '/binary':
          res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x10, 0x89, 0x50, 0x4e, 0x47]));
          return;
        case '/png':
          res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
          return;
        case '/octet-html':
          res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(HTML);
          return;
        case '/plain':
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('Terms\n\n1. Be nice.\n');
          return;
        case '/terms.pdf':
          res.writeHead(200, { 'content-type': 'application/pdf' }).end(makePdf([['Terms of Service', 'Effective 1 May 2025'], ['2. Liability', 'We are not liable.']]));
          return;
        case '/pdf-as-octet':
          res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(makePdf([['Privacy Policy']]));
          return;
        case '/empty.pdf':
          res.writeHead(200, { 'content-type': 'application/pdf' }).end(makePdf([[], []]));
          return;
        case '/corrupt.pdf':
          res.writeHead(200, { 'content-type': 'application/pdf' }).end(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300, 0x7a)]));
          return;
        default:
          if (path.startsWith('/chain/')) {
            const n = Number(path.slice('/chain/'.length));
            if (n > 0) res.writeHead(302, { location: `/chain/${n - 1}` }).end();
            else res.writeHead(200, { 'content-type': 'text/html' }).end('<p>end of chain</p>');
            return;
          }
          res.writeHead(404).end('no route');
      }
    });
    fetcher = createFetcher({ ...FAST, maxBytes: 100 * 1024, maxDecompressedBytes: 1024 * 1024, retries: 2 });
  });

  after(async () => {
    await fetcher.close();
    await server.close();
  });

  test('fetches HTML and identifies itself honestly', async () => {
    const p = page(await fetcher.fetchPage(server.url('/terms')));
    assert.equal(p.status, 200);
    assert.equal(p.mediaType, 'text/html');
    assert.equal(p.fetcher, 'http');
    assert.equal(p.text, HTML);
    assert.deepEqual(p.body, Buffer.from(HTML));
    assert.equal(p.url, server.url('/terms'));
    assert.equal(p.finalUrl, server.url('/terms'));
    assert.ok(p.fetchedAt instanceof Date);
    const sent = server.headers.at(-1)!;
    assert.match(sent['user-agent'] ?? '', /^Clausewatch\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/clausewatch\/clausewatch; legal-document monitor\)$/);
    assert.match(sent['accept-encoding'] ?? '', /gzip/);
  });

  describe('charsets', () => {
    test('windows-1252 declared in the header', async () => {
      assert.equal(page(await fetcher.fetchPage(server.url('/cp1252-header'))).text, '<p>\u201cCafé\u201d €</p>');
    });
    test('a latin1 label decodes as windows-1252', async () => {
      assert.equal(page(await fetcher.fetchPage(server.url('/latin1-label'))).text, '\u201chi\u201d');
    });
    test('windows-1252 declared in <meta charset>', async () => {
      assert.match(page(await fetcher.fetchPage(server.url('/cp1252-meta'))).text, /<body>Café<\/body>/);
    });
    test('Shift_JIS declared with http-equiv', async () => {
      assert.match(page(await fetcher.fetchPage(server.url('/http-equiv-sjis'))).text, /利用規約/);
    });
    test('GBK declared in the header', async () => {
      assert.equal(page(await fetcher.fetchPage(server.url('/gbk-header'))).text, '<p>服务条款</p>');
    });
    test('a UTF-8 BOM wins over the header and is stripped', async () => {
      assert.equal(page(await fetcher.fetchPage(server.url('/bom-beats-header'))).text, '<p>Café — ok</p>');
    });
    test('UTF-16LE with a BOM', async () => {
      assert.equal(page(await fetcher.fetchPage(server.url('/utf16-bom'))).text, '<p>Conditions générales</p>');
    });
    test('unknown labels fall back to UTF-8 instead of failing', async () => {
      assert.match(page(await fetcher.fetchPage(server.url('/bogus-label'))).text, /Café/);
    });
  });

  describe('content encodings', () => {
    for (const path of ['/gzip', '/brotli', '/deflate-raw', '/deflate-zlib']) {
      test(`decodes ${path.slice(1)}`, async () => {
        const p = page(await fetcher.fetchPage(server.url(path)));
        assert.equal(p.text, HTML);
        assert.deepEqual(p.body, Buffer.from(HTML), 'body holds the decoded bytes');
      });
    }
    test('a gzip bomb stops at maxDecompressedBytes', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/bomb')));
      assert.equal(pr.kind, 'too-large');
      assert.match(pr.detail, /maxDecompressedBytes/);
    });
    test('a truncated gzip body is a clear network problem', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/corrupt-gzip')));
      assert.equal(pr.kind, 'network');
      assert.match(pr.detail, /gzip body/);
    });
    test('an unknown Content-Encoding is refused', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/zstd')));
      assert.equal(pr.kind, 'unsupported-content');
      assert.match(pr.detail, /zstd/);
    });
  });

  describe('size limits and timeouts', () => {
    test('a declared Content-Length over maxBytes is refused before reading', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/big-declared')));
      assert.equal(pr.kind, 'too-large');
      assert.match(pr.detail, /Content-Length/);
    });
    test('a chunked body over maxBytes is cut off while streaming', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/big-chunked')));
      assert.equal(pr.kind, 'too-large');
      assert.match(pr.detail, /maxBytes/);
    });
    test('a server that sends headers then nothing times out on time', async () => {
      const quick = createFetcher({ ...FAST, timeoutMs: 300, retries: 0 });
      const t0 = Date.now();
      const pr = problem(await quick.fetchPage(server.url('/stall')));
      const took = Date.now() - t0;
      await quick.close();
      assert.equal(pr.kind, 'timeout');
      assert.ok(took >= 280 && took < 1500, `took ${took} ms`);
    });
    test('a slow drip cannot keep a fetch alive past timeoutMs', async () => {
      const quick = createFetcher({ ...FAST, timeoutMs: 400, retries: 0 });
      const t0 = Date.now();
      const pr = problem(await quick.fetchPage(server.url('/drip')));
      const took = Date.now() - t0;
      await quick.close();
      assert.equal(pr.kind, 'timeout');
      assert.ok(took >= 380 && took < 1500, `took ${took} ms`);
    });
    test('timeouts are retried', async () => {
      const quick = createFetcher({ ...FAST, timeoutMs: 150, retries: 1 });
      const before = server.hits.filter((h) => h === '/stall').length;
      const pr = problem(await quick.fetchPage(server.url('/stall')));
      await quick.close();
      assert.equal(pr.kind, 'timeout');
      assert.equal(server.hits.filter((h) => h === '/stall').length - before, 2);
    });
  });

  describe('redirects', () => {
    test('a redirect loop is reported as such', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/loop-a')));
      assert.equal(pr.kind, 'too-many-redirects');
      assert.match(pr.detail, /loop/);
    });
    test('a chain longer than maxRedirects fails, one within it succeeds', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/chain/6')));
      assert.equal(pr.kind, 'too-many-redirects');
      assert.match(pr.detail, /more than 5 redirects/);
      const p = page(await fetcher.fetchPage(server.url('/chain/5')));
      assert.equal(p.finalUrl, server.url('/chain/0'));
      assert.equal(p.url, server.url('/chain/5'));
    });
  });

  describe('retries and statuses', () => {
    test('503 then 200 succeeds on the retry', async () => {
      const p = page(await fetcher.fetchPage(server.url('/503-then-200')));
      assert.equal(p.text, HTML);
      assert.equal(counters.get('/503-then-200'), 2);
    });
    test('persistent 503 gives up after the retries', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/always-503')));
      assert.equal(pr.kind, 'http-status');
      assert.equal(pr.httpStatus, 503);
      assert.equal(counters.get('/always-503'), 3);
    });
    test('404 is not retried', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/404')));
      assert.equal(pr.kind, 'http-status');
      assert.equal(pr.httpStatus, 404);
      assert.equal(pr.url, server.url('/404'));
      assert.equal(counters.get('/404'), 1);
    });
    test('429 honours Retry-After', async () => {
      const t0 = Date.now();
      const p = page(await fetcher.fetchPage(server.url('/429-retry-after')));
      assert.ok(Date.now() - t0 >= 950, 'waited for Retry-After: 1');
      assert.equal(p.status, 200);
      assert.equal(counters.get('/429-retry-after'), 2);
    });
    test('a Retry-After beyond the cap is not waited for', async () => {
      const t0 = Date.now();
      const pr = problem(await fetcher.fetchPage(server.url('/429-long')));
      assert.ok(Date.now() - t0 < 1000);
      assert.equal(pr.kind, 'http-status');
      assert.equal(pr.httpStatus, 429);
      assert.match(pr.detail, /3600 s/);
      assert.equal(counters.get('/429-long'), 1);
    });
    test('a connection reset is retried', async () => {
      const p = page(await fetcher.fetchPage(server.url('/reset-then-200')));
      assert.equal(p.status, 200);
      assert.equal(counters.get('/reset-then-200'), 2);
    });
    test('a refused connection is a network problem, not an exception', async () => {
      const gone = await serve((_req, res) => res.end());
      const url = gone.url('/');
      await gone.close();
      const pr = problem(await fetcher.fetchPage(url));
      assert.equal(pr.kind, 'network');
      assert.match(pr.detail, /ECONNREFUSED/);
    });
    test('invalid URLs and other schemes are problems too', async () => {
      assert.equal(problem(await fetcher.fetchPage('not a url')).kind, 'network');
      assert.match(problem(await fetcher.fetchPage('ftp://example.com/terms')).detail, /unsupported scheme/);
    });
    test('a caller abort ends the fetch with a problem', async () => {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const t0 = Date.now();
      const pr = problem(await fetcher.fetchPage(server.url('/stall'), { signal: ac.signal }));
      assert.ok(Date.now() - t0 < 1000);
      assert.equal(pr.kind, 'network');
      assert.match(pr.detail, /aborted/);
    });
  });

  describe('content checks', () => {
    test('a Cloudflare challenge is a bot wall and is not retried', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/cloudflare')));
      assert.equal(pr.kind, 'bot-wall');
      assert.equal(pr.httpStatus, 403);
      assert.match(pr.detail, /Just a moment/);
      assert.equal(counters.get('/cloudflare'), 1);
    });
    test('cf-mitigated: challenge on a 503 is a bot wall, not a retry', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/cloudflare-503')));
      assert.equal(pr.kind, 'bot-wall');
      assert.equal(counters.get('/cloudflare-503'), 1);
    });
    test('a normal page that mentions captchas is not a bot wall', async () => {
      page(await fetcher.fetchPage(server.url('/mentions-captcha')));
    });
    test('an empty 200 is empty-page', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/empty')));
      assert.equal(pr.kind, 'empty-page');
      assert.match(pr.detail, /0 bytes/);
    });
    test('a whitespace-only 200 is empty-page', async () => {
      assert.equal(problem(await fetcher.fetchPage(server.url('/whitespace'))).kind, 'empty-page');
    });
    test('binary octet-stream and images are unsupported', async () => {
      assert.equal(problem(await fetcher.fetchPage(server.url('/binary'))).kind, 'unsupported-content');
      const pr = problem(await fetcher.fetchPage(server.url('/png')));
      assert.equal(pr.kind, 'unsupported-content');
      assert.match(pr.detail, /image\/png/);
    });
    test('HTML mislabelled as octet-stream is still read', async () => {
      const p = page(await fetcher.fetchPage(server.url('/octet-html')));
      assert.equal(p.mediaType, 'text/html');
      assert.equal(p.text, HTML);
    });
    test('text/plain is kept as text', async () => {
      const p = page(await fetcher.fetchPage(server.url('/plain')));
      assert.equal(p.mediaType, 'text/plain');
      assert.equal(p.text, 'Terms\n\n1. Be nice.\n');
    });
  });

  describe('PDF', () => {
    test('text is extracted per page with line breaks', async () => {
      const p = page(await fetcher.fetchPage(server.url('/terms.pdf')));
      assert.equal(p.mediaType, 'application/pdf');
      assert.equal(p.text, 'Terms of Service\nEffective 1 May 2025\n\n2. Liability\nWe are not liable.');
      assert.equal(p.body.subarray(0, 5).toString('latin1'), '%PDF-');
    });
    test('PDF magic is recognised under a generic Content-Type', async () => {
      const p = page(await fetcher.fetchPage(server.url('/pdf-as-octet')));
      assert.equal(p.mediaType, 'application/pdf');
      assert.equal(p.text, 'Privacy Policy');
    });
    test('a PDF without a text layer is empty-page', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/empty.pdf')));
      assert.equal(pr.kind, 'empty-page');
      assert.match(pr.detail, /no text layer/);
    });
    test('a corrupt PDF is a clear problem', async () => {
      const pr = problem(await fetcher.fetchPage(server.url('/corrupt.pdf')));
      assert.equal(pr.kind, 'unsupported-content');
      assert.match(pr.detail, /PDF/);
    });
  });
});

const GZIP_BOMB = zlib.gzipSync(Buffer.alloc(32 * 1024 * 1024), { level: 9 });

const CLOUDFLARE_CHALLENGE = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">
</head><body><div class="main-wrapper" role="main"><div class="main-content"><h1 class="zone-name-title h1">example.com</h1>
<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2><noscript><div id="challenge-error-title">
Enable JavaScript and cookies to continue</div></noscript></div></div>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: "example.com",cType: 'managed'};
var cpo = document.createElement('script');cpo.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8a1b2c3d4e5f6a7b';
document.getElementsByTagName('head')[0].appendChild(cpo);}());</script></body></html>`;
