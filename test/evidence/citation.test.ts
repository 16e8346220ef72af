// Citations in five formats, each with record id, retrieval date, source URL, archive URL and SHA-256.

import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { bibtex, bluebook, cslJson, formatCitation, plainText, ris } from '../../src/evidence/citation.ts';
import type { CitationSource } from '../../src/evidence/citation.ts';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { citationSource } from '../../src/evidence/record-sources.ts';
import { recordHistory } from './db-fixture.ts';

const sha = 'ab'.repeat(32);
const version: CitationSource = {
  recordId: 'CW-V-000012',
  kind: 'version',
  platform: 'Acme & Co',
  title: 'Privacy Policy',
  versionDate: new Date('2024-09-03T10:00:00Z'),
  retrievedAt: new Date('2024-09-04T08:30:00Z'),
  sourceUrl: 'https://acme.test/privacy?lang=en_GB',
  archiveUrl: 'https://web.archive.org/web/20240904083000/https://acme.test/privacy?lang=en_GB',
  sha256: sha,
};
const provision: CitationSource = {
  ...version,
  recordId: 'CW-P-000345',
  kind: 'provision',
  sha256: 'cd'.repeat(32),
  provision: { section: 'Your data › Training', excerpt: 'We may use your content to train our models unless you opt out in settings, as described below in more detail than anyone reads.' },
};

describe('citation formats', () => {
  it('plain text', () => {
    assert.equal(
      plainText(version),
      `Acme & Co, “Privacy Policy”, version recorded 3 September 2024. Retrieved 4 September 2024 from https://acme.test/privacy?lang=en_GB. Archived at ${version.archiveUrl}. Clausewatch record CW-V-000012, SHA-256 ${sha}.`,
    );
    assert.match(plainText(provision), /^Acme & Co, “Privacy Policy”, § Your data › Training: “We may use your content to train our models unless you opt out in settings…”, in the version recorded/);
  });

  it('Bluebook, with the archive link in brackets and Bluebook month abbreviations', () => {
    assert.equal(
      bluebook(version),
      `Acme & Co, Privacy Policy (Sept. 3, 2024), https://acme.test/privacy?lang=en_GB [${version.archiveUrl}] (retrieved Sept. 4, 2024; Clausewatch record CW-V-000012; SHA-256: ${sha}).`,
    );
    const noUrl = bluebook({ ...version, sourceUrl: undefined, archiveUrl: undefined });
    assert.equal(noUrl, `Acme & Co, Privacy Policy (Sept. 3, 2024) (retrieved Sept. 4, 2024; Clausewatch record CW-V-000012; SHA-256: ${sha}).`);
  });

  it('BibTeX, escaped for TeX', () => {
    const b = bibtex(version);
    assert.match(b, /^@misc\{CW-V-000012,\n/);
    assert.match(b, /author = \{\{Acme \\& Co\}\},/);
    assert.match(b, /month = sep,/);
    assert.match(b, /date = \{2024-09-03\},/);
    assert.match(b, /url = \{https:\/\/acme\.test\/privacy\?lang=en_GB\},/);
    assert.match(b, /urldate = \{2024-09-04\},/);
    assert.match(b, new RegExp(`note = \\{Retrieved 2024-09-04; archived at \\\\url\\{${version.archiveUrl!.replace(/[.?/]/g, '\\$&')}\\}; Clausewatch record CW-V-000012; SHA-256 ${sha}\\},`));
    assert.match(b, /\n\}$/);
    const open = (b.match(/\{/g) ?? []).length - (b.match(/\\\{/g) ?? []).length;
    const close = (b.match(/\}/g) ?? []).length - (b.match(/\\\}/g) ?? []).length;
    assert.equal(open, close, 'balanced braces');
  });

  it('RIS, one tag a line, CR LF', () => {
    const r = ris(provision);
    const lines = r.split('\r\n');
    assert.equal(lines[0], 'TY  - ELEC');
    assert.ok(lines.includes('AU  - Acme & Co'), r);
    assert.ok(lines.includes('DA  - 2024/09/03/'), r);
    assert.ok(lines.includes('Y2  - 2024/09/04/'), r);
    assert.ok(lines.includes('UR  - https://acme.test/privacy?lang=en_GB'), r);
    assert.ok(lines.includes('AN  - CW-P-000345'), r);
    assert.ok(lines.some((l) => l.startsWith('T2  - § Your data › Training')), r);
    assert.ok(lines.some((l) => l.startsWith('N1  - Archived at https://web.archive.org/') && l.endsWith(`SHA-256 ${'cd'.repeat(32)}`)), r);
    assert.equal(lines[lines.length - 2], 'ER  -');
    assert.ok(lines.every((l) => l === '' || /^[A-Z][A-Z0-9] {2}-( |$)/.test(l)), 'every line is a tag');
  });

  it('CSL-JSON', () => {
    const [item] = cslJson(version) as Record<string, unknown>[];
    assert.deepEqual(item, {
      id: 'CW-V-000012',
      type: 'webpage',
      title: 'Privacy Policy',
      author: [{ literal: 'Acme & Co' }],
      publisher: 'Acme & Co',
      issued: { 'date-parts': [[2024, 9, 3]] },
      accessed: { 'date-parts': [[2024, 9, 4]] },
      number: 'CW-V-000012',
      note: `Clausewatch record CW-V-000012; SHA-256 ${sha}`,
      URL: 'https://acme.test/privacy?lang=en_GB',
      archive: 'Internet Archive Wayback Machine',
      archive_location: version.archiveUrl,
    });
    assert.deepEqual(JSON.parse(formatCitation(version, 'csl-json')), [item]);
  });

  it('control characters in names never break a line-based format', () => {
    const r = ris({ ...version, title: 'Privacy\r\nER  - Policy' });
    assert.ok(r.includes('TI  - Privacy ER - Policy'), r);
    assert.equal(r.split('\r\n').filter((l) => l.startsWith('ER')).length, 1);
  });
});

for (const driver of DRIVERS) {
  test(`${driver}: a recorded version cites with its fetch URL, fetch time, Wayback link and text hash`, async () => {
    const t = await openTestDb(driver);
    try {
      const h = await recordHistory(t.db);
      const id = `CW-V-${String(h.versions[1]).padStart(6, '0')}`;
      const src = await citationSource(t.db, id);
      const text = (await t.db.query<{ text_sha256: string }>('SELECT text_sha256 FROM versions WHERE id = $1', [h.versions[1]]))[0]!.text_sha256;
      assert.deepEqual(
        { ...src },
        {
          recordId: id,
          kind: 'version',
          sha256: text,
          platform: 'Acme',
          title: 'Privacy Policy',
          versionDate: new Date('2024-01-03T12:00:00.123Z'),
          retrievedAt: new Date('2024-01-03T12:00:00.123Z'),
          sourceUrl: 'https://acme.test/privacy',
          archiveUrl: 'https://web.archive.org/web/20240103120000/https://acme.test/privacy',
        },
      );
      // An imported text without any URL falls back to the catalogue.
      const imported = `CW-V-${String(h.versions[h.versions.length - 1]).padStart(6, '0')}`;
      const viaCapture = await citationSource(t.db, imported);
      assert.equal(viaCapture.sourceUrl, 'https://acme.test/terms', 'the latest capture of the document says where it lives');
      await assert.rejects(citationSource(t.db, 'CW-V-999999'), /no record CW-V-999999/);
      await assert.rejects(citationSource(t.db, 'CW-S-000001'), /not a version or provision/);
    } finally {
      await t.drop();
    }
  });
}
