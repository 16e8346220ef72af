// A bad declaration is refused with a message naming the file, the field and the reason, and a
// catalogue with one bad file loads nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { CatalogError, DeclarationError, loadCatalog, loadDeclarationFile } from '../../src/catalog/index.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'clausewatch-catalog-'));
  dirs.push(d);
  return d;
}

const GOOD = `name: Example AI
slug: example-ai
homepage: https://example.ai
jurisdictions: [US, EU]
tags: [generative-ai]
documents:
  - type: terms-of-service
    url: https://example.ai/terms
    select: main
  - type: privacy-policy
    url: https://example.ai/privacy
`;

function expectError(file: string, content: string, fieldPath: string | RegExp, reason: RegExp): DeclarationError {
  const dir = tempDir();
  const full = path.join(dir, file);
  writeFileSync(full, content);
  let caught: unknown;
  try {
    loadDeclarationFile(full);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof DeclarationError, `expected a DeclarationError, got ${String(caught)}`);
  const issue = caught.issues.find((i) => (typeof fieldPath === 'string' ? i.path === fieldPath : fieldPath.test(i.path)));
  assert.ok(issue, `an issue at ${String(fieldPath)} in:\n${caught.message}`);
  assert.match(issue.reason, reason);
  // The message alone is enough to find and fix the problem.
  const line = caught.message.split('\n').find((l) => l.includes(issue.path));
  assert.ok(line?.startsWith(`${full}: ${issue.path}: `), line);
  assert.match(line!, reason);
  return caught;
}

describe('bad declaration files', () => {
  it('accepts the good example', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'example-ai.yaml'), GOOD);
    const p = loadDeclarationFile(path.join(dir, 'example-ai.yaml'));
    assert.equal(p.slug, 'example-ai');
    assert.equal(p.documents.length, 2);
  });

  it('YAML syntax error', () => {
    expectError('example-ai.yaml', GOOD.replace('tags: [generative-ai]', 'tags: [generative-ai'), /^line \d+, column \d+$/, /invalid YAML/);
  });

  it('duplicate YAML key', () => {
    expectError('example-ai.yaml', `${GOOD}name: Again\n`, /^line \d+/, /invalid YAML.*(unique|duplicate)/i);
  });

  it('JSON syntax error', () => {
    expectError('example-ai.json', '{"name": "Example AI",', '(syntax)', /invalid JSON/);
  });

  it('missing name', () => {
    expectError('example-ai.yaml', GOOD.replace('name: Example AI\n', ''), 'name', /required field is missing/);
  });

  it('unknown document type', () => {
    expectError('example-ai.yaml', GOOD.replace('type: privacy-policy', 'type: privacy-polcy'), 'documents[1].type', /unknown document type "privacy-polcy"/);
  });

  it('document type that is not kebab-case', () => {
    expectError('example-ai.yaml', GOOD.replace('type: privacy-policy', 'type: Privacy Policy'), 'documents[1].type', /document-type id/);
  });

  it('bad URL', () => {
    expectError('example-ai.yaml', GOOD.replace('https://example.ai/privacy', 'ftp://example.ai/privacy'), 'documents[1].url', /must use http or https/);
    expectError('example-ai.yaml', GOOD.replace('https://example.ai/privacy', 'example.ai/privacy'), 'documents[1].url', /not an absolute URL/);
    expectError('example-ai.yaml', GOOD.replace('homepage: https://example.ai', 'homepage: http://example.ai'), 'homepage', /must use https/);
  });

  it('bad CSS selector', () => {
    expectError('example-ai.yaml', GOOD.replace('select: main', "select: 'div['"), 'documents[0].select', /does not parse/);
    expectError('example-ai.yaml', GOOD.replace('select: main', "select: [main, 'a::before']"), 'documents[0].select[1]', /does not parse/);
    expectError('example-ai.yaml', GOOD.replace('select: main', "select: 'main >'"), 'documents[0].select', /combinator/);
  });

  it('bad range selector', () => {
    expectError('example-ai.yaml', GOOD.replace('select: main', 'select: {startBefore: h1, startAfter: h2, endBefore: h3}'), 'documents[0].select', /exactly one of startBefore, startAfter/);
    expectError('example-ai.yaml', GOOD.replace('select: main', "select: {startBefore: h1, endBefore: 'h2 >>'}"), 'documents[0].select.endBefore', /does not parse|combinator/);
    expectError('example-ai.yaml', GOOD.replace('select: main', 'select: {startBefore: h1, endAt: h2}'), 'documents[0].select.endAt', /unknown field/);
  });

  it('selector of the wrong type', () => {
    expectError('example-ai.yaml', GOOD.replace('select: main', 'select: 42'), 'documents[0].select', /must be a CSS selector, a range/);
  });

  it('unknown field', () => {
    expectError('example-ai.yaml', GOOD.replace('    select: main', '    selector: main'), 'documents[0].selector', /unknown field/);
    expectError('example-ai.yaml', `${GOOD}owner: someone\n`, 'owner', /unknown field/);
  });

  it('bad regular expression', () => {
    const noise = (pattern: string, flags = 'g') =>
      GOOD.replace('    select: main', () => `    select: main\n    noise:\n      replace:\n        - {pattern: '${pattern}', with: '', flags: ${flags}}`);
    expectError('example-ai.yaml', noise('Updated ('), 'documents[0].noise.replace[0].pattern', /does not compile/);
    expectError('example-ai.yaml', noise('(a+)+$'), 'documents[0].noise.replace[0].pattern', /backtrack/);
    expectError('example-ai.yaml', noise('x'.repeat(301)), 'documents[0].noise.replace[0].pattern', /300/);
    expectError('example-ai.yaml', noise('x', 'gy'), 'documents[0].noise.replace[0].flags', /g, i, m, s, u/);
  });

  it('history dates out of order', () => {
    const history = GOOD.replace(
      '    select: main',
      `    select: main
    history:
      - validUntil: 2024-06-01
        url: https://example.ai/terms-old
      - validUntil: 2024-05-01T00:00:00Z
        url: https://example.ai/terms-older`,
    );
    expectError('example-ai.yaml', history, 'documents[0].history[1].validUntil', /must be later than documents\[0\]\.history\[0\]\.validUntil/);
  });

  it('history date that is not ISO 8601', () => {
    const history = GOOD.replace('    select: main', '    select: main\n    history:\n      - validUntil: 31/05/2024\n        url: https://example.ai/old');
    expectError('example-ai.yaml', history, 'documents[0].history[0].validUntil', /ISO 8601/);
    const noOffset = GOOD.replace('    select: main', '    select: main\n    history:\n      - validUntil: 2024-05-31T10:00:00\n        url: https://example.ai/old');
    expectError('example-ai.yaml', noOffset, 'documents[0].history[0].validUntil', /ISO 8601/);
    const feb30 = GOOD.replace('    select: main', '    select: main\n    history:\n      - validUntil: 2024-02-30\n        url: https://example.ai/old');
    expectError('example-ai.yaml', feb30, 'documents[0].history[0].validUntil', /ISO 8601/);
  });

  it('slug different from the file name', () => {
    expectError('other-name.yaml', GOOD, 'slug', /must equal the file name "other-name"/);
  });

  it('no location, or two', () => {
    expectError('example-ai.yaml', GOOD.replace('    url: https://example.ai/privacy\n', '    name: x\n'), 'documents[1]', /url, urls or pages/);
    expectError('example-ai.yaml', GOOD.replace('    url: https://example.ai/privacy', '    url: https://example.ai/privacy\n    urls: [https://example.ai/p2]'), 'documents[1]', /only one of url, urls, pages/);
  });

  it('duplicate document type without distinct names', () => {
    const dup = `${GOOD}  - type: privacy-policy\n    url: https://example.ai/privacy-eu\n`;
    expectError('example-ai.yaml', dup, 'documents[2]', /duplicate of documents\[1\]/);
    // With distinct names it is fine.
    const dir = tempDir();
    writeFileSync(path.join(dir, 'example-ai.yaml'), `${GOOD}  - type: privacy-policy\n    name: EU Privacy Policy\n    url: https://example.ai/privacy-eu\n`);
    assert.equal(loadDeclarationFile(path.join(dir, 'example-ai.yaml')).documents.length, 3);
  });

  it('bad jurisdiction and tag', () => {
    expectError('example-ai.yaml', GOOD.replace('[US, EU]', '[usa]'), 'jurisdictions[0]', /ISO-like code/);
    expectError('example-ai.yaml', GOOD.replace('[generative-ai]', '[Generative AI]'), 'tags[0]', /kebab-case/);
  });

  it('no code or custom tags in YAML', () => {
    expectError('example-ai.yaml', GOOD.replace('name: Example AI', 'name: !!js/function "function () {}"'), /^line \d+|\(syntax\)/, /invalid YAML/);
  });

  it('reports every problem of a file at once', () => {
    const err = expectError(
      'example-ai.yaml',
      GOOD.replace('type: privacy-policy', 'type: nope').replace('select: main', "select: 'div['"),
      'documents[1].type',
      /unknown document type/,
    );
    assert.ok(err.issues.some((i) => i.path === 'documents[0].select'));
  });
});

describe('loading a catalogue', () => {
  it('loads nothing when one file is bad, and reports every bad file', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'example-ai.yaml'), GOOD);
    writeFileSync(path.join(dir, 'second.yaml'), GOOD.replace('slug: example-ai', 'slug: second'));
    writeFileSync(path.join(dir, 'broken.yaml'), GOOD.replace('slug: example-ai', 'slug: broken').replace('name: Example AI\n', ''));
    writeFileSync(path.join(dir, 'worse.json'), '{');
    writeFileSync(path.join(dir, 'README.md'), 'not a declaration');
    let caught: unknown;
    let result: unknown;
    try {
      result = loadCatalog(dir);
    } catch (e) {
      caught = e;
    }
    assert.equal(result, undefined);
    assert.ok(caught instanceof CatalogError);
    assert.ok(caught instanceof AggregateError);
    assert.deepEqual(caught.errors.map((e) => path.basename(e.file)).sort(), ['broken.yaml', 'worse.json']);
    assert.match(caught.message, /broken\.yaml: name: required field is missing/);
    assert.match(caught.message, /worse\.json: \(syntax\): invalid JSON/);
    assert.match(caught.message, /nothing loaded/);
  });

  it('refuses two files with the same slug', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'example-ai.yaml'), GOOD);
    writeFileSync(path.join(dir, 'example-ai.json'), JSON.stringify({ name: 'Example AI', slug: 'example-ai', homepage: 'https://example.ai', jurisdictions: ['US'], documents: [{ type: 'terms-of-service', url: 'https://example.ai/terms' }] }));
    assert.throws(() => loadCatalog(dir), (e: unknown) => e instanceof CatalogError && /slug: "example-ai" is also declared in/.test(e.message));
  });

  it('returns platforms sorted by slug when all files are good', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'zeta.yaml'), GOOD.replace('slug: example-ai', 'slug: zeta'));
    writeFileSync(path.join(dir, 'alpha.yml'), GOOD.replace('slug: example-ai', 'slug: alpha'));
    assert.deepEqual(loadCatalog(dir).map((p) => p.slug), ['alpha', 'zeta']);
  });

  it('reports a missing directory as a catalogue error', () => {
    assert.throws(() => loadCatalog(path.join(tempDir(), 'nope')), CatalogError);
  });
});
