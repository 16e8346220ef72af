import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { cli, CORPUS } from '../helpers/cli.ts';

const SNAPSHOTS = path.join(CORPUS, 'snapshots');

function declared(folder: string, id = 'd1'): { url: string; select?: unknown; remove?: unknown } {
  const meta = JSON.parse(readFileSync(path.join(SNAPSHOTS, folder, 'meta.json'), 'utf8'));
  const d = meta.declarations.find((x: { id: string }) => x.id === id).source_document;
  return { url: d.fetch, select: d.select, remove: d.remove };
}

function args(folder: string, id = 'd1'): string[] {
  const d = declared(folder, id);
  const out = [path.join(SNAPSHOTS, folder), '--url', d.url, '--json'];
  if (d.select) out.push('--select', typeof d.select === 'string' ? d.select : JSON.stringify(d.select));
  if (d.remove) out.push('--remove', typeof d.remove === 'string' ? d.remove : JSON.stringify(d.remove));
  return out;
}

function changeAfterFiles(folder: string): string[] {
  const rows = readFileSync(path.join(SNAPSHOTS, folder, 'manifest.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  return rows.filter((r) => r[9] === 'first' || r[9]!.includes('change-after')).map((r) => r[0]!);
}

test('replay of Murf terms records a version at each real change and nothing suspect', async () => {
  const r = await cli(['replay', ...args('Murf/Terms of Service')]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.totals.snapshots, 38);
  // The corpus counts 10 rough text states; its S5 → S6 step (2024-03-07) only removes the spaces inside
  // “ Third Party Product ”, which our extractor already normalises, so 9 versions is right.
  const expected = changeAfterFiles('Murf/Terms of Service').filter((f) => !f.startsWith('2024-03-07'));
  assert.deepEqual(out.versions.map((v: { file: string }) => v.file), expected);
  assert.equal(out.totals.suspect, 0);
  assert.equal(out.totals.failed, 0);
  for (const v of out.versions) assert.match(v.sha256, /^[0-9a-f]{64}$/);
});

test('replay of Kimi AI: four snapshots differing only by an ad script are one version', async () => {
  const r = await cli(['replay', ...args('Kimi AI/Privacy Policy')]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.totals.versions, 1);
  assert.equal(out.totals.unchanged, 3);
});

test('replay of Speechify: Cloudflare e-mail obfuscation re-keyed at every fetch is not a change', async () => {
  const d = declared('Speechify/Terms of Service', 'd2');
  const r = await cli(['replay', path.join(SNAPSHOTS, 'Speechify/Terms of Service'), '--url', d.url, '--select', 'main', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.totals.distinctTexts, 11);
  assert.deepEqual(out.versions.map((v: { file: string }) => v.file), changeAfterFiles('Speechify/Terms of Service'));
  assert.equal(out.totals.suspect + out.totals.failed, 0);
});

test('replay of the GitHub Copilot privacy policy holds the broken-selector weeks as suspect', async () => {
  const r = await cli(['replay', ...args('GitHub Copilot/Privacy Policy')]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(out.totals.suspect + out.totals.failed > 0, JSON.stringify(out.totals));
  for (const v of out.versions) assert.ok(!/2023-1[12]-/.test(v.date) || v.date >= '2023-12-19', `no version from the broken weeks: ${v.date}`);
});

test('replay reports bad usage with exit code 2', async () => {
  assert.equal((await cli(['replay', '/nonexistent', '--url', 'https://x.test/'])).code, 2);
  assert.equal((await cli(['replay', SNAPSHOTS, '--url', 'not a url'])).code, 2);
  const r = await cli(['replay', path.join(SNAPSHOTS, 'Murf/Terms of Service'), '--url', 'https://murf.ai/', '--select', '{bad json']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--select/);
});
