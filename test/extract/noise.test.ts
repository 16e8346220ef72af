import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeCfEmail, extractMarkdown, normaliseForComparison } from '../../src/extract/index.ts';
import type { NoiseRules } from '../../src/domain/types.ts';

const md = (html: string, noise?: NoiseRules, url = 'https://example.com/terms'): string =>
  extractMarkdown(html, { url, noise }).markdown;

/** Cloudflare's encoding with a chosen key, to produce the same address under different keys. */
function cfEncode(text: string, key: number): string {
  const bytes = Buffer.from(text, 'utf8');
  return [key, ...bytes.map((b) => b ^ key)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('Cloudflare email obfuscation', () => {
  test('decodeCfEmail inverts the XOR encoding (real value from the Speechify snapshots)', () => {
    assert.equal(decodeCfEmail('93fbf6ffe3d3e0e3f6f6f0fbfaf5eabdf0fcfe'), 'help@speechify.com');
    assert.equal(decodeCfEmail('zz'), null);
    assert.equal(decodeCfEmail(cfEncode('données@exemple.fr', 0x5a)), 'données@exemple.fr');
  });

  test('protected links and spans give the real address whatever the key', () => {
    const page = (k1: number, k2: number): string =>
      `<p>Contact <a href="/cdn-cgi/l/email-protection#${cfEncode('privacy@wordtune.com', k1)}"><span class="__cf_email__" data-cfemail="${cfEncode('privacy@wordtune.com', k2)}">[email&#160;protected]</span></a>.</p>`;
    const plain = '<p>Contact <a href="mailto:privacy@wordtune.com">privacy@wordtune.com</a>.</p>';
    const expected = 'Contact [privacy@wordtune.com](mailto:privacy@wordtune.com).\n';
    assert.equal(md(page(0x11, 0x22)), expected);
    assert.equal(md(page(0xa9, 0x0e)), expected);
    assert.equal(md(plain), expected);
  });

  test('a protected link without payload takes the address from its data-cfemail', () => {
    const html = `<a class="__cf_email__" href="/cdn-cgi/l/email-protection" data-cfemail="${cfEncode('a@b.co', 7)}">[email protected]</a>`;
    assert.equal(md(html), '[a@b.co](mailto:a@b.co)\n');
  });

  test('payloads that are entity-encoded HTML (Open Collective) decode to the address', () => {
    const encoded = '&#x69;&#110;&#x66;&#111;&#64;&#111;&#112;&#101;&#110;&#x63;&#x6f;&#x6c;&#x6c;&#101;&#99;&#x74;&#x69;&#118;&#101;&#x2e;&#99;&#111;&#109;';
    const html = `<a href="/cdn-cgi/l/email-protection#${cfEncode(encoded, 0x64)}">x</a>`;
    assert.equal(decodeCfEmail(cfEncode(encoded, 3)), 'info@opencollective.com');
    assert.match(md(html), /\(mailto:info@opencollective\.com\)/);
  });
});

describe('link and image URLs', () => {
  test('well-known tracking parameters are dropped, others keep their exact encoding', () => {
    const html = '<a href="/p?utm_source=x&id=a%20b&fbclid=1&gclid=2&utm_medium=y&q=1+2">P</a>';
    assert.equal(md(html), '[P](https://example.com/p?id=a%20b&q=1+2)\n');
  });

  test('declared dropQueryParams globs apply too', () => {
    const html = '<a href="https://x.example/a?session=1&sig_v2=z&keep=1">A</a>';
    assert.equal(md(html, { dropQueryParams: ['session', 'sig_*'] }), '[A](https://x.example/a?keep=1)\n');
  });

  test('Facebook/Instagram link shims unwrap to the target; CDN signatures go', () => {
    const shim = '<a href="https://l.instagram.com/?u=https%3A%2F%2Fhelp.instagram.com%2F123%3Futm_source%3Dig&e=AT0abc">Help</a>';
    assert.equal(md(shim), '[Help](https://help.instagram.com/123)\n');
    const cdn = '<a href="https://static.xx.fbcdn.net/assets/?revision=123&name=a&_nc_ohc=zz&oh=1&oe=2">F</a>';
    assert.equal(md(cdn), '[F](https://static.xx.fbcdn.net/assets/?name=a)\n');
  });

  test('the tracking parameter in the declared page URL does not leak into resolved links', () => {
    const url = 'https://speechify.com/terms/?landing_url=https%3A%2F%2Fspeechify.com%2Fterms%2F';
    assert.equal(md('<a href="#top">Top</a>', undefined, url), '[Top](https://speechify.com/terms/#top)\n');
  });
});

describe('replace rules', () => {
  test('are applied last, in order, to every occurrence', () => {
    const noise: NoiseRules = {
      replace: [
        { pattern: 'Last updated: \\d{2}/\\d{2}/\\d{4}', with: 'Last updated: DATE' },
        { pattern: '\\bdate\\b', with: 'Date', flags: 'i' },
      ],
    };
    assert.equal(md('<p>Last updated: 11/04/2024</p><p>date and DATE</p>', noise), 'Last updated: Date\n\nDate and Date\n');
  });

  test('the result stays in canonical form', () => {
    assert.equal(md('<p>A</p><p>remove me</p><p>B</p>', { replace: [{ pattern: 'remove me', with: '' }] }), 'A\n\nB\n');
  });
});

describe('normaliseForComparison', () => {
  test('is the identity on extractMarkdown output and canonicalises other Markdown', () => {
    const out = md('<h1>T</h1><ul><li>a<ul><li>b</li></ul></li></ul>');
    assert.equal(normaliseForComparison(out), out);
    assert.equal(normaliseForComparison('\r\n\nA  \r\n\n\n\n  - b\t\nCafe\u0301'), 'A\n\n  - b\nCaf\u00e9\n');
  });
});
