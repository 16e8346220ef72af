// Memento (RFC 7089): a document's versions as a TimeMap and a TimeGate by date.

import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { httpDate, mementoHeaders, parseHttpDate, selectMemento, timeGate, timeMap } from '../../src/evidence/memento.ts';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { documentMementos } from '../../src/evidence/record-sources.ts';
import { recordHistory } from './db-fixture.ts';

const base = 'https://cw.example/documents/CW-D-000001';
const m = (n: number, iso: string) => ({ uri: `https://cw.example/versions/CW-V-00000${n}`, datetime: new Date(iso) });
const mementos = [m(2, '2024-02-01T00:00:00Z'), m(1, '2024-01-01T12:00:00Z'), m(3, '2024-03-01T00:00:00Z')];

describe('Memento', () => {
  it('dates are IMF-fixdate both ways, strictly', () => {
    assert.equal(httpDate(new Date('2000-06-20T18:02:59Z')), 'Tue, 20 Jun 2000 18:02:59 GMT');
    assert.equal(parseHttpDate('Tue, 20 Jun 2000 18:02:59 GMT')?.toISOString(), '2000-06-20T18:02:59.000Z');
    for (const bad of ['2000-06-20', 'Wed, 20 Jun 2000 18:02:59 GMT', 'Tue, 31 Jun 2000 18:02:59 GMT', 'Tue, 20 Jun 2000 25:02:59 GMT', 'Tuesday, 20-Jun-00 18:02:59 GMT', '']) {
      assert.equal(parseHttpDate(bad), undefined, bad);
    }
  });

  it('the TimeMap lists original, self with its range, timegate, then mementos oldest first', () => {
    const tm = timeMap({ original: 'https://acme.test/privacy', self: `${base}/timemap`, timegate: `${base}/timegate`, mementos });
    assert.equal(
      tm,
      [
        '<https://acme.test/privacy>;rel="original",',
        `<${base}/timemap>;rel="self";type="application/link-format";from="Mon, 01 Jan 2024 12:00:00 GMT";until="Fri, 01 Mar 2024 00:00:00 GMT",`,
        `<${base}/timegate>;rel="timegate",`,
        '<https://cw.example/versions/CW-V-000001>;rel="first memento";datetime="Mon, 01 Jan 2024 12:00:00 GMT",',
        '<https://cw.example/versions/CW-V-000002>;rel="memento";datetime="Thu, 01 Feb 2024 00:00:00 GMT",',
        '<https://cw.example/versions/CW-V-000003>;rel="last memento";datetime="Fri, 01 Mar 2024 00:00:00 GMT"',
        '',
      ].join('\n'),
    );
    const one = timeMap({ original: 'https://acme.test/x y', self: 's', timegate: 'g', mementos: [mementos[0]!] });
    assert.match(one, /rel="first last memento"/);
    assert.match(one, /<https:\/\/acme\.test\/x%20y>/, 'no raw space inside a link target');
  });

  it('link targets are ASCII whatever the address holds, so they are valid header values', () => {
    const h = mementoHeaders({ datetime: new Date('2025-01-01T00:00:00Z'), original: 'https://example.jp/利用規約 \ud83d', timegate: '/g', timemap: '/m' });
    assert.match(h.link!, /^<https:\/\/example\.jp\/%E5%88%A9%E7%94%A8%E8%A6%8F%E7%B4%84%20%EF%BF%BD>;rel="original"/);
    assert.doesNotMatch(JSON.stringify(h), /[^\x20-\x7e]/);
  });

  it('the TimeGate picks the version in force at the date', () => {
    const at = (iso: string) => selectMemento(mementos, new Date(iso))?.memento.uri.slice(-1);
    assert.equal(at('2024-01-01T12:00:00Z'), '1', 'a version is in force from its own instant');
    assert.equal(at('2024-01-31T23:59:59Z'), '1');
    assert.equal(at('2024-02-01T00:00:00Z'), '2');
    assert.equal(at('2030-01-01T00:00:00Z'), '3');
    assert.equal(at('1999-01-01T00:00:00Z'), '1', 'before the first: the first');
    assert.equal(selectMemento([], new Date()), undefined);
  });

  it('answers 302 with Vary and Link, 400 for a bad Accept-Datetime, 404 without versions', () => {
    const g = timeGate({ original: 'https://acme.test/privacy', timemap: `${base}/timemap`, mementos, acceptDatetime: 'Thu, 15 Feb 2024 00:00:00 GMT' });
    assert.equal(g.status, 302);
    assert.equal(g.headers.location, 'https://cw.example/versions/CW-V-000002');
    assert.equal(g.headers.vary, 'accept-datetime');
    assert.match(g.headers.link ?? '', /<https:\/\/acme\.test\/privacy>;rel="original"/);
    assert.match(g.headers.link ?? '', /CW-V-000001>;rel="first prev memento"/);
    assert.match(g.headers.link ?? '', /CW-V-000003>;rel="last next memento"/);
    assert.match(g.headers.link ?? '', /CW-V-000002>;rel="memento"/);
    const latest = timeGate({ original: 'o', timemap: 't', mementos, now: new Date('2025-01-01') });
    assert.equal(latest.headers.location, 'https://cw.example/versions/CW-V-000003', 'no Accept-Datetime: the current version');
    const bad = timeGate({ original: 'o', timemap: 't', mementos, acceptDatetime: '2024-02-15' });
    assert.equal(bad.status, 400);
    assert.match(bad.reason ?? '', /not an HTTP date/);
    assert.equal(timeGate({ original: 'o', timemap: 't', mementos: [] }).status, 404);
    const h = mementoHeaders({ datetime: mementos[0]!.datetime, original: 'o', timegate: 'g', timemap: 't' });
    assert.equal(h['memento-datetime'], 'Thu, 01 Feb 2024 00:00:00 GMT');
  });
});

for (const driver of DRIVERS) {
  test(`${driver}: a document's versions are its mementos, with the page it was fetched from as original`, async () => {
    const t = await openTestDb(driver);
    try {
      const h = await recordHistory(t.db);
      const got = await documentMementos(t.db, h.documentId, (id) => `https://cw.example/versions/${id}`);
      assert.equal(got.original, 'https://acme.test/privacy');
      assert.equal(got.mementos.length, 3);
      const tm = timeMap({ original: got.original!, self: 's', timegate: 'g', mementos: got.mementos });
      assert.match(tm, /rel="first memento";datetime="Mon, 01 Jan 2024 12:00:00 GMT"/);
      const g = timeGate({ original: got.original!, timemap: 's', mementos: got.mementos, acceptDatetime: 'Wed, 03 Jan 2024 13:00:00 GMT' });
      assert.equal(g.headers.location, `https://cw.example/versions/CW-V-${String(h.versions[1]).padStart(6, '0')}`);
    } finally {
      await t.drop();
    }
  });
}
