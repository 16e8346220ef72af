import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SelectorError, extractMarkdown } from '../../src/extract/index.ts';
import type { Selection } from '../../src/domain/types.ts';

const PAGE = `<html><body>
<header id="top">Site header</header>
<h1 id="title">Terms</h1>
<div class="body">
  <p class="intro">Intro text.</p>
  <h2 id="a">Section A</h2><p>A text.</p>
  <h2 id="copilot">Copilot</h2><p>Copilot text.</p><ul><li>point</li></ul>
  <h2 id="c">Section C</h2><p>C text.</p>
</div>
<footer>Footer</footer>
</body></html>`;

const run = (select?: Selection, remove?: Selection, html = PAGE) => extractMarkdown(html, { url: 'https://example.com/', select, remove });

describe('select', () => {
  test('a CSS selector selects matching elements', () => {
    assert.deepEqual(run('.intro'), { markdown: 'Intro text.\n', matched: true });
  });

  test('an array of selectors outputs matches in document order, not declaration order', () => {
    assert.equal(run(['.intro', '#title']).markdown, '# Terms\n\nIntro text.\n');
  });

  test('nested matches are output once', () => {
    assert.equal(run(['.body', '.intro', 'p', 'h2']).markdown, run('.body').markdown);
    assert.equal(run('div, p').markdown, run('.body').markdown);
  });

  test('ranges with startBefore/endBefore and startAfter/endAfter', () => {
    assert.equal(run({ startBefore: '#copilot', endBefore: '#copilot ~ h2' }).markdown, '## Copilot\n\nCopilot text.\n\n- point\n');
    assert.equal(run({ startAfter: '#copilot', endAfter: '#c' }).markdown, 'Copilot text.\n\n- point\n\n## Section C\n');
  });

  test('the GitHub Copilot declaration shape: title, intro up to the first h2, and one section', () => {
    const sel: Selection = [
      '#title',
      { startBefore: '.body', endBefore: '.body > h2:first-of-type' },
      { startBefore: '#copilot', endBefore: '#copilot ~ h2' },
    ];
    assert.equal(run(sel).markdown, '# Terms\n\nIntro text.\n\n## Copilot\n\nCopilot text.\n\n- point\n');
  });

  test('a range inside a list yields its items as items (the list is their common ancestor, as in a DOM Range)', () => {
    const html = '<ol><li id="one">One</li><li>Two</li><li id="three">Three</li></ol>';
    assert.equal(run({ startAfter: '#one', endBefore: '#three' }, undefined, html).markdown, '- Two\n');
  });

  test('a range that starts inside a list and ends after it keeps the list as a wrapper', () => {
    const html = '<ul><li id="one">One</li><li>Two</li></ul><p id="end">After</p><p>Tail</p>';
    assert.equal(run({ startAfter: '#one', endAfter: '#end' }, undefined, html).markdown, '- Two\n\nAfter\n');
  });

  test('separate selections stay separate blocks even when inline', () => {
    assert.equal(run(['#x', '#y'], undefined, '<p><span id="x">one</span><span id="y">two</span></p>').markdown, 'one\n\ntwo\n');
  });

  test('matched is false when nothing matches, including ranges with a missing end', () => {
    assert.deepEqual(run('.MarkdownContent_markdownBody__7_8Gt'), { markdown: '', matched: false });
    assert.equal(run({ startBefore: '#a', endBefore: '#missing' }).matched, false);
    assert.equal(run(['.missing', '#title']).matched, true);
  });

  test('an empty range (end before start) matches nothing', () => {
    assert.equal(run({ startBefore: '#c', endBefore: '#a' }).matched, false);
  });

  test('without select the body is output', () => {
    assert.match(run().markdown, /^Site header\n\n# Terms\n[\s\S]*Footer\n$/);
  });

  test('an invalid selector throws SelectorError', () => {
    assert.throws(() => run('div[[['), SelectorError);
  });

  test('selectors are case-insensitive for tags and attribute names, exact for classes', () => {
    const html = '<DIV CLASS="Box"><P ID="x">Upper</P></DIV>';
    assert.equal(run('div.Box > p#x', undefined, html).markdown, 'Upper\n');
    assert.equal(run('.box', undefined, html).matched, false);
  });

  test('sibling combinators, also after removal', () => {
    const html = '<div><h2 id="a">A</h2><p>after A</p><p>later</p><h2>B</h2><p>after B</p></div>';
    assert.equal(run('h2 + p', undefined, html).markdown, 'after A\n\nafter B\n');
    assert.equal(run('#a ~ p', undefined, html).markdown, 'after A\n\nlater\n\nafter B\n');
    assert.equal(run('h2 + p', 'p:first-of-type', html).markdown, 'later\n\nafter B\n');
  });

  test('class and id matches survive character references in attributes', () => {
    assert.equal(run('.a.b', undefined, '<p class="a&#32;b">Encoded</p>').markdown, 'Encoded\n');
  });
});

describe('remove', () => {
  test('removes selected elements before selecting', () => {
    assert.equal(run('.body', ['h2', 'ul']).markdown, 'Intro text.\n\nA text.\n\nCopilot text.\n\nC text.\n');
  });

  test('removes ranges, keeping partially contained ancestors', () => {
    assert.equal(run('.body', { startBefore: '#a', endBefore: '#c' }).markdown, 'Intro text.\n\n## Section C\n\nC text.\n');
  });

  test('removal changes what structural selectors see, as in a DOM', () => {
    const html = '<div><p class="ad">Ad</p><p>First real</p><p>Second</p></div>';
    assert.equal(run('div > p:first-child', '.ad', html).markdown, 'First real\n');
  });

  test('selecting only removed content matches nothing', () => {
    assert.equal(run('#title', 'h1').matched, false);
  });
});
