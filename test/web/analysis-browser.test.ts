// The analysis pages in a real browser (Debian's Chromium through playwright-core), over a real socket, on a
// database filled by the real pipeline (analysis-fixture.ts): home → search provisions → a provision record →
// compare the two versions it changed between; the PDFs of a provision and of a platform report; the evidence
// bundle; scripts and event handlers of tracked pages never run; a phone-sized screen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import os from 'node:os';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startServer, type WebServer } from '../../src/web/server.ts';
import { extractPdfText } from '../../src/fetch/pdf-text.ts';
import { recordId } from '../../src/domain/record-id.ts';
import { loadSigner } from '../../src/evidence/config.ts';
import { verifyBundle } from '../../src/evidence/bundle.ts';
import { fillAnalysisFixture, provisionWith, type AnalysisFixture } from './analysis-fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium not installed at ${CHROMIUM} (apt-get install chromium)`;

describe('the analysis pages in Chromium', { skip }, () => {
  let f: AnalysisFixture;
  let s: WebServer & { url: string };
  let browser: Browser;
  let page: Page;
  let keyDir: string;
  let clause: number;
  const dialogs: string[] = [];

  before(async () => {
    f = await fillAnalysisFixture('pglite');
    keyDir = mkdtempSync(path.join(os.tmpdir(), 'cw-browser-key-'));
    const signer = loadSigner({ keyPath: path.join(keyDir, 'log-key.pem'), origin: 'clausewatch.test/log' });
    s = await startServer({ db: f.db, port: 0, host: '127.0.0.1', indexer: false, cacheCheckMs: 0, signer });
    clause = await provisionWith(f.db, f.docs.get('mistral-ai')!.get('terms-of-service')!, 'We do not use Your Data to train');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
    await f?.drop();
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  });

  test('home → search provisions with filters → a provision record → compare the versions it changed between', async () => {
    await page.goto(s.url);
    assert.match(await page.locator('#material-h').innerText(), /Recent material changes/);
    await Promise.all([page.waitForURL(/\/provisions$/), page.getByRole('link', { name: 'Search provisions' }).click()]);
    await page.getByLabel('Words or "a phrase"').fill('train');
    await page.getByLabel('Platform').selectOption('mistral-ai');
    await page.getByLabel('Severity').selectOption('high');
    await Promise.all([page.waitForURL(/\/provisions\?.*severity=high/), page.getByRole('button', { name: 'Search' }).last().click()]);
    assert.match(await page.locator('#results-h').innerText(), /\d+ provisions? matching “train”/);
    await Promise.all([page.waitForURL(new RegExp(`/provisions/${recordId('provision', clause)}$`)), page.locator(`ol.results a[href="/provisions/${recordId('provision', clause)}"]`).click()]);
    assert.equal(await page.locator('h1').innerText(), 'Your content is used to train AI models');
    const found = await page.locator('.prevalence').innerText();
    const others = await page.locator('ul.others > li').count();
    assert.match(found, new RegExp(`Found in ${others + 1} of \\d+ analysed platforms`));
    await Promise.all([page.waitForURL(/\/diff\?/), page.locator('#history-h ~ div a', { hasText: 'diff' }).first().click()]);
    assert.ok((await page.locator('table.diff.side ins').count()) > 0, 'the added sentence is marked');
  });

  test('downloads: provision PDF, platform report PDF, and the evidence bundle', async () => {
    const rid = recordId('provision', clause);
    await page.goto(`${s.url}/provisions/${rid}`);
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'PDF of this record' }).click()]);
    const text = await extractPdfText(readFileSync((await pdf.path())!));
    for (const want of [rid, 'Original clause language', 'What you can do', 'Applicable regulations', 'Document record', 'Select Le Chat under the Manage section']) assert.ok(text.includes(want), `provision PDF shows ${want}`);
    assert.equal(pdf.suggestedFilename(), `${rid}.pdf`);

    await page.goto(`${s.url}/platforms/mistral-ai`);
    const [report] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Platform report (PDF)' }).click()]);
    const rtext = await extractPdfText(readFileSync((await report.path())!));
    for (const want of ['Mistral AI', 'Grade', 'AI training', 'Provisions by severity', 'Change activity']) assert.ok(rtext.includes(want), `platform report shows ${want}`);

    // The provision's bundle (with the version and snapshot it came from) and its version's bundle both verify offline.
    await page.goto(`${s.url}/provisions/${rid}`);
    await page.locator('details.verify summary').click();
    const res = await page.request.get(`${s.url}${await page.locator('details.verify a', { hasText: 'evidence bundle' }).getAttribute('href')}`);
    assert.equal(res.status(), 200, `provision bundle: ${res.status()}`);
    const provisionVerdict = verifyBundle(JSON.parse(await res.text()));
    assert.ok(provisionVerdict.ok, JSON.stringify(provisionVerdict).slice(0, 300));
    await page.locator('.record a[href^="/versions/"]').first().click();
    const verify = page.locator('details.verify', { hasText: 'Verify it yourself, offline' });
    await verify.locator('summary').click();
    const [bundle] = await Promise.all([page.waitForEvent('download'), verify.locator('a', { hasText: 'evidence bundle' }).click()]);
    const parsed = JSON.parse(readFileSync((await bundle.path())!, 'utf8'));
    const verdict = verifyBundle(parsed);
    assert.ok(verdict.ok, JSON.stringify(verdict).slice(0, 300));
  });

  test('scripts and event handlers of tracked pages never run on analysis pages', async () => {
    const hostile = await provisionWith(f.db, f.docs.get('hostile-ai')!.values().next().value!, 'train our models');
    for (const url of [`/provisions/${recordId('provision', hostile)}`, '/platforms/hostile-ai', '/clause-types/ai-training-on-user-content', '/provisions?q=models', '/changes/material', '/']) {
      const res = await page.goto(s.url + url);
      assert.equal(res?.status(), 200, url);
      await page.waitForLoadState('load');
      await page.waitForTimeout(100);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined, `${url}: no tracked script ran`);
      assert.ok(!/^pwned/.test(await page.title()), `${url}: title untouched`);
    }
    await page.goto(`${s.url}/provisions/${recordId('provision', hostile)}`);
    assert.match(await page.locator('blockquote.clause').innerText(), /<script>window\.\\?_\\?_pwned='escaped'/, 'the quoted markup is visible as text');
    assert.deepEqual(dialogs, []);
  });

  test('a phone-sized screen: provision, platform and clause-type pages fit', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
    try {
      const p = await phone.newPage();
      for (const url of [`/provisions/${recordId('provision', clause)}`, '/platforms/mistral-ai', '/clause-types/ai-training-on-user-content', '/provisions?q=train', '/changes/material']) {
        await p.goto(s.url + url);
        const { scroll, client } = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        assert.ok(scroll <= client + 1, `${url}: page width ${scroll} fits the screen ${client}`);
      }
    } finally {
      await phone.close();
    }
  });
});
