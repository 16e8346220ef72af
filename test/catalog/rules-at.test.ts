// rulesAt picks the rules that held at a date, with validUntil inclusive.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadDeclarationFile, rulesAt } from '../../src/catalog/index.ts';
import type { DocumentDeclaration } from '../../src/domain/types.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'clausewatch-rules-'));
after(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  path.join(dir, 'history-demo.yaml'),
  `name: History Demo
slug: history-demo
homepage: https://example.org
jurisdictions: [FR]
documents:
  - type: terms-of-service
    url: https://example.org/terms
    select: main
    history:
      - validUntil: 2023-01-01
        url: https://example.org/cgu
        select: '#content'
      - validUntil: 2024-05-31T15:21:06+02:00
        urls: [https://example.org/terms?ref=a, https://example.org/terms/annex]
        select: .wrap > .container
        fetch: browser
        noise:
          dropQueryParams: [ref]
  - type: privacy-policy
    url: https://example.org/privacy
`,
);
const platform = loadDeclarationFile(path.join(dir, 'history-demo.yaml'));
const terms = platform.documents[0] as DocumentDeclaration;
const privacy = platform.documents[1] as DocumentDeclaration;

describe('rulesAt', () => {
  it('normalises history into a consistent chain', () => {
    assert.equal(terms.history.length, 2);
    const [first, second] = terms.history;
    assert.equal(first!.validFrom, undefined);
    assert.equal(first!.validUntil, '2023-01-01T00:00:00.000Z');
    assert.equal(second!.validFrom, '2023-01-01T00:00:00.000Z');
    assert.equal(second!.validUntil, '2024-05-31T13:21:06.000Z');
    assert.equal(terms.current.validFrom, '2024-05-31T13:21:06.000Z');
    assert.equal(terms.current.validUntil, undefined);
    assert.deepEqual(second!.pages, [
      { url: 'https://example.org/terms?ref=a', select: '.wrap > .container', fetch: 'browser' },
      { url: 'https://example.org/terms/annex', select: '.wrap > .container', fetch: 'browser' },
    ]);
    assert.deepEqual(second!.noise, { dropQueryParams: ['ref'] });
  });

  it('picks the rules around each validUntil boundary (inclusive)', () => {
    const urlAt = (iso: string) => rulesAt(terms, new Date(iso)).pages[0]!.url;
    assert.equal(urlAt('2000-01-01T00:00:00Z'), 'https://example.org/cgu');
    assert.equal(urlAt('2022-12-31T23:59:59.999Z'), 'https://example.org/cgu');
    assert.equal(urlAt('2023-01-01T00:00:00.000Z'), 'https://example.org/cgu');
    assert.equal(urlAt('2023-01-01T00:00:00.001Z'), 'https://example.org/terms?ref=a');
    assert.equal(urlAt('2024-05-31T13:21:06.000Z'), 'https://example.org/terms?ref=a');
    assert.equal(urlAt('2024-05-31T15:21:06.000+02:00'), 'https://example.org/terms?ref=a');
    assert.equal(urlAt('2024-05-31T13:21:06.001Z'), 'https://example.org/terms');
    assert.equal(urlAt('2030-01-01T00:00:00Z'), 'https://example.org/terms');
  });

  it('returns the current rules for a document without history', () => {
    assert.equal(rulesAt(privacy, new Date('1999-01-01')), privacy.current);
    assert.deepEqual(privacy.current, { pages: [{ url: 'https://example.org/privacy' }] });
    assert.equal(privacy.name, 'Privacy Policy');
  });

  it('refuses an invalid date', () => {
    assert.throws(() => rulesAt(terms, new Date('not a date')), TypeError);
  });
});
