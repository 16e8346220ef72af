import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractMarkdown } from '../../src/extract/index.ts';
import { loadFolder, readSnapshot } from './corpus.ts';

const md = (html: string, select?: string): string => extractMarkdown(html, { url: 'https://example.com/', select }).markdown;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
function garbage(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

describe('malformed HTML', () => {
  test('unclosed paragraphs, list items and cells are closed as browsers close them', () => {
    assert.equal(md('<p>one<p>two<div>three'), 'one\n\ntwo\n\nthree\n');
    assert.equal(md('<ul><li>a<li>b</ul>'), '- a\n- b\n');
    assert.equal(md('<table><tr><td>a<td>b<tr><td>c<td>d</table>'), '| a | b |\n| --- | --- |\n| c | d |\n');
    assert.equal(md('<dl><dt>T<dd>D<dt>U</dl>'), 'T\n\nD\n\nU\n');
  });

  test('stray and misnested end tags do not lose text', () => {
    assert.equal(md('</div></span>text</p> more'), 'text more\n');
    assert.equal(md('<b><i>x</b>y</i> z'), '***x***y z\n');
    assert.equal(md('<div><span>a</div>b</span>'), 'a\n\nb\n');
  });

  test('markup soup and broken constructs', () => {
    assert.equal(md('a < b and c<<d>> <3 </ x> e'), 'a < b and c<> <3 e\n');
    assert.equal(md('<p>kept</p><!-- unclosed comment <p>lost</p>'), 'kept\n');
    assert.equal(md('<p>kept</p><a href="x>text'), 'kept\n');
    assert.equal(md('<p>kept</p><script>never closed <p>x</p>'), 'kept\n');
    assert.equal(md('<svg><path></svg><p>after</p>'), 'after\n');
    assert.equal(md('<svg><g><p>breaks out</p>'), 'breaks out\n');
    assert.equal(md('<p title="a>b">quoted &gt; in attribute</p>'), 'quoted > in attribute\n');
    assert.equal(md('<!DOCTYPE html><?xml version="1.0"?><![CDATA[x]]><p>ok</p>'), 'ok\n');
  });

  test('uppercase tags and attributes', () => {
    assert.equal(md('<P>One<BR>Two</P><A HREF="/x">Link</A>'), 'One\nTwo\n\n[Link](https://example.com/x)\n');
  });

  test('binary garbage gives deterministic text without control characters', () => {
    for (const seed of [1, 2, 3]) {
      const bytes = garbage(200_000, seed);
      for (const text of [bytes.toString('latin1'), bytes.toString('utf8')]) {
        const a = md(text);
        assert.equal(a, md(text));
        assert.doesNotMatch(a, /[\u0000-\u0008\u000b-\u001f\u007f]/);
        assert.equal(a, a.normalize('NFC'));
      }
    }
  });

  test('100,000 nested elements do not overflow the stack', () => {
    const html = `${'<div><span>'.repeat(100_000)}deep${'</span></div>'.repeat(100_000)}<p>after</p>`;
    assert.equal(md(html), 'deep\n\nafter\n');
  });
});

describe('large inputs run in linear time', () => {
  const chunk = (i: number): string =>
    `<script>var d${i}={"k":"${'x'.repeat(900)}"};</script><style>.c${i}{color:red}</style><svg viewBox="0 0 9 9"><path d="M0 0L9 9"/></svg>` +
    `<h2 id="s${i}">Section ${i}</h2><p class="t">Text <b>bold</b> <a href="/a?utm_source=x&i=${i}">link</a> and more words.</p><ul><li>one</li><li>two</li></ul>`;

  function page(bytes: number): string {
    const parts: string[] = [];
    let n = 0;
    for (let i = 0; n < bytes; i++) {
      const c = chunk(i);
      parts.push(c);
      n += c.length;
    }
    return `<html><body><main>${parts.join('')}</main></body></html>`;
  }

  test('a 20 MB page finishes, at about the per-byte cost of a 2 MB one', () => {
    const small = page(2_000_000);
    const big = page(20_000_000);
    md(small, 'main');
    let t = cpuMs();
    const a = md(small, 'main');
    const smallMs = cpuMs() - t;
    t = cpuMs();
    const b = md(big, 'main');
    const bigMs = cpuMs() - t;
    assert.match(a, /## Section 0\n/);
    assert.ok(b.length > a.length * 9, 'the big page is fully extracted');
    assert.ok(bigMs < 30_000, `20 MB took ${bigMs} ms`);
    // Linear within noise: 10x the input may cost at most ~25x (shared machine, GC), never ~100x.
    assert.ok(bigMs < Math.max(smallMs, 20) * 25, `2 MB: ${smallMs} ms, 20 MB: ${bigMs} ms`);
  });

  test('pathological markup (about 1 MB each) stays fast', () => {
    const cases: [string, string][] = [
      ['unclosed divs', '<div>x'.repeat(150_000)],
      ['unclosed list items in divs', '<ul>' + '<div><li>x'.repeat(100_000)],
      ['stray end tags', '</span></div>x'.repeat(80_000)],
      ['unclosed svgs', '<svg>x'.repeat(160_000)],
      ['open inline elements', '<span><b><i><a href="#">x'.repeat(40_000)],
      ['lone less-than signs', '<'.repeat(1_000_000)],
      ['nested tables', '<table><tr><td>x'.repeat(60_000)],
      ['whitespace', `<p>${' \n\t'.repeat(340_000)}x</p>`],
      ['entities', '&amp;&#x4e2d;&nbsp;'.repeat(60_000)],
      ['attributes', `<p ${'a="1" '.repeat(150_000)}>x</p>`],
    ];
    for (const [name, html] of cases) {
      const t = cpuMs();
      md(html);
      if (name === 'unclosed divs') md('<h2>t</h2>' + '<p>x</p>'.repeat(150_000), 'h2 + p, p + p:first-of-type');
      const ms = cpuMs() - t;
      assert.ok(ms < 10_000, `${name}: ${ms} ms`);
    }
  });
});

describe('non-ASCII text', () => {
  test('the Doubao privacy policy (Chinese) extracts intact', () => {
    const snap = loadFolder('Doubao/Privacy Policy').at(-1)!;
    const out = extractMarkdown(readSnapshot(snap), { url: snap.url, select: snap.select }).markdown;
    assert.match(out, /隐私政策/);
    assert.match(out, /更新日期：/);
    assert.match(out, /Dataprivacy@bytedance\.com/);
    assert.doesNotMatch(out, /\uFFFD|Ã|â€/, 'no replacement characters or mojibake');
    assert.equal(out, out.normalize('NFC'));
  });

  test('scripts of every kind survive, astral characters included', () => {
    assert.equal(md('<p>Ελληνικά עברית العربية हिन्दी 日本語 한국어 😀 𝔘</p>'), 'Ελληνικά עברית العربية हिन्दी 日本語 한국어 😀 𝔘\n');
  });
});
