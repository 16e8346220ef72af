// The regular-expression and selector checks on their own, and the documented example.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { fromData, regexProblem, selectorProblem } from '../../src/catalog/index.ts';
import { DECLARATIONS_DOC } from '../../src/catalog/document-types-table.ts';

describe('regexProblem', () => {
  it('accepts ordinary noise patterns', () => {
    for (const p of ['/cdn-cgi/l/email-protection#[0-9a-f]+', 'Last updated: \\w+ \\d{1,2},? \\d{4}', '(?:foo|bar)+', '\\(a+\\)+', '[(]a+[)]+', '(?<year>\\d{4})-(\\d{2})', 'a{2,5}(b{1,3}){2}']) {
      assert.equal(regexProblem(p, 'g'), undefined, p);
    }
  });

  it('refuses nested unbounded quantifiers', () => {
    for (const p of ['(a+)+', '(a*)*b', '(?:\\s*x)+', '((ab)*c)+', '(.*,){2,}', '(\\w+\\s?)*$', '(?:a|b+)*']) {
      assert.match(regexProblem(p) ?? '', /backtrack/, p);
    }
  });

  it('refuses too many unbounded quantifiers, long patterns, bad flags and syntax errors', () => {
    assert.match(regexProblem('a*b*c*d*e*f*g*') ?? '', /more than 6/);
    assert.match(regexProblem('x'.repeat(301)) ?? '', /longer than 300/);
    assert.match(regexProblem('x', 'gg') ?? '', /flags/);
    assert.match(regexProblem('x', 'y') ?? '', /flags/);
    assert.match(regexProblem('(unclosed') ?? '', /does not compile/);
  });
});

describe('selectorProblem', () => {
  it('accepts the selectors of the corpus', () => {
    for (const s of ['main', '#article-contents', '.wrap-section > .container', '.markdown-body > h2:first-of-type', '#github-copilot ~ h2', '[role="article"]', 'div[role="main"]', 'nav, footer']) {
      assert.equal(selectorProblem(s), undefined, s);
    }
  });

  it('refuses what css-select cannot run', () => {
    for (const s of ['', '   ', 'div[', 'a::before', '>>', 'main >', '> p', 'a,']) {
      assert.ok(selectorProblem(s), JSON.stringify(s));
    }
  });
});

describe('docs/declarations.md', () => {
  it('its complete example is a valid declaration', () => {
    const doc = readFileSync(DECLARATIONS_DOC, 'utf8');
    const example = /## A complete example[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example, 'example block found');
    const platform = fromData('declarations/example-ai.yaml', parse(example));
    assert.equal(platform.slug, 'example-ai');
    assert.equal(platform.documents.length, 4);
    const last = platform.documents[3]!;
    assert.equal(last.history.length, 2);
    assert.equal(last.current.validFrom, '2025-01-15T00:00:00.000Z');
  });
});
