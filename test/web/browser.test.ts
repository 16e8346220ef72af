// The site in a real browser (Debian's Chromium through playwright-core), over a real socket, on a database
// filled by the real pipeline: home → search → platform → document → compare two versions, PDF and snapshot
// downloads, keyboard focus, a phone-sized screen, no JavaScript needed, and tracked pages' scripts never run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type WebServer } from '../../src/web/server.ts';
import { extractPdfText } from '../../src/fetch/pdf-text.ts';
import { recordId } from '../../src/domain/record-id.ts';
import { fillWebFixture, type WebFixture } from './fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium not installed at ${CHROMIUM} (apt-get install chromium)`;

describe('pglite: the site in Chromium', { skip }, () => {
  let f: WebFixture;
  let s: WebServer & { url: string };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];

  before(async () => {
    f = await fillWebFixture('pglite');
    s = await startServer({ db: f.db, port: 0, host: '127.0.0.1', indexer: false, cacheCheckMs: 0 });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
    await f?.drop();
  });

  test('home → search → platform → document → compare two versions (side by side, then inline)', async () => {
    await page.goto(s.url);
    assert.equal(await page.title(), 'Home · Clausewatch');
    await page.getByLabel('Search every version of every document').fill('arbitration');
    await Promise.all([page.waitForURL(/\/search\?q=arbitration/), page.getByRole('button', { name: 'Search' }).last().click()]);
    assert.match(await page.locator('#results-h').innerText(), /found/);
    assert.ok((await page.locator('ol.results mark').count()) > 0, 'matches are marked');

    await page.goto(s.url);
    await Promise.all([page.waitForURL(/\/platforms\/murf$/), page.getByRole('link', { name: 'Murf AI' }).first().click()]);
    assert.equal(await page.locator('h1').innerText(), 'Murf AI');
    assert.equal(await page.locator('svg.activity').getAttribute('role'), 'img');
    await Promise.all([page.waitForURL(/\/platforms\/murf\/terms-of-service$/), page.getByRole('link', { name: 'Terms of Service' }).first().click()]);
    assert.match(await page.locator('.record').innerText(), /CW-D-\d{6}/);

    const [first, last] = [recordId('version', f.murf.versionIds[0]!), recordId('version', f.murf.versionIds.at(-1)!)];
    await page.getByLabel('From').selectOption(first);
    await page.getByLabel('To').selectOption(last);
    await Promise.all([page.waitForURL(/\/diff\?/), page.getByRole('button', { name: 'Compare' }).click()]);
    assert.match(page.url(), new RegExp(`from=${first}&to=${last}&view=side`));
    assert.ok((await page.locator('table.diff.side ins').count()) > 0, 'insertions marked side by side');
    assert.ok((await page.locator('table.diff.side del').count()) > 0, 'deletions marked side by side');
    await Promise.all([page.waitForURL(/view=inline/), page.getByRole('link', { name: 'Show inline' }).click()]);
    assert.ok((await page.locator('.diff.inline ins').count()) > 0, 'insertions marked inline');
  });

  test('downloads: the PDF of a document page and of a version, and a snapshot with its exact bytes', async () => {
    await page.goto(`${s.url}/platforms/murf/${f.murf.documentKey}`);
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'PDF of this page' }).click()]);
    const pdfBytes = readFileSync((await pdf.path())!);
    assert.equal(pdfBytes.subarray(0, 5).toString(), '%PDF-');
    const text = await extractPdfText(pdfBytes);
    assert.match(text, /Terms of Service/);
    assert.match(text, new RegExp(recordId('document', f.murf.documentId)));
    assert.match(text, /sha256sum/, 'the verification steps are printed (details open in print)');
    assert.ok(!/Compare two versions/.test(text), 'forms are left out of the printout');

    const sha = (await page.locator('.record dd code.sha').last().innerText()).trim();
    const [snap] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'download the snapshot' }).click()]);
    const bytes = readFileSync((await snap.path())!);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), sha, 'the downloaded snapshot hashes to the SHA-256 shown');
    assert.match(snap.suggestedFilename(), /^CW-S-\d{6}\.html$/);

    const v = recordId('version', f.murf.versionIds[1]!);
    const res = await page.request.get(`${s.url}/versions/${v}/pdf`);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    const vtext = await extractPdfText(Buffer.from(await res.body()));
    assert.match(vtext, new RegExp(v));
  });

  test('scripts and event handlers in tracked pages never run in ours; the CSP header is sent', async () => {
    const evil = f.evil;
    const urls = [
      `/platforms/evil-corp`,
      `/platforms/evil-corp/${evil.documentKey}`,
      `/platforms/evil-corp/${evil.documentKey}/diff?view=inline`,
      `/platforms/evil-corp/${evil.documentKey}/diff?view=side`,
      `/versions/${recordId('version', evil.versionIds[0]!)}`,
      `/versions/${recordId('version', evil.versionIds[1]!)}`,
      `/snapshots/${recordId('snapshot', evil.snapshotIds[0]!)}`,
      `/search?q=pwned`,
      `/status`,
      `/`,
    ];
    for (const url of urls) {
      const res = await page.goto(s.url + url);
      assert.equal(res?.status(), 200, url);
      assert.match(res!.headers()['content-security-policy'] ?? '', /default-src 'none'/, `${url}: CSP present`);
      // Let anything that could fire (load, error handlers, timers) fire.
      await page.waitForLoadState('load');
      await page.waitForTimeout(100);
      const pwned = await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned);
      assert.equal(pwned, undefined, `${url}: no tracked script ran (got ${pwned})`);
      // The hostile names contain "pwned-…" as text; a script would have replaced the whole title.
      assert.ok(!/^pwned/.test(await page.title()), `${url}: title untouched (${await page.title()})`);
      // Click every link a hostile text could have made: none may run script.
      for (const a of await page.locator('.doc-text a, .diff a').all()) {
        const href = (await a.getAttribute('href')) ?? '';
        assert.ok(!/^\s*javascript:/i.test(href), `${url}: no javascript: link`);
      }
    }
    const hostileText = await page.goto(`${s.url}/versions/${recordId('version', evil.versionIds[1]!)}`).then(() => page.locator('.doc-text').innerText());
    assert.match(hostileText, /<script>window\.\\?_\\?_pwned = 'escaped-script'/, 'the quoted markup is visible as text');
    assert.deepEqual(dialogs, [], 'no dialog opened');
  });

  test('keyboard: the skip link comes first and focus is visible', async () => {
    await page.goto(s.url);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const cs = getComputedStyle(el);
      return { text: el.textContent, outline: cs.outlineStyle, width: cs.outlineWidth, left: el.getBoundingClientRect().left };
    });
    assert.equal(focused.text, 'Skip to content');
    assert.equal(focused.outline, 'solid', 'a visible focus outline');
    assert.ok(focused.left >= 0, 'the skip link is on screen when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  });

  test('a phone-sized screen: no page-wide horizontal scrolling; the diff stacks', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
    try {
      const p = await phone.newPage();
      const base = `${s.url}/platforms/murf/${f.murf.documentKey}`;
      for (const url of [s.url, `${s.url}/platforms/murf`, base, `${base}/diff`, `${s.url}/versions/${recordId('version', f.murf.versionIds[0]!)}`, `${s.url}/search?q=arbitration`]) {
        await p.goto(url);
        const { scroll, client } = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        assert.ok(scroll <= client + 1, `${url}: page width ${scroll} fits the screen ${client}`);
      }
      await p.goto(`${base}/diff`);
      const display = await p.locator('table.diff td').first().evaluate((el) => getComputedStyle(el).display);
      assert.equal(display, 'block', 'side-by-side cells stack on a phone');
    } finally {
      await phone.close();
    }
  });

  test('works without JavaScript: search and compare are plain forms', async () => {
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    try {
      const p = await nojs.newPage();
      await p.goto(`${s.url}/platforms/murf/${f.murf.documentKey}`);
      await p.getByLabel('From').selectOption(recordId('version', f.murf.versionIds[0]!));
      await p.getByLabel('Inline').check();
      await Promise.all([p.waitForURL(/\/diff\?.*view=inline/), p.getByRole('button', { name: 'Compare' }).click()]);
      assert.ok((await p.locator('.diff.inline').count()) === 1, 'inline diff shown');
      await p.getByLabel('Search document texts').fill('"binding arbitration"');
      await Promise.all([p.waitForURL(/\/search\?/), p.locator('.quick-search button').click()]);
      assert.match(await p.locator('#results-h').innerText(), /found/);
    } finally {
      await nojs.close();
    }
  });
});
