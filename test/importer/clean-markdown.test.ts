import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanImportedMarkdown } from '../../src/importer/clean-markdown.ts';

test('per-click link-shim tokens and CDN signatures are removed from imported Markdown', () => {
  const a = 'See [our guide](https://l.instagram.com/?u=https%3A%2F%2Fhelp.instagram.com%2F123&e=AT0abc) and ![logo](https://static.xx.fbcdn.net/rsrc.php/x.png?_nc_ohc=Q1&oh=ab&oe=12).';
  const b = 'See [our guide](https://l.instagram.com/?u=https%3A%2F%2Fhelp.instagram.com%2F123&e=AT9xyz) and ![logo](https://static.xx.fbcdn.net/rsrc.php/x.png?_nc_ohc=Q2&oh=cd&oe=34).';
  assert.equal(cleanImportedMarkdown(a), cleanImportedMarkdown(b));
  assert.match(cleanImportedMarkdown(a), /\(https:\/\/help\.instagram\.com\/123\)/);
});

test('relative links, titles and ordinary text are kept', () => {
  const md = '# Terms\n\n[Privacy](/privacy "Our policy") and [Help](https://help.example.com/a?id=7)\n';
  assert.equal(cleanImportedMarkdown(md), md);
});

test('the per-click token Open Terms Archive left on unwrapped Meta links is removed', () => {
  const v1 = '[Meta](https://about.facebook.com/meta&e=AT0YsgJAeTX3hjO5RCKzxFNK4UPEiI5Z) and [here](http://help.instagram.com/430517971668717?helpref=faq_content&e=AT0YsgJAeTX3hjO5RCKz)';
  const v2 = '[Meta](https://about.facebook.com/meta&e=AT37YIXOM1pqrstuvwxyz) and [here](http://help.instagram.com/430517971668717?helpref=faq_content&e=AT9zzzzzzzzzzzzzz)';
  assert.equal(cleanImportedMarkdown(v1), cleanImportedMarkdown(v2));
  assert.match(cleanImportedMarkdown(v1), /\(https:\/\/about\.facebook\.com\/meta\)/);
});
