// Pure pieces of the web app: escaping, safe URLs, Markdown sanitising, diff folding, snippets, cursors,
// validation messages. No database, no network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { html, escapeHtml, safeUrl, join, trusted } from '../../src/web/html.ts';
import { renderMarkdown } from '../../src/web/markdown.ts';
import { diffView, sides } from '../../src/web/diff-view.ts';
import { snippet, queryTerms } from '../../src/web/read/search.ts';
import { decodeCursor, encodeCursor } from '../../src/web/read/filters.ts';
import { describeValidation } from '../../src/web/errors.ts';
import { matchesEtag } from '../../src/web/respond.ts';
import { waybackUrl } from '../../src/web/archive.ts';
import { trustProxyOf } from '../../src/web/server.ts';
import { openApiPath } from '../../src/api/routes.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

test('html escapes every interpolated value and keeps nested templates', () => {
  const evil = `<script>alert("x")</script> & 'q'`;
  const out = html`<p title="${evil}">${evil}${html`<b>${evil}</b>`}${[evil, 1]}</p>`.value;
  assert.ok(!out.includes('<script>'), `no raw script tag: ${out}`);
  assert.equal(out, `<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;1</p>`);
  assert.equal(html`${null}${undefined}${false}${trusted('<br>')}`.value, '<br>');
  assert.equal(join(['<a>', html`<i>x</i>`], ', ').value, '&lt;a&gt;, <i>x</i>');
  assert.equal(escapeHtml('a\u0000b\u0007c'), 'abc', 'control characters (invalid in XML) are dropped');
  assert.throws(() => html`${{} as unknown as string}`, /cannot render/);
});

test('safeUrl keeps http(s), mailto and site paths, and drops everything else', () => {
  assert.equal(safeUrl('https://murf.ai/terms'), 'https://murf.ai/terms');
  assert.equal(safeUrl('/platforms/murf'), '/platforms/murf');
  assert.equal(safeUrl('mailto:legal@example.com'), 'mailto:legal@example.com');
  for (const bad of ['javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'data:text/html,<b>x', '//evil.example/x', '/\\evil.example', 'vbscript:x', '', null]) {
    assert.equal(safeUrl(bad), undefined, `${bad} must be refused`);
  }
});

test('Markdown from tracked documents renders without raw HTML, unsafe links or loaded images', () => {
  const md = [
    '# Terms',
    '<script>window.__pwned = 1</script>',
    '<img src=x onerror="alert(1)">',
    '[click](javascript:alert(1)) and [ok](https://example.com/a "t")',
    '![logo](https://evil.example/x.png)',
    '## Section',
  ].join('\n\n');
  const out = renderMarkdown(md, 2).value;
  assert.ok(!/<script/i.test(out), `no script element: ${out}`);
  assert.ok(!/<img/i.test(out), `no img element: ${out}`);
  assert.ok(!/href="javascript:/i.test(out), `no javascript: link: ${out}`);
  assert.ok(out.includes('&lt;script&gt;window.__pwned = 1&lt;/script&gt;'), 'the markup is shown as text');
  assert.match(out, /<a href="https:\/\/example\.com\/a" title="t" rel="nofollow noopener noreferrer ugc">ok<\/a>/);
  assert.match(out, /<h3>Terms<\/h3>/, 'a Markdown h1 sits under the page headings (h3)');
  assert.match(out, /<h4>Section<\/h4>/);
});

test('diffView marks word changes, keeps context and folds long unchanged runs', () => {
  const before = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} says the same thing.`);
  const after = [...before];
  after[15] = 'Paragraph 15 says something different now.';
  const v = diffView(before.join('\n\n'), after.join('\n\n'));
  assert.equal(v.identical, false);
  assert.equal(v.stats.hunks, 1);
  const kinds = v.rows.map((r) => r.kind);
  assert.deepEqual(kinds, ['skip', 'equal', 'equal', 'change', 'equal', 'equal', 'skip']);
  const change = v.rows.find((r) => r.kind === 'change');
  assert.ok(change && change.kind === 'change' && change.words, 'the change has word parts');
  const s = sides(change);
  assert.ok(s.left.some((p) => p.op === 'delete' && p.text.includes('same')), 'left side keeps the deletion');
  assert.ok(s.right.some((p) => p.op === 'insert' && p.text.includes('different')), 'right side keeps the insertion');
  assert.ok(v.stats.wordsAdded >= 3 && v.stats.wordsRemoved >= 3, `word counts: ${JSON.stringify(v.stats)}`);
  const same = diffView('a\n\nb', 'a\n\nb');
  assert.equal(same.identical, true);
});

test('diffView handles pure insertions, deletions and a hunk too large for word diffing', () => {
  const ins = diffView('a', 'a\n\nnew paragraph');
  assert.deepEqual(ins.rows.at(-1), { kind: 'change', before: [], after: ['new paragraph'], words: [{ op: 'insert', text: 'new paragraph' }] });
  const big = Array.from({ length: 4000 }, (_, i) => `word${i}`).join(' ');
  const big2 = Array.from({ length: 4000 }, (_, i) => `other${i}`).join(' ');
  const v = diffView(big, big2);
  const row = v.rows[0];
  assert.ok(row && row.kind === 'change' && row.words === null, 'falls back to blocks');
});

test('search snippets centre on the first stemmed match and mark every match', () => {
  const body = `${'Lorem ipsum dolor. '.repeat(40)}The Company may use binding arbitration. Companies arbitrate disputes.`;
  const parts = snippet(body, ['arbitr', 'compani']);
  const marked = parts.filter((p) => p.match).map((p) => p.text);
  assert.deepEqual(marked, ['Company', 'arbitration', 'Companies', 'arbitrate']);
  assert.equal(parts[0]!.text, '… ', 'an excerpt from the middle starts with an ellipsis');
  assert.deepEqual(queryTerms(`'bind' <-> 'arbitr' & !'class' | 'o''neil'`), ['bind', 'arbitr', "o'neil"]);
  assert.deepEqual(snippet('short text', []), [{ text: 'short text', match: false }]);
});

test('cursors round-trip and refuse anything else', () => {
  const at = new Date('2024-02-09T18:30:25.000Z');
  assert.deepEqual(decodeCursor(encodeCursor(at, 42)), { at, id: 42 });
  assert.equal(decodeCursor('bm9wZQ'), undefined);
  assert.equal(decodeCursor(''), undefined);
});

test('validation failures name the parameter and where it was', () => {
  assert.deepEqual(
    describeValidation([{ instancePath: '/limit', keyword: 'maximum', message: 'must be <= 200', params: {} }], 'querystring'),
    { message: 'query parameter "limit" must be <= 200', where: 'query parameter limit' },
  );
  assert.deepEqual(
    describeValidation([{ instancePath: '/version', keyword: 'pattern', params: {}, parentSchema: { description: 'a version record id, e.g. CW-V-000123' } }], 'params'),
    { message: 'path segment "version" is not valid (a version record id, e.g. CW-V-000123)', where: 'path segment version' },
  );
  assert.equal(describeValidation([{ instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'foo' } }], 'querystring').message, 'unknown query parameter "foo"');
});

test('ETag matching, Wayback links and OpenAPI path templates', () => {
  assert.ok(matchesEtag('"a", W/"b"', '"b"'), 'weak comparison in a list');
  assert.ok(matchesEtag('*', '"x"'), 'star matches');
  assert.ok(!matchesEtag('"a"', '"b"'), 'different tags do not match');
  assert.ok(!matchesEtag(undefined, '"b"'), 'no header, no match');
  assert.equal(waybackUrl('https://murf.ai/t', new Date('2024-02-09T18:30:25Z')), 'https://web.archive.org/web/20240209183025/https://murf.ai/t');
  assert.equal(waybackUrl('ota:Murf/Terms.html'), undefined);
  assert.equal(openApiPath('/feeds/platforms/:slug(^[a-z0-9][a-z0-9-]{0,99}).atom'), '/feeds/platforms/{slug}.atom');
  assert.equal(openApiPath('/api/v1/versions/:version/text'), '/api/v1/versions/{version}/text');
});

test('the stylesheet has no remote imports and keeps focus visible', () => {
  const css = readFileSync(path.join(REPO_ROOT, 'src/web/static/style.css'), 'utf8');
  assert.ok(!/@import|url\(/.test(css), 'one self-contained file');
  assert.match(css, /:focus-visible\s*\{\s*outline: 3px solid/);
  assert.ok(css.length < 16_000, `small: ${css.length} bytes`);
});

test('CLAUSEWATCH_TRUST_PROXY: unset trusts no proxy, a number trusts that many hops, otherwise addresses', () => {
  assert.equal(trustProxyOf(undefined), false);
  assert.equal(trustProxyOf('  '), false);
  assert.equal(trustProxyOf('127.0.0.1,10.0.0.0/8'), '127.0.0.1,10.0.0.0/8');
  const hops = trustProxyOf('1');
  assert.equal(typeof hops, 'function');
  const f = hops as (address: string, hop: number) => boolean;
  assert.equal(f('10.0.0.1', 0), true);
  assert.equal(f('10.0.0.1', 1), false);
});
