import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitProvisions, matchProvisions, traceProvisions, SIMILARITY_THRESHOLD } from '../../src/analyse/provisions/index.ts';

const V1 = `# Terms

Last updated: 11/04/2024

## Using the service

You must be at least 13 years old to use the service.

You are responsible for all activity on your account, including activity by people you let use it.

We may suspend your account if you break these terms, after giving you notice where the law requires it.

## Prohibited conduct

- Do not scrape the service.
- Do not send spam.
- Do not impersonate others.

## Disputes

Any dispute will be resolved by binding arbitration in San Francisco, and you waive any right to a class action.
`;

const V2 = `# Terms

Last updated: 4 November 2024

## Using the service

You must be at least 16 years old to use the service.

We may suspend or terminate your account at any time if you break these terms, after giving you notice where the law requires it.

You are responsible for all activity on your account, including activity by people you let use it.

## Prohibited conduct

- Do not send spam.
- Do not scrape the service.
- Do not impersonate others.
- Do not use the service to train competing models.

## Payments

Fees are charged monthly in advance and are not refundable.
`;

const byText = <T extends { text: string }>(ps: T[], start: string): T => ps.find((p) => p.text.startsWith(start))!;

test('matching pairs unchanged, edited, moved, added and removed provisions', () => {
  const a = splitProvisions(V1);
  const b = splitProvisions(V2);
  const m = matchProvisions(a, b);
  const pairText = (pairs: [{ text: string }, { text: string }][]) => pairs.map(([p, n]) => [p.text.slice(0, 24), n.text.slice(0, 24)]);

  assert.deepEqual(pairText(m.modified), [
    ['Last updated: 11/04/2024', 'Last updated: 4 November'],
    ['You must be at least 13 ', 'You must be at least 16 '],
    ['We may suspend your acco', 'We may suspend or termin'],
  ]);
  // Moved paragraph and reordered list items keep their key: same section, same text.
  assert.equal(m.unchanged.length, 4);
  assert.ok(m.unchanged.some(([p]) => p.text.startsWith('You are responsible')));
  assert.deepEqual(m.added.map((p) => p.text), ['Do not use the service to train competing models.', 'Fees are charged monthly in advance and are not refundable.']);
  assert.deepEqual(m.removed.map((p) => p.text.slice(0, 40)), ['Any dispute will be resolved by binding ']);
  assert.equal(m.next.length, b.length);
});

test('lineage carries over to the edited successor; added provisions start their own', () => {
  const a = splitProvisions(V1);
  const b = splitProvisions(V2);
  const m = matchProvisions(a, b);
  const before = byText(a, 'We may suspend your account');
  const after = byText(m.next, 'We may suspend or terminate');
  assert.notEqual(after.key, before.key);
  assert.equal(after.lineage, before.key);
  const fresh = byText(m.next, 'Fees are charged');
  assert.equal(fresh.lineage, fresh.key);
  // Inputs are not mutated.
  assert.equal(byText(b, 'We may suspend or terminate').lineage, byText(b, 'We may suspend or terminate').key);
});

test('a provision moved to another section with the same words is paired, not removed and added', () => {
  const a = splitProvisions('## A\n\nAlpha clause about refunds and credits.\n\n## B\n\nBeta clause.\n');
  const b = splitProvisions('## A\n\n## B\n\nBeta clause.\n\nAlpha clause about refunds and credits.\n');
  const m = matchProvisions(a, b);
  assert.equal(m.modified.length, 1);
  assert.deepEqual(m.modified[0]![1].section, ['B']);
  assert.equal(m.removed.length, 0);
});

test('dissimilar rewrites are not forced into pairs', () => {
  const a = splitProvisions('We keep your data for 30 days after you close your account.');
  const b = splitProvisions('Our offices are closed on public holidays in France.');
  const m = matchProvisions(a, b);
  assert.equal(m.modified.length, 0);
  assert.equal(m.added.length, 1);
  assert.equal(m.removed.length, 1);
  assert.ok(SIMILARITY_THRESHOLD > 0 && SIMILARITY_THRESHOLD < 1);
});

test('history: first seen, changed on, removed on, and returning provisions resume their lineage', () => {
  const v1 = splitProvisions('## S\n\nClause one about data retention periods.\n\nClause two about cookies and trackers.\n');
  const v2 = splitProvisions('## S\n\nClause one about data retention periods and backups.\n\nClause two about cookies and trackers.\n');
  const v3 = splitProvisions('## S\n\nClause one about data retention periods and backups.\n');
  const v4 = splitProvisions('## S\n\nClause one about data retention periods and backups.\n\nClause two about cookies and trackers.\n');
  const { histories } = traceProvisions([
    { at: '2024-01-01', provisions: v1 },
    { at: '2024-02-01', provisions: v2 },
    { at: '2024-03-01', provisions: v3 },
    { at: '2024-04-01', provisions: v4 },
  ]);
  assert.equal(histories.length, 2);
  const one = histories.find((h) => h.texts[0]!.text.startsWith('Clause one'))!;
  assert.equal(one.firstSeen, '2024-01-01');
  assert.deepEqual(one.changedOn, ['2024-02-01']);
  assert.equal(one.removedOn, undefined);
  assert.equal(one.texts.length, 2);
  const two = histories.find((h) => h.texts[0]!.text.startsWith('Clause two'))!;
  assert.deepEqual(two.returnedOn, ['2024-04-01']);
  assert.equal(two.removedOn, undefined);
});

/** Deterministic pseudo-random numbers, so the synthetic policy is the same on every run. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function syntheticPolicy(words: number, seed: number): { md: string; paragraphs: string[] } {
  const rnd = mulberry32(seed);
  const common = 'the we you your data may use to of and or for in with that this our any by such as will not be'.split(' ');
  const rare = Array.from({ length: 3000 }, (_, i) => `term${i.toString(36)}`);
  const pick = () => (rnd() < 0.6 ? common[Math.floor(rnd() * common.length)]! : rare[Math.floor(rnd() * rare.length)]!);
  const paragraphs: string[] = [];
  let count = 0;
  while (count < words) {
    const n = 10 + Math.floor(rnd() * 30);
    paragraphs.push(Array.from({ length: n }, pick).join(' ') + '.');
    count += n;
  }
  const md = paragraphs.map((p, i) => (i % 12 === 0 ? `## Section ${i / 12}\n\n${p}` : i % 5 === 0 ? `- ${p}` : p)).join('\n\n');
  return { md, paragraphs };
}

test('performance: two versions of a 10,000-word policy are split and matched quickly', (t) => {
  const { md, paragraphs } = syntheticPolicy(10_000, 42);
  const rnd = mulberry32(7);
  const edited = paragraphs.map((p, i) => {
    if (i % 10 === 3) return p.replace(/\bterm\w+/, 'amended'); // one word changed
    if (i % 50 === 7) return null; // removed
    return p;
  });
  const next = edited
    .flatMap((p, i) => (p === null ? [] : i % 40 === 11 ? [p, `Inserted clause ${Math.floor(rnd() * 1e6)} about new obligations.`] : [p]))
    .map((p, i) => (i % 12 === 0 ? `## Section ${i / 12}\n\n${p}` : p))
    .join('\n\n');

  const t0 = performance.now();
  const a = splitProvisions(md);
  const b = splitProvisions(next);
  const t1 = performance.now();
  const m = matchProvisions(a, b);
  const t2 = performance.now();
  t.diagnostic(`${a.length} provisions; split both ${(t1 - t0).toFixed(1)} ms, match ${(t2 - t1).toFixed(1)} ms`);

  const editedCount = paragraphs.filter((_, i) => i % 10 === 3 && i % 50 !== 7).length;
  assert.ok(m.modified.length >= editedCount * 0.9, `${m.modified.length} modified of ${editedCount} edited`);
  assert.ok(m.removed.length <= Math.ceil(paragraphs.length / 50) + 25, `${m.removed.length} removed`);
  // A generous bound that catches quadratic behaviour without flaking on a busy machine.
  assert.ok(t2 - t1 < 1000, `matching took ${(t2 - t1).toFixed(0)} ms`);
  assert.ok(t1 - t0 < 3000, `splitting took ${(t1 - t0).toFixed(0)} ms`);
});
