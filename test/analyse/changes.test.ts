import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitProvisions } from '../../src/analyse/provisions/index.ts';
import { analyseChange, cosmeticReason, describeEdit, type ClassifyFn } from '../../src/analyse/changes/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(repoRoot, '../shared');

/**
 * Stand-in for the clause classifier being built in src/analyse/classify: keyword rules, enough to give
 * changes a clause type. Not the real taxonomy.
 */
const STUB_TYPES = [
  { id: 'ai-training', title: 'AI model training', words: ['train'] },
  { id: 'arbitration', title: 'Arbitration', words: ['arbitration', 'class action'] },
  { id: 'prohibited-conduct', title: 'Prohibited conduct', words: ['do not ', 'robocall', 'spam', 'harvest'] },
  { id: 'api-terms', title: 'API terms', words: [' api '] },
];
const classify: ClassifyFn = (texts) =>
  texts.map((t) => ({ types: STUB_TYPES.filter((ty) => ty.words.some((w) => ` ${t.toLowerCase()} `.includes(w))).map((ty) => ({ id: ty.id, score: 0.9 })) }));
const typeTitle = (id: string) => STUB_TYPES.find((t) => t.id === id)?.title ?? id;
const analyse = (a: string, b: string) => analyseChange(splitProvisions(a), splitProvisions(b), classify, { typeTitle });

const POLICY = (lines: { date?: string; menu?: string; extra?: string } = {}) => `# Cookie Policy

${lines.date ?? 'Last updated: 11/04/2024'}

## Cookies we use

We use cookies to remember you and to measure how the site is used.

- Strictly necessary cookies
- Analytics cookies
- Advertising cookies

${lines.menu ?? 'Home | About | Privacy | Terms'}

See our [privacy policy](https://example.com/privacy) for more.
${lines.extra ?? ''}`;

const noise: [name: string, before: string, after: string, reason: string][] = [
  ['date format (TikTok, fa5876b0)', POLICY(), POLICY({ date: 'Last updated: 4 November 2024' }), 'date-format'],
  ['date format (Instagram, 3e9468a1)', POLICY({ date: 'Effective Date: January 12 2024' }), POLICY({ date: 'Effective Date: 12 January 2024' }), 'date-format'],
  ['whitespace and reflow', POLICY(), POLICY().replace('to remember you and', 'to remember  you\nand'), 'whitespace'],
  ['punctuation and case', POLICY(), POLICY().replace('We use cookies to remember you and', 'We use Cookies, to remember you, and'), 'punctuation-or-case'],
  ['tracking parameter', POLICY(), POLICY().replace('example.com/privacy', 'example.com/privacy?utm_source=newsletter&fbclid=abc'), 'tracking-parameter'],
  ['link target only (GitHub, 374a6a8)', POLICY(), POLICY().replace('example.com/privacy', 'example.com/legal/privacy-statement'), 'link-target'],
  ['reordered menu', POLICY(), POLICY({ menu: 'About | Home | Terms | Privacy' }), 'reordered'],
  ['reordered list', POLICY(), POLICY().replace('- Analytics cookies\n- Advertising cookies', '- Advertising cookies\n- Analytics cookies'), 'reordered'],
  [
    'duplicated responsive text (Facebook, 459039a6)',
    POLICY({ date: 'Date of Last Revision: July 5, 2023' }),
    POLICY({ date: 'Date of Last Revision: July 5, 2023 Date of Last Revision: July 5, 2023' }),
    'duplicated-text',
  ],
  ['word split by inline spans (Doubao)', POLICY(), POLICY().replace('We use cookies', 'We use c ookies'), 'split-words'],
  ['last-updated date alone', POLICY(), POLICY({ date: 'Last updated: 5 December 2024' }), 'last-updated-date'],
  ['renumbered', '## 3. Sharing\n\n3.1 We share data with processors.', '## 4. Sharing\n\n4.1 We share data with processors.', 'renumbered'],
  ['emphasis markup', POLICY(), POLICY().replace('We use cookies', 'We use **cookies**'), 'markup'],
];

for (const [name, before, after, reason] of noise) {
  test(`cosmetic: ${name}`, () => {
    const r = analyse(before, after);
    assert.equal(r.material, false, r.summary);
    assert.ok(r.changes.length >= 1, 'the difference is still reported');
    assert.ok(r.changes.every((c) => !c.material));
    assert.deepEqual([...new Set(r.changes.map((c) => c.cosmeticReason))], [reason]);
    assert.match(r.summary, /^No material change \(only /);
  });
}

test('cosmetic: heading anchor markup in real GitHub terms (demo-versions 242f97a) is no change at all', () => {
  const dir = path.join(repoRoot, 'test/fixtures/analyse');
  const r = analyse(readFileSync(path.join(dir, 'github-tos-anchors-before.md'), 'utf8'), readFileSync(path.join(dir, 'github-tos-anchors-after.md'), 'utf8'));
  assert.equal(r.material, false);
  assert.deepEqual(r.changes, []);
  assert.equal(r.summary, 'No change');
});

test('cosmetic: a duplicated paragraph from responsive markup', () => {
  const r = analyse(POLICY(), POLICY({ extra: '\nSee our [privacy policy](https://example.com/privacy) for more.\n' }));
  assert.equal(r.material, false);
  assert.deepEqual(r.changes.map((c) => [c.kind, c.cosmeticReason]), [['added', 'duplicated-text']]);
});

test('material: "for Murf’s prior approval" → "for review"', () => {
  const before = '## 9. API Terms\n\n9.1.4 “Use Case” means a consistent set of analyses. You will submit all intended Use Case descriptions in writing for Murf’s prior approval.';
  const after = '## 9. API Terms\n\n9.1.4 “Use Case” means a consistent set of analyses. You agree to submit to Murf all intended Use Case descriptions in writing for review.';
  const r = analyse(before, after);
  assert.equal(r.material, true);
  assert.equal(r.changes.length, 1);
  const c = r.changes[0]!;
  assert.equal(c.kind, 'modified');
  assert.equal(c.material, true);
  assert.equal(c.cosmeticReason, undefined);
  assert.match(c.summary, /“Murf’s prior approval\.” → “review\.”/);
  assert.equal(cosmeticReason('for Murf’s prior approval', 'for review'), null);
});

test('material: a new date together with a removed prohibition', () => {
  const before = `# Terms\n\nJanuary 16, 2024\n\n## Don’ts\n\n- Do not send spam.\n- Do not harvest information about other users.\n- Do not frame the site.\n`;
  const after = `# Terms\n\nFebruary 9, 2024\n\n## Don’ts\n\n- Do not send spam.\n- Do not frame the site.\n`;
  const r = analyse(before, after);
  assert.equal(r.material, true);
  const date = r.changes.find((c) => c.before === 'January 16, 2024')!;
  assert.equal(date.material, false);
  assert.equal(date.cosmeticReason, 'last-updated-date');
  const removed = r.changes.find((c) => c.kind === 'removed')!;
  assert.equal(removed.material, true);
  assert.deepEqual(removed.types, ['prohibited-conduct']);
  assert.equal(removed.summary, 'Removes: Prohibited conduct — “Do not harvest information about other users.”');
  assert.equal(r.summary, removed.summary);
});

test('material: removed arbitration clause, added training clause, with clause types from classify', () => {
  const before = '## Disputes\n\nAny dispute will be resolved by binding arbitration, and you waive any right to a class action.\n\n## Content\n\nYou own your content.';
  const after = '## Content\n\nYou own your content.\n\nWe may use your content to train our models unless you opt out.';
  const r = analyse(before, after);
  assert.deepEqual(
    r.changes.map((c) => [c.kind, c.types, c.summary]),
    [
      ['removed', ['arbitration'], 'Removes: Arbitration — “Any dispute will be resolved by binding arbitration, and you waive any…”'],
      ['added', ['ai-training'], 'Now says user data is used for training (opt-out available)'],
    ],
  );
  assert.equal(r.material, true);
  assert.equal(r.summary, 'Now says user data is used for training (opt-out available); Removes: Arbitration — “Any dispute will be resolved by binding arbitration, and you waive any…”');
});

test('without a classifier, added provisions are summarised by their words', () => {
  const r = analyseChange(splitProvisions('A.'), splitProvisions('A.\n\nWe may share your data with advertisers.'));
  assert.equal(r.changes[0]!.summary, 'Adds: “We may share your data with advertisers.”');
  assert.deepEqual(r.changes[0]!.types, []);
});

test('the Team plan removed from the plans excluded from training (seed help article)', () => {
  const seed = readFileSync(path.join(shared, 'seeds/001_8550604760f152f9.txt'), 'utf8');
  const after = seed.replace('Users of le Chat Teams or le Chat Enterprise are opted out', 'Users of le Chat Enterprise are opted out');
  const r = analyse(seed, after);
  assert.equal(r.material, true);
  assert.equal(r.summary, 'Team plan no longer listed among plans whose data is not used for training');
  assert.deepEqual(r.aiTraining.differences, ['Team plan no longer listed among plans whose data is not used for training']);
  assert.equal(r.changes.length, 1);
  assert.equal(r.changes[0]!.kind, 'modified');
  assert.deepEqual(r.changes[0]!.types, ['ai-training']);
  assert.equal(r.changes[0]!.summary, r.summary);
});

test('plan-level summaries: a plan switched to training by default, an opt-out removed, an exception added', () => {
  const before = `## Training\n\nUsers of le Chat Teams are opted out of training by default.\n\nUsers of le Chat Pro may opt out of training.\n`;
  const after = `## Training\n\nWe will use le Chat Teams conversations to train our models unless you opt out.\n\nUsers of le Chat Pro cannot opt out of training; Pro conversations are used to train our models.\n\nIf you provide Feedback, we may use it to train our models.\n`;
  const r = analyse(before, after);
  assert.deepEqual(r.aiTraining.differences, [
    'Pro plan: opt-out from training removed',
    'Team plan: data now used for training by default (previously not used; opt-out available)',
    'Adds training exception: feedback you give may be used for training',
  ]);
  assert.ok(r.changes.every((c) => c.material));
});

test('no change at all', () => {
  const r = analyse(POLICY(), POLICY());
  assert.deepEqual(r, { changes: [], material: false, summary: 'No change', aiTraining: r.aiTraining });
});

test('edge cases: empty documents, a first version, a long provision with a large edit', () => {
  assert.deepEqual(splitProvisions(''), []);
  assert.equal(analyseChange([], []).summary, 'No change');
  const first = analyseChange([], splitProvisions('## A\n\nOne.\n\nTwo.'));
  assert.deepEqual(first.changes.map((c) => c.kind), ['added', 'added']);
  assert.equal(first.summary, 'Adds section “A” (2 provisions)');

  const filler = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w} sentence number ${i} says something.`).join(' ');
  const before = `${filler(40, 'Old')} We keep logs for a year.`;
  const after = `${filler(40, 'Old')} We keep logs for a year. ${filler(40, 'Brand new')}`;
  assert.match(describeEdit(before, after), /^inserts “Brand new sentence number 0/);
});

test('version-stamp dates inside longer provisions are cosmetic; other dates are content', () => {
  const stamp = (d: string) => `# Policy\n\nLast Modified on ${d} This policy explains how we handle your data.\n\nBody text.`;
  const r1 = analyse(stamp('April 13, 2026'), stamp('August 21, 2026'));
  assert.equal(r1.material, false);
  assert.equal(r1.changes[0]!.cosmeticReason, 'last-updated-date');
  const wa = (d: string) => `Effective ${d} ([archived versions](https://example.com/revisions))\n\nBody text.`;
  assert.equal(analyse(wa('March 26, 2026'), wa('June 8, 2026')).material, false);
  const fees = (d: string) => `## Fees\n\nThe new fees are effective on ${d}.`;
  const r2 = analyse(fees('March 1, 2025'), fees('April 1, 2025'));
  assert.equal(r2.material, true);
  assert.match(r2.summary, /“March” → “April”/);
});

test('Chinese text: a space lost after the update-date label (Doubao) is whitespace, a new date is a stamp', () => {
  const doc = (line: string) => `# 隐私政策\n\n${line}\n\n我们会收集您的设备信息以提供服务。`;
  assert.equal(analyse(doc('更新日期： 2024年03月05日'), doc('更新日期：2024年03月05日')).changes[0]!.cosmeticReason, 'whitespace');
  const r = analyse(doc('更新日期：2024年03月05日'), doc('更新日期：2024年04月01日'));
  assert.equal(r.material, false);
  assert.equal(r.changes[0]!.cosmeticReason, 'last-updated-date');
});
