import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitProvisions } from '../../src/analyse/provisions/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(repoRoot, '../shared');
const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures/analyse', name), 'utf8');

const DOC = `# Privacy Policy

Last updated: 4 November 2024

## 1. What we collect

We collect the information you give us
when you create an account.

- Your name and e-mail address.
- Payment details, such as the last four digits of your card;
  these are kept by our payment processor.
- Content you upload.

### Cookies

| Cookie | Purpose | Duration |
| --- | --- | --- |
| session | Keeps you signed in | 1 day |
| [prefs](https://example.com/prefs) | Remembers settings | 1 year |

## 2. Sharing

1. With service providers.
2. When the law requires it.

## 3. Contact
`;

test('paragraphs, list items and table rows are provisions; headings are their section path', () => {
  const ps = splitProvisions(DOC);
  assert.deepEqual(
    ps.map((p) => [p.kind, p.section.join(' › '), p.text]),
    [
      ['paragraph', 'Privacy Policy', 'Last updated: 4 November 2024'],
      ['paragraph', 'Privacy Policy › 1. What we collect', 'We collect the information you give us when you create an account.'],
      ['list-item', 'Privacy Policy › 1. What we collect', 'Your name and e-mail address.'],
      ['list-item', 'Privacy Policy › 1. What we collect', 'Payment details, such as the last four digits of your card; these are kept by our payment processor.'],
      ['list-item', 'Privacy Policy › 1. What we collect', 'Content you upload.'],
      ['table-row', 'Privacy Policy › 1. What we collect › Cookies', 'Cookie | Purpose | Duration'],
      ['table-row', 'Privacy Policy › 1. What we collect › Cookies', 'session | Keeps you signed in | 1 day'],
      ['table-row', 'Privacy Policy › 1. What we collect › Cookies', '[prefs](https://example.com/prefs) | Remembers settings | 1 year'],
      ['list-item', 'Privacy Policy › 2. Sharing', '1. With service providers.'],
      ['list-item', 'Privacy Policy › 2. Sharing', '2. When the law requires it.'],
      ['heading-text', 'Privacy Policy', '3. Contact'],
    ],
  );
  assert.deepEqual(ps.map((p) => p.ordinal), ps.map((_, i) => i));
  assert.deepEqual(ps[6]!.columns, ['Cookie', 'Purpose', 'Duration']);
  for (const p of ps) {
    assert.match(p.key, /^[0-9a-f]{16}$/);
    assert.equal(p.lineage, p.key);
  }
});

test('setext headings, bold-line headings and anchor markup give clean section names', () => {
  const ps = splitProvisions(`Terms
=====

[](#summary)Summary
-------------------

**Short version:** we are nice.

#### **9\\. API Terms**

**9.1 Definitions**

9.1.1 "API" means our interface.
`);
  assert.deepEqual(ps.map((p) => p.section), [['Terms', 'Summary'], ['Terms', 'Summary', '9. API Terms', '9.1 Definitions']]);
  assert.equal(ps[0]!.text, '**Short version:** we are nice.');
});

test('keys are stable across versions and ignore what a reader cannot see', () => {
  const key = (md: string) => splitProvisions(md)[0]!.key;
  const base = key('## Cookies\n\nWe use cookies to remember you.');
  assert.equal(key('## Cookies\n\nWe use   cookies to\nremember you.'), base, 'reflowed');
  assert.equal(key('## Cookies\n\nWe use c ookies to remember you.'), base, 'word split by inline markup');
  assert.equal(key('## [](#cookies)Cookies\n\nWe use **cookies** to remember you.'), base, 'anchor and emphasis');
  assert.equal(key('## 4. Cookies\n\n4.1 We use cookies to remember you.'), key('## 5. Cookies\n\n5.1 We use cookies to remember you.'), 'renumbered');
  assert.equal(
    key('See the [help page](https://example.com/help?utm_source=a).'),
    key('See the [help page](https://example.com/new-help).'),
    'link target',
  );
  assert.notEqual(key('## Tracking\n\nWe use cookies to remember you.'), base, 'another section');
  assert.notEqual(key('## Cookies\n\nWe use cookies to track you.'), base, 'other words');
  assert.notEqual(key('A fee of 1.5% applies.'), key('A fee of 15% applies.'), 'decimal separators count');
});

test('identical provisions in one section still get distinct keys', () => {
  const ps = splitProvisions('## Steps\n\n- Tap Save.\n- Tap Next.\n- Tap Save.\n');
  assert.equal(new Set(ps.map((p) => p.key)).size, 3);
});

test('plain text without blank lines is read line by line, with lines cut by extraction joined again', () => {
  const ps = splitProvisions(readFileSync(path.join(shared, 'seeds/001_8550604760f152f9.txt'), 'utf8'));
  const sections = [...new Set(ps.map((p) => p.section.join(' › ')))];
  assert.deepEqual(sections, [
    '',
    'Opt out of le Chat data training (via the Admin Console)',
    'Opt out of le Chat data training on the mobile application (iOS and Android)',
    'Opt out of Mistral AI Studio and API data training (via the Admin Console)',
  ]);
  const texts = ps.map((p) => p.text);
  assert.ok(texts.includes('Select Le Chatunder theManagesection.Under the Privacysection, disable the toggle labelledAllow your interactions to be used to train our models.'));
  assert.ok(texts.includes('Select Data & Account Controls under the Accountsection.'));
  assert.ok(texts.includes('Under the Anonymous improvement datasection, disable the toggle to prevent API calls and related data from being used to improve Mistral’s services.'));
  assert.deepEqual(ps.filter((p) => p.kind === 'list-item').map((p) => p.text), [
    '1. Open the Privacy menu in the Admin Console.',
    '2. Disable the toggle to opt in or out of data training.',
  ]);
  assert.equal(ps.length, 21);
});

test('real OTA Markdown: loose lists with indented continuations and setext headings', () => {
  const ps = splitProvisions(fixture('github-tos-anchors-before.md'));
  const controls = ps.filter((p) => p.section.at(-1) === '1. Account Controls');
  assert.equal(controls.length, 2);
  assert.match(controls[0]!.text, /^Users\. Subject to these Terms/);
  assert.match(controls[1]!.text, /^Organizations\. The "owner"/);
  assert.deepEqual(ps.find((p) => p.kind === 'table-row')!.columns, ['Section', 'What can you find there?']);
});
