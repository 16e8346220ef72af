import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { assessExtraction, detectBotWall, extractMarkdown } from '../../src/extract/index.ts';
import { loadCorpus, loadFolder, readSnapshot, snapshotsDir } from './corpus.ts';

const page = (title: string, body: string): string => `<html><head><title>${title}</title></head><body>${body}</body></html>`;
const extract = (html: string): string => extractMarkdown(html, { url: 'https://example.com/' }).markdown;
const assess = (html: string, previous?: string) => assessExtraction(extract(html), html, previous);

const POLICY = `<h1>Privacy Policy</h1>${'<p>We process personal data to provide the service, and we explain here which data, why, for how long, and your rights under applicable data protection law.</p>'.repeat(20)}`;

describe('assessExtraction: error pages', () => {
  test("Spotify's error page, in English and German (from pga-versions)", () => {
    const en = page('Spotify', "<h1>We're all mixed up</h1><p>Refresh this page or try again later. It may take some time to get things up again.</p>");
    assert.equal(assess(en)?.kind, 'error-page');
    const de = page('Spotify', '<h1>Da ist wohl etwas schiefgegangen.</h1><p>Aktualisiere diese Seite oder versuch’s später nochmal.</p>');
    assert.equal(assess(de)?.kind, 'error-page');
  });

  test("Facebook's \"This Page Isn't Available Right Now\"", () => {
    const html = page('Facebook', "<img alt=''><h2>This Page Isn't Available Right Now</h2><p>This may be because of a technical error that we're working to get fixed. Try reloading this page.</p><a href='#'>Reload Page</a>");
    assert.equal(assess(html)?.kind, 'error-page');
  });

  test('404 and page-not-found pages', () => {
    assert.equal(assess(page('404 Not Found', '<h1>Not Found</h1><p>The requested URL was not found on this server.</p>'))?.kind, 'error-page');
    assert.equal(assess(page('Example', '<h1>Page not found</h1><p>Sorry.</p>'))?.kind, 'error-page');
    assert.equal(assess(page('Example', '<h1>Oops</h1><p>Error 404: this page does not exist.</p>'))?.kind, 'error-page');
  });

  test('bot walls: captcha, "verify you are human", access denied, Cloudflare challenge', () => {
    assert.match(assess(page('Just a moment...', '<p>Checking if the site connection is secure</p>'))!.detail, /bot wall/);
    assert.equal(assess(page('Example', '<p>Please verify you are a human to continue.</p>'))?.kind, 'error-page');
    assert.equal(assess(page('Access Denied', "<h1>Access Denied</h1><p>You don't have permission to access this resource.</p>"))?.kind, 'error-page');
    const challenge = '<html><head><title>Example</title><script>window._cf_chl_opt={cvId:"3"}</script></head><body><p>Enable JavaScript and cookies to continue</p></body></html>';
    assert.equal(assess(challenge)?.kind, 'error-page');
  });
});

describe('assessExtraction: stubs, empty, shrunk', () => {
  test('the Open Terms Archive redirect stub (demo-snapshots f8b83c4c)', () => {
    const html = '<!doctype html><html lang="en"><head><title>You should be redirected quickly</title><meta http-equiv="refresh" content="0; url=https://opentermsarchive.org/en/privacy-policy/"></head><body><p>You should be redirected quickly, if not <a href="https://opentermsarchive.org/en/privacy-policy/">click here</a>.</p></body></html>';
    assert.equal(assess(html)?.kind, 'redirect-stub');
  });

  test('empty output', () => {
    assert.deepEqual(assessExtraction('', '<html></html>')?.kind, 'empty');
    assert.deepEqual(assessExtraction('---\n\n| |\n', '<html></html>')?.kind, 'empty');
  });

  test('a sudden loss of most of the text against the previous version', () => {
    const previous = extract(POLICY);
    assert.equal(assessExtraction('# Privacy Policy\n', POLICY, previous)?.kind, 'shrunk');
    const trimmed = extract(POLICY.slice(0, Math.floor(POLICY.length * 0.6)));
    assert.equal(assessExtraction(trimmed, POLICY, previous), null, 'a 40% cut is an edit, not a failure');
  });

  test('GitHub Copilot privacy S2: the broken selector leaves only the title, flagged as shrunk', () => {
    const snaps = loadFolder('GitHub Copilot/Privacy Policy');
    const s1 = snaps.find((s) => s.file === '2023-11-09T18-30-04Z_e248ff5e.html')!;
    const s2 = snaps.find((s) => s.file === '2023-11-13T18-30-03Z_8512af76.html')!;
    const before = extractMarkdown(readSnapshot(s1), { url: s1.url, select: s1.select });
    const html2 = readSnapshot(s2);
    const after = extractMarkdown(html2, { url: s2.url, select: s2.select });
    assert.equal(after.matched, true, 'the title selector still matches');
    assert.equal(after.markdown, '# GitHub Privacy Statement\n');
    const verdict = assessExtraction(after.markdown, html2, before.markdown);
    assert.equal(verdict?.kind, 'shrunk');
    assert.match(verdict!.detail, /shrank by 99%/);
  });
});

describe('assessExtraction: no false alarms', () => {
  test('short legitimate documents that mention 404, captcha or redirects pass', () => {
    const notice = page('Cookie notice', '<h1>Cookie notice</h1><p>We use a captcha on the sign-up form to stop spam. If a link redirects you to a 404 page, tell us. You may be redirected to our payment provider.</p>');
    assert.equal(assess(notice), null);
    const imprint = page('Imprint', '<h1>Imprint</h1><p>Example GmbH, Street 1, 10115 Berlin. Contact: legal@example.com</p>');
    assert.equal(assess(imprint), null);
  });

  test('long policies that discuss errors and bots pass', () => {
    const html = page('Terms', `${POLICY}<p>Something went wrong? Access denied to your account? Page not found errors (404) are logged. We may ask you to verify you are human.</p>`);
    assert.equal(assess(html), null);
  });

  test('along every corpus series, only the Copilot broken selector is flagged', () => {
    const flagged: string[] = [];
    let folder = '';
    let previous: string | undefined;
    for (const s of loadCorpus()) {
      if (s.folder !== folder) {
        folder = s.folder;
        previous = undefined;
      }
      const html = readSnapshot(s);
      const { markdown } = extractMarkdown(html, { url: s.url, select: s.select, remove: s.remove });
      const verdict = assessExtraction(markdown, html, previous);
      if (verdict) flagged.push(`${s.folder}/${s.file}: ${verdict.kind}`);
      assert.equal(detectBotWall(html, 200), null, `${s.folder}/${s.file} is not a bot wall`);
      previous = markdown;
    }
    // Later title-only snapshots compare with the title-only one before them; a tracker compares with the
    // last trusted version instead, and keeps flagging them.
    assert.deepEqual(flagged, ['GitHub Copilot/Privacy Policy/2023-11-13T18-30-03Z_8512af76.html: shrunk']);
  });
});

describe('detectBotWall', () => {
  test('recognises challenge pages by their markers', () => {
    assert.match(detectBotWall('<html><head><title>Just a moment...</title></head></html>', 403)!, /Cloudflare/);
    assert.match(detectBotWall('<script src="https://geo.captcha-delivery.com/captcha/"></script>', 403)!, /DataDome/);
    assert.match(detectBotWall('<iframe src="/_Incapsula_Resource?x=1"></iframe>', 200)!, /Incapsula/);
  });

  test('uses the status for generic block pages only', () => {
    assert.match(detectBotWall('<p>Please complete the captcha</p>', 429)!, /429/);
    assert.equal(detectBotWall('<p>Please complete the captcha</p>', 200), null);
  });

  test("is not fooled by Cloudflare's challenge-platform script on normal pages (Speechify snapshot)", () => {
    const html = readFileSync(path.join(snapshotsDir, 'Speechify/Terms of Service/2024-02-17T00-31-07Z_18fccde2.html'), 'utf8');
    assert.match(html, /challenge-platform/);
    assert.equal(detectBotWall(html, 200), null);
  });
});
