import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from '../../src/evidence/canonical-json.ts';
import { leafData, recordLeafHash, recordTime, sha256Hex, validateRecord } from '../../src/evidence/leaf.ts';
import type { EvidenceRecord } from '../../src/evidence/leaf.ts';
import { leafHash } from '../../src/evidence/merkle.ts';

describe('canonicalJson (RFC 8785 subset)', () => {
  it('sorts keys by UTF-16 code units (the RFC 8785 §3.2.3 example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    assert.equal(
      canonicalJson(input),
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('escapes strings as RFC 8785 §3.2.2.2 does', () => {
    assert.equal(canonicalJson('\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/'), '"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"');
    assert.equal(canonicalJson('\u2028\u007f\b\t\f'), '"\u2028\u007f\\b\\t\\f"');
  });

  it('writes literals, integers, arrays and nested objects without whitespace', () => {
    assert.equal(canonicalJson({ b: [1, -2, 0, true, false, null], a: { d: 'x', c: -0 } }), '{"a":{"c":0,"d":"x"},"b":[1,-2,0,true,false,null]}');
    assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
    assert.equal(canonicalJson(Number.MAX_SAFE_INTEGER), '9007199254740991');
  });

  it('refuses what it cannot serialise canonically', () => {
    for (const bad of [1.5, 2 ** 53, NaN, Infinity, '\ud800', { k: '\udc00x' }, new Date(0), Buffer.alloc(1), [undefined], () => 1, 1n, Symbol('s')]) {
      assert.throws(() => canonicalJson(bad), TypeError, String(typeof bad));
    }
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    assert.throws(() => canonicalJson(deep), /deeper/);
  });
});

const record: EvidenceRecord = {
  kind: 'version',
  id: 'v-42',
  sha256: sha256Hex('# Terms\n\nBe nice.\n'),
  time: '2025-03-01T12:00:00.000Z',
  platform: 'example',
  document: 'terms-of-service',
  snapshotSha256: sha256Hex('<html>…</html>'),
  parentId: 's-17',
};

describe('leaf serialisation', () => {
  it('is canonical JSON with "v": 1 and sorted keys', () => {
    assert.equal(
      leafData(record).toString('utf8'),
      `{"document":"terms-of-service","id":"v-42","kind":"version","parentId":"s-17","platform":"example","sha256":"${record.sha256}","snapshotSha256":"${record.snapshotSha256}","time":"2025-03-01T12:00:00.000Z","v":1}`,
    );
  });

  it('does not depend on the order fields were written in', () => {
    const shuffled = Object.fromEntries(Object.entries(record).reverse()) as unknown as EvidenceRecord;
    assert.equal(leafData(shuffled).toString('hex'), leafData(record).toString('hex'));
    assert.equal(recordLeafHash(record).toString('hex'), leafHash(leafData(record)).toString('hex'));
  });

  it('is pinned: this exact record always hashes to this leaf', () => {
    const fixed: EvidenceRecord = { kind: 'snapshot', id: '1', sha256: '0'.repeat(64), time: '2000-01-01T00:00:00.000Z' };
    const expected = leafHash(Buffer.from(`{"id":"1","kind":"snapshot","sha256":"${'0'.repeat(64)}","time":"2000-01-01T00:00:00.000Z","v":1}`));
    assert.equal(recordLeafHash(fixed).toString('hex'), expected.toString('hex'));
  });

  it('hashes texts as their UTF-8 bytes, unnormalised', () => {
    assert.equal(sha256Hex('é'), sha256Hex(Buffer.from([0xc3, 0xa9])));
    assert.notEqual(sha256Hex('é'), sha256Hex('e\u0301'));
    assert.equal(recordTime(new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6))), '2025-01-02T03:04:05.006Z');
  });

  it('refuses records that have more than one serialisation or none', () => {
    const cases: [unknown, RegExp][] = [
      [null, /not a JSON object/],
      [[], /not a JSON object/],
      [{ ...record, extra: 'x' }, /unknown field "extra"/],
      [{ ...record, kind: 'Version' }, /"kind" is not a lower-case token/],
      [{ ...record, id: '' }, /"id" is empty/],
      [{ ...record, id: 'a\nb' }, /control character/],
      [{ ...record, sha256: record.sha256.toUpperCase() }, /"sha256" is not 64 lower-case hex/],
      [{ ...record, time: '2025-03-01T12:00:00Z' }, /"time" is not of the form/],
      [{ ...record, time: '2025-02-30T12:00:00.000Z' }, /not a real instant/],
      [{ ...record, time: 1740830400000 }, /"time" is number, not a string/],
      [{ ...record, platform: null }, /"platform" is null/],
      [{ kind: 'version', id: 'x', time: record.time }, /no "sha256"/],
    ];
    for (const [input, reason] of cases) {
      const v = validateRecord(input);
      assert.equal(v.ok, false, JSON.stringify(input));
      if (!v.ok) assert.match(v.reason, reason);
    }
    assert.throws(() => leafData({ ...record, kind: '' }), /cannot serialise record/);
  });

  it('accepts kinds beyond the three with content', () => {
    const v = validateRecord({ kind: 'declaration', id: 'd1', sha256: '1'.repeat(64), time: record.time });
    assert.equal(v.ok, true);
  });
});
