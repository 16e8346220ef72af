// Real changes from the Open Terms Archive corpus (Murf terms, genai collection; see test/fixtures/analyse/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitProvisions } from '../../src/analyse/provisions/index.ts';
import { analyseChange } from '../../src/analyse/changes/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const murf = (date: string) => splitProvisions(readFileSync(path.join(repoRoot, 'test/fixtures/analyse', `murf-tos-${date}.md`), 'utf8'));

test('Murf 2023-11-03: prior approval becomes review, the licence list is folded into one sentence', () => {
  const r = analyseChange(murf('2023-11-02'), murf('2023-11-03'));
  assert.equal(r.material, true);
  const useCase = r.changes.find((c) => c.before?.startsWith('9.1.4'))!;
  assert.equal(useCase.kind, 'modified');
  assert.equal(useCase.material, true);
  assert.match(useCase.summary, /“Murf’s prior approval\.” → “review\.”/);
  assert.deepEqual(useCase.section, ['Terms of Service', '9. API Terms', '9.1 Definitions']);
  const removed = r.changes.filter((c) => c.kind === 'removed').map((c) => c.before!.slice(0, 12));
  assert.deepEqual(removed, ['(a) use and ', '(b) use and ', '9.4.1 the to', '9.4.2 the to']);
  assert.ok(r.changes.every((c) => c.material), 'nothing cosmetic changed that day');
});

test('Murf 2024-02-09: new date (cosmetic), a new prohibition (material), renumbered list items (cosmetic)', () => {
  const r = analyseChange(murf('2024-02-08'), murf('2024-02-09'));
  assert.equal(r.material, true);
  const material = r.changes.filter((c) => c.material);
  assert.deepEqual(material.map((c) => [c.kind, c.after!.slice(0, 48)]), [['added', '11.2.14 Use the Services or the Site to initiate']]);
  const reasons = r.changes.filter((c) => !c.material).map((c) => c.cosmeticReason);
  assert.deepEqual([...new Set(reasons)], ['last-updated-date', 'renumbered']);
  assert.equal(reasons.filter((x) => x === 'renumbered').length, 5);
  assert.match(r.summary, /^Adds: “11\.2\.14 Use the Services or the Site to initiate any robocalls/);
});

test('Murf 2024-12-04: the API terms section removed is told as one line', () => {
  const r = analyseChange(murf('2024-11-19'), murf('2024-12-04'));
  assert.equal(r.material, true);
  assert.match(r.summary, /^Removes section “9\. API Terms” \(\d+ provisions\)/);
  assert.ok(r.changes.some((c) => c.cosmeticReason === 'last-updated-date'));
});

test('Murf: consecutive identical snapshots give no change, and analysis stays fast', (t) => {
  const a = murf('2024-02-08');
  const b = murf('2024-02-08');
  const [c, d] = [murf('2024-11-19'), murf('2024-12-04')];
  const t0 = performance.now();
  const r = analyseChange(a, b);
  const t1 = performance.now();
  analyseChange(c, d);
  const t2 = performance.now();
  t.diagnostic(`${a.length} provisions; identical ${(t1 - t0).toFixed(1)} ms, section removed ${(t2 - t1).toFixed(1)} ms`);
  assert.equal(r.summary, 'No change');
  assert.ok(t2 - t1 < 2000);
});
