import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractMarkdown } from '../../src/extract/index.ts';

const URL_ = 'https://example.com/legal/terms';
const md = (html: string, extra: Partial<Parameters<typeof extractMarkdown>[1]> = {}): string =>
  extractMarkdown(html, { url: URL_, ...extra }).markdown;

describe('blocks', () => {
  test('headings become ATX headings, paragraphs are separated by one blank line', () => {
    assert.equal(md('<h1>Terms</h1><p>One.</p><h2>Scope</h2><p>Two.</p><h6>Small</h6>'), '# Terms\n\nOne.\n\n## Scope\n\nTwo.\n\n###### Small\n');
  });

  test('unordered, ordered and nested lists; ordered lists honour start', () => {
    const html = '<ul><li>a<ul><li>a1</li><li>a2<ol><li>x</li></ol></li></ul></li><li>b</li></ul><ol start="4"><li>four</li><li>five</li></ol>';
    assert.equal(md(html), '- a\n  - a1\n  - a2\n    1. x\n- b\n\n4. four\n5. five\n');
  });

  test('list items with several paragraphs keep them indented under the marker', () => {
    assert.equal(md('<ol><li><p>First para.</p><p>Second para.</p></li><li>Next</li></ol>'), '1. First para.\n\n   Second para.\n2. Next\n');
  });

  test('wrappers between a list and its items are looked through; stray lists join the previous item', () => {
    assert.equal(md('<ul><div><li>a</li><li>b</li></div></ul>'), '- a\n- b\n');
    assert.equal(md('<ul><li>a</li><ul><li>inner</li></ul><li>b</li></ul>'), '- a\n  - inner\n- b\n');
  });

  test('tables become GFM pipe tables with escaped pipes and padded rows', () => {
    const html = '<table><thead><tr><th>Data</th><th>Use</th><th>Kept</th></tr></thead><tbody><tr><td>Email</td><td>a|b</td></tr><tr><td colspan="2">Both</td><td>1 <b>year</b></td></tr></tbody></table>';
    assert.equal(md(html), '| Data | Use | Kept |\n| --- | --- | --- |\n| Email | a\\|b |  |\n| Both |  | 1 **year** |\n');
  });

  test('one-column layout tables are rendered as ordinary blocks', () => {
    assert.equal(md('<table><tr><td><p>Alpha</p></td></tr><tr><td>Beta</td></tr></table>'), 'Alpha\n\nBeta\n');
  });

  test('blockquotes, rules and preformatted text', () => {
    assert.equal(md('<blockquote><p>q1</p><p>q2</p></blockquote><hr><pre>\n  code  line\n\tnext</pre>'), '> q1\n>\n> q2\n\n---\n\n```\n  code  line\n\tnext\n```\n');
  });

  test('definition lists and details are blocks', () => {
    assert.equal(md('<dl><dt>Term</dt><dd>Meaning</dd></dl><details><summary>More</summary>Hidden text</details>'), 'Term\n\nMeaning\n\nMore\n\nHidden text\n');
  });
});

describe('inline', () => {
  test('emphasis, strong, code and strike-through', () => {
    assert.equal(md('<p><em>e</em> <strong>s</strong> <code>c_1</code> <del>d</del></p>'), '*e* **s** `c_1` ~~d~~\n');
  });

  test('spaces inside emphasis move outside the markers; empty emphasis leaves nothing', () => {
    assert.equal(md('<p>a<b> bold </b>b <i> </i>c<strong></strong>d</p>'), 'a **bold** b cd\n');
  });

  test('nested or adjacent emphasis of one kind is written once', () => {
    assert.equal(md('<p><b>one <strong>two</strong></b> <b>Sec</b><b>tion</b></p>'), '**one two** **Section**\n');
  });

  test('a line break inside bold closes the marker before the break', () => {
    assert.equal(md('<p><strong>6.1 Indemnification<br><br></strong>To the fullest extent</p>'), '**6.1 Indemnification**\n\nTo the fullest extent\n');
  });

  test('words split across inline spans join; whitespace in the HTML stays one space', () => {
    assert.equal(md('<p>c<span>ookie</span> and <span>a</span> <span>b</span>\n\t <a href="/x">link</a></p>'), 'cookie and a b [link](https://example.com/x)\n');
  });

  test('block boundaries separate words that inline boundaries join', () => {
    assert.equal(md('<div>one</div><div>two</div><span>thr</span><span>ee</span>'), 'one\n\ntwo\n\nthree\n');
  });

  test('line breaks start a new line without surrounding spaces', () => {
    assert.equal(md('<p>Street 1 <br> City</p>'), 'Street 1\nCity\n');
  });

  test('Markdown punctuation in text is escaped, and so are line starts that would become structure', () => {
    assert.equal(md('<p>a*b_c [d]</p><p>1. not a list</p><p># not a heading</p><p>- not an item</p>'), 'a\\*b\\_c \\[d\\]\n\n1\\. not a list\n\n\\# not a heading\n\n\\- not an item\n');
  });

  test('headings are not escaped and lose their permalink anchors and decorative symbols', () => {
    assert.equal(md('<h3 id="x"><a href="#x">1. Account Controls<span aria-hidden="true"> #</span></a></h3>'), '### 1. Account Controls\n');
    assert.equal(md('<h2 id="s"><a class="anchor" href="#s"><svg><path d="M0"/></svg></a>Summary</h2>'), '## Summary\n');
  });

  test('aria-hidden text with letters is kept (it is visible)', () => {
    assert.equal(md('<p>Read <span aria-hidden="true">this</span></p>'), 'Read this\n');
  });
});

describe('links and images', () => {
  test('links are resolved against the page URL, or against <base href>', () => {
    assert.equal(md('<a href="../privacy">P</a> <a href="//cdn.example.org/a">C</a> <a href="#s2">S</a>'), '[P](https://example.com/privacy) [C](https://cdn.example.org/a) [S](https://example.com/legal/terms#s2)\n');
    assert.equal(md('<head><base href="https://other.example/dir/"></head><body><a href="x.html">X</a></body>'), '[X](https://other.example/dir/x.html)\n');
  });

  test('script links and empty links leave only their text; mailto stays', () => {
    assert.equal(md('<a href="javascript:void(0)">Cookie settings</a> <a href="/x"></a> <a href="mailto:legal@example.com">legal@example.com</a>'), 'Cookie settings [legal@example.com](mailto:legal@example.com)\n');
  });

  test('parentheses in URLs cannot end the link early', () => {
    assert.equal(md('<a href="/f(1).pdf">PDF</a>'), '[PDF](https://example.com/f%281%29.pdf)\n');
  });

  test('images keep their alt text only', () => {
    assert.equal(md('<p>Logo: <img src="/l.png?oh=1" alt="Acme"> <img src="/x.png"> end</p>'), 'Logo: Acme end\n');
  });
});

describe('dropped content and normalisation', () => {
  test('script, style, noscript, svg, template, iframe, forms widgets and head are not output', () => {
    const html = '<html><head><title>T</title><style>p{}</style></head><body><script>var a="<p>x</p>";</script><noscript>Enable JS</noscript><svg><text>icon</text></svg><template><p>tpl</p></template><iframe src="/ad">ad</iframe><select><option>English</option></select><input value="v"><p>Text</p></body></html>';
    assert.equal(md(html), 'Text\n');
  });

  test('navigation chrome is kept unless the declaration removes it', () => {
    const html = '<nav>Menu</nav><main><p>Body</p></main><footer>Foot</footer>';
    assert.equal(md(html), 'Menu\n\nBody\n\nFoot\n');
    assert.equal(md(html, { remove: ['nav', 'footer'] }), 'Body\n');
  });

  test('inline style attributes never reach the output', () => {
    assert.equal(md('<p style="width: 131.844px"><span style="transform: translateY(31.937%)">Same</span></p>'), 'Same\n');
  });

  test('unicode spaces collapse, invisible characters go, text is NFC', () => {
    assert.equal(md('<p>a\u00a0\u00a0b\u2003c\u200bd\u00ade <strong>\u200d</strong>f</p><p>Cafe\u0301</p>'), 'a b cde f\n\nCaf\u00e9\n');
  });

  test('entities are decoded', () => {
    assert.equal(md('<p>&copy; 2024 &amp; &lt;tag&gt; &#x4E2D;&#25991; &nbsp;x</p>'), '© 2024 & <tag> 中文 x\n');
  });

  test('output is deterministic and ends with one newline; nothing gives the empty string', () => {
    const html = '<h1>A</h1><p>b</p>';
    assert.equal(md(html), md(html));
    assert.equal(md('<p>  </p><div></div>'), '');
  });
});
