// Trusted time against a real RFC 3161 authority on loopback: tokens are requested, checked,
// stored with checkpoints, carried in bundles and verified offline; every broken token fails with
// its reason, never as "valid".

import { test, describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { parseTimestampResponse, requestTimestamp, timestampRequest, verifyTimestampToken } from '../../src/evidence/timestamp.ts';
import { parseDer, children, TAG, readInteger } from '../../src/evidence/der.ts';
import { makeCheckpoint } from '../../src/evidence/checkpoint-store.ts';
import { exportEvidence } from '../../src/evidence/export.ts';
import { verifyBundle } from '../../src/evidence/bundle.ts';
import { verifyLog } from '../../src/evidence/verify-log.ts';
import { issue, makeToken, startTsa } from './tsa.ts';
import type { Tsa } from './tsa.ts';
import { recordHistory, tempConfig } from './db-fixture.ts';
import { loadSigner } from '../../src/evidence/config.ts';

const data = Buffer.from('clausewatch.local/log\n12\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ntime 2025-01-01T00:00:00.000Z\n');

describe('RFC 3161 tokens from a loopback authority', () => {
  let ec: Tsa;
  let rsa: Tsa;
  before(async () => {
    ec = await startTsa('ec');
    rsa = await startTsa('rsa');
  });
  after(async () => {
    await ec.close();
    await rsa.close();
  });

  it('requests a token (ECDSA and RSA authorities) and checks it, anchored in the CA when given', async () => {
    for (const tsa of [ec, rsa]) {
      const before = Date.now();
      const got = await requestTimestamp(tsa.url, data, { trusted: [tsa.ca.cert] });
      assert.ok(Math.abs(got.genTime.getTime() - before) < 60_000, 'genTime is now');
      assert.equal(got.info.anchor, 'CN=Test Time CA');
      const v = verifyTimestampToken(got.token, data);
      assert.ok(v.ok, JSON.stringify(v));
      assert.equal(v.tsa, 'CN=Test TSA');
      assert.equal(v.anchor, undefined, 'without trusted certificates nothing is anchored');
    }
  });

  it('the request is a DER TimeStampReq with a SHA-256 imprint, a nonce and certReq', () => {
    const req = children(parseDer(timestampRequest(data, Buffer.from([1, 2, 3]))));
    assert.equal(readInteger(req[0]!), 1n);
    assert.equal(children(req[1]!)[1]!.value.length, 32);
    assert.equal(readInteger(req[2]!), 0x010203n);
    assert.equal(req[3]!.tag, TAG.BOOLEAN);
  });

  it('refuses a token for other bytes, a broken signature, a stranger CA, a replayed nonce, garbage', async () => {
    const token = (await requestTimestamp(ec.url, data)).token;
    const other = verifyTimestampToken(token, Buffer.from('other'));
    assert.ok(!other.ok && /for other bytes/.test(other.reason), JSON.stringify(other));
    const stranger = issue({ cn: 'Stranger CA', kind: 'ec', ca: true });
    const anchored = verifyTimestampToken(token, data, { trusted: [stranger.cert] });
    assert.ok(!anchored.ok && /does not chain to a trusted certificate/.test(anchored.reason), JSON.stringify(anchored));
    // A byte of the TSTInfo changed (its genTime): the signed digest no longer matches.
    const at = token.indexOf(Buffer.from(String(new Date().getUTCFullYear())));
    const edited = Buffer.from(token);
    edited[at + 3] = edited[at + 3]! ^ 1;
    const e = verifyTimestampToken(edited, data);
    assert.ok(!e.ok && /altered|malformed/.test(e.reason), JSON.stringify(e));
    const cut = verifyTimestampToken(token.subarray(0, token.length - 10), data);
    assert.ok(!cut.ok && /malformed/.test(cut.reason), JSON.stringify(cut));
    assert.ok(!verifyTimestampToken(Buffer.alloc(0), data).ok, 'empty');
    const replay = verifyTimestampToken(token, data, { nonce: 42n });
    assert.ok(!replay.ok && /nonce/.test(replay.reason), JSON.stringify(replay));
    // A token signed by a certificate that is not for time stamping.
    const plain = issue({ cn: 'Not a TSA', kind: 'ec', issuer: ec.ca });
    const imprint = children(parseDer(timestampRequest(data)))[1]!.raw;
    const wrongPurpose = verifyTimestampToken(makeToken({ ca: ec.ca, tsa: plain }, imprint, undefined), data);
    assert.ok(!wrongPurpose.ok && /not for time stamping/.test(wrongPurpose.reason), JSON.stringify(wrongPurpose));
    const expired = issue({ cn: 'Old TSA', kind: 'ec', issuer: ec.ca, timeStamping: true, notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
    const late = verifyTimestampToken(makeToken({ ca: ec.ca, tsa: expired }, imprint, undefined), data);
    assert.ok(!late.ok && /outside the TSA certificate's validity/.test(late.reason), JSON.stringify(late));
  });

  it('a misbehaving authority is an error, never a stored token', async () => {
    for (const [mode, reason] of [
      ['refuse', /refused \(status 2: policy not accepted\)/],
      ['wrong-imprint', /for other bytes/],
      ['bad-signature', /signature does not verify/],
      ['no-nonce', /nonce/],
      ['garbage', /no valid TimeStampResp/],
      ['http-500', /HTTP 500/],
    ] as const) {
      ec.mode = mode;
      await assert.rejects(requestTimestamp(ec.url, data), reason, mode);
    }
    ec.mode = 'ok';
    assert.ok('refused' in parseTimestampResponse(Buffer.from('300530030201020000', 'hex').subarray(0, 7)), 'status 2 without text');
  });
});

for (const driver of DRIVERS) {
  test(`${driver}: checkpoints carry a token, bundles carry it, and both verify it`, async () => {
    const tsa = await startTsa('ec');
    const t = await openTestDb(driver);
    try {
      const config = tempConfig();
      const signer = loadSigner(config);
      const h = await recordHistory(t.db);
      const made = await makeCheckpoint(t.db, signer, { tsaUrl: tsa.url, tsaTrusted: [tsa.ca.cert] });
      assert.ok(made.checkpoint.timestampToken, 'the token is stored');
      assert.ok(made.checkpoint.timestampTime, 'with its time');
      const { bundle } = await exportEvidence(t.db, `CW-V-${String(h.versions[0]).padStart(6, '0')}`, signer);
      assert.ok(bundle.timestamp, 'the bundle carries the token');
      const anchored = verifyBundle(bundle, { trustedTsaCerts: [tsa.ca.cert] });
      assert.equal(anchored.ok, true, JSON.stringify(anchored.checks));
      const ts = anchored.checks.find((c) => c.name === 'timestamp');
      assert.match(ts?.detail ?? '', /the checkpoint existed at .* chaining to the trusted CN=Test Time CA/);
      const loose = verifyBundle(bundle);
      assert.equal(loose.ok, true);
      assert.match(loose.checks.find((c) => c.name === 'timestamp')?.detail ?? '', /not checked against a trusted authority/);
      const stranger = issue({ cn: 'Stranger CA', kind: 'ec', ca: true });
      const s = verifyBundle(bundle, { trustedTsaCerts: [stranger.cert] });
      assert.equal(s.ok, false);
      // A token moved onto another checkpoint: it covers other bytes.
      const other = await makeCheckpoint(t.db, signer);
      const swapped = verifyBundle({ ...bundle, checkpoint: other.checkpoint.note });
      assert.match(swapped.checks.find((c) => c.name === 'timestamp')?.detail ?? '', /fails because the token is for other bytes/);
      const garbled = verifyBundle({ ...bundle, timestamp: 'AAAA' });
      assert.match(garbled.checks.find((c) => c.name === 'timestamp')?.detail ?? '', /fails because the token is malformed/);
      assert.deepEqual((await verifyLog(t.db, { config })).problems, []);
      // A stored token swapped for one over other bytes is reported by verify.
      const foreign = (await requestTimestamp(tsa.url, Buffer.from('another text'))).token;
      await t.db.query('UPDATE evidence_checkpoints SET timestamp_token = $2 WHERE id = $1', [made.checkpoint.id, foreign]);
      const report = await verifyLog(t.db, { config });
      assert.ok(report.problems.some((p) => p.record === `checkpoint #${made.checkpoint.id}` && p.what === 'RFC 3161 timestamp'), JSON.stringify(report.problems));
    } finally {
      await t.drop();
      await tsa.close();
    }
  });
}
