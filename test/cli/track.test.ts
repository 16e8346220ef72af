// Live tracking through the real CLI against a real HTTP server on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cli, REPO_ROOT } from '../helpers/cli.ts';

const para = (n: number) => Array.from({ length: 25 }, (_, i) => `<p>Clause ${i}: we keep your data for ${i + n} days and share it with partners.</p>`).join('');

interface Site {
  terms: { status: number; body: string };
  privacy: { status: number; body: string };
  hits: number;
}

async function startSite(site: Site): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    site.hits++;
    const page = req.url === '/terms' ? site.terms : req.url === '/privacy' ? site.privacy : { status: 404, body: 'not found' };
    res.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

const html = (main: string, noise = '') => `<!doctype html><html><head><title>Acme</title><script nonce="${noise}">var t=${Date.now()}</script></head><body><nav>Home</nav><main><h1>Terms</h1>${main}</main><footer>© Acme</footer></body></html>`;

test('track records first versions, ignores noise, records changes, and reports failures without versions', async () => {
  const site: Site = { terms: { status: 200, body: html(para(1)) }, privacy: { status: 200, body: html(para(100)) }, hits: 0 };
  const srv = await startSite(site);
  const decl = mkdtempSync(path.join(os.tmpdir(), 'cw-decl-'));
  const data = mkdtempSync(path.join(os.tmpdir(), 'cw-data-'));
  writeFileSync(
    path.join(decl, 'acme.yaml'),
    [
      'name: Acme',
      'slug: acme',
      'homepage: https://acme.example',
      'jurisdictions: [US]',
      'tags: [generative-ai]',
      'documents:',
      '  - type: terms-of-service',
      `    url: ${srv.url}/terms`,
      '    select: main',
      '  - type: privacy-policy',
      `    url: ${srv.url}/privacy`,
      '    select: main',
    ].join('\n') + '\n',
  );
  const env = { CLAUSEWATCH_DECLARATIONS: decl, CLAUSEWATCH_DATA: data, CLAUSEWATCH_ALLOW_PRIVATE: '1', CLAUSEWATCH_POLITENESS_MS: '0', CLAUSEWATCH_RETRIES: '0', CLAUSEWATCH_TIMEOUT_MS: '5000' };
  const track = async () => {
    const r = await cli(['track', '--json'], env);
    return { code: r.code, events: JSON.parse(r.stdout || '{"events":[]}').events as { document: string; outcome: string; problem?: { kind: string } }[], stderr: r.stderr };
  };
  try {
    let r = await track();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.events.map((e) => e.outcome).sort(), ['first', 'first']);

    // Same bytes: a hash comparison. New script nonce only: same text, no version.
    r = await track();
    assert.deepEqual(r.events.map((e) => e.outcome), ['unchanged', 'unchanged']);
    site.terms.body = html(para(1), 'nonce-2');
    r = await track();
    assert.deepEqual(r.events.map((e) => e.outcome), ['unchanged', 'unchanged']);

    site.terms.body = html(para(2));
    r = await track();
    const terms = r.events.find((e) => e.document === 'Terms of Service');
    assert.equal(terms?.outcome, 'changed', JSON.stringify(r.events));

    site.terms = { status: 500, body: 'oops' };
    site.privacy.body = html('<p>Page not found</p>');
    r = await track();
    assert.equal(r.code, 1, 'failures found → exit code 1');
    assert.equal(r.events.find((e) => e.document === 'Terms of Service')?.problem?.kind, 'http-status');
    assert.equal(r.events.find((e) => e.document === 'Privacy Policy')?.outcome, 'suspect');

    const status = await cli(['status', '--json'], env);
    assert.equal(status.code, 1, 'status reports the problem');
    const docs = JSON.parse(status.stdout).documents as { document_name: string; last_outcome: string; last_problem: string | null; versions: number }[];
    const t = docs.find((d) => d.document_name === 'Terms of Service');
    assert.equal(t?.last_problem, 'http-status', JSON.stringify(docs));
    assert.equal(t?.versions, 2);

    const hist = await cli(['history', 'acme', '--json'], env);
    const versions = JSON.parse(hist.stdout).documents.flatMap((d: { versions: unknown[] }) => d.versions);
    assert.equal(versions.length, 3, 'two firsts and one change; failures and suspects are not versions');

    // A site rebuild moves the text out of <main>: the selector finds nothing, the bytes are kept…
    site.terms = { status: 200, body: html('').replace('<main><h1>Terms</h1></main>', `<article><h1>Terms</h1>${para(3)}</article>`) };
    r = await track();
    assert.equal(r.events.find((e) => e.document === 'Terms of Service')?.problem?.kind, 'selector-not-found');
    // …and once the declaration is fixed, re-extracting the stored snapshot recovers what the page said.
    writeFileSync(path.join(decl, 'acme.yaml'), readFileSync(path.join(decl, 'acme.yaml'), 'utf8').replace('select: main\n  - type: privacy', 'select: article\n  - type: privacy'));
    const re = await cli(['reextract', 'acme', '--json'], env);
    const terms2 = JSON.parse(re.stdout).events.find((e: { document: string }) => e.document === 'Terms of Service');
    assert.equal(terms2?.outcome, 'changed', re.stdout + re.stderr);
    const again = await cli(['reextract', 'acme', '--json'], env);
    assert.equal(JSON.parse(again.stdout).events.find((e: { document: string }) => e.document === 'Terms of Service')?.outcome, 'duplicate', 'idempotent');
  } finally {
    await srv.close();
    rmSync(decl, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
});

test('the main job on an empty database loads the sample, reports fetch problems and exits with --once', async () => {
  const data = mkdtempSync(path.join(os.tmpdir(), 'cw-run-'));
  const decl = mkdtempSync(path.join(os.tmpdir(), 'cw-decl-'));
  try {
    // Two real catalogue entries whose histories are in the bundled sample; offline, their live fetch fails.
    for (const slug of ['murf', 'kimi-ai']) {
      writeFileSync(path.join(decl, `${slug}.yaml`), readFileSync(path.join(REPO_ROOT, 'declarations', `${slug}.yaml`)));
    }
    const env = { CLAUSEWATCH_DATA: data, CLAUSEWATCH_DECLARATIONS: decl, CLAUSEWATCH_RETRIES: '0', CLAUSEWATCH_TIMEOUT_MS: '3000', CLAUSEWATCH_POLITENESS_MS: '0' };
    const r = await cli(['run', '--once'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /sample loaded: \d+ snapshots, \d+ versions/);
    const hist = await cli(['history', 'murf', '--json'], env);
    assert.equal(hist.code, 0, hist.stderr);
    const versions = JSON.parse(hist.stdout).documents.flatMap((d: { versions: unknown[] }) => d.versions);
    assert.ok(versions.length >= 9, `murf has its real history: ${versions.length} versions`);
    const again = await cli(['run', '--once'], env);
    assert.doesNotMatch(again.stderr, /loading the bundled sample/, 'the sample is loaded only into an empty database');
  } finally {
    rmSync(data, { recursive: true, force: true });
    rmSync(decl, { recursive: true, force: true });
  }
});
