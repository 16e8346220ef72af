import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { buildBundle, verifyBundle } from '../../src/evidence/bundle.ts';
import type { BundleVerification, EvidenceBundle, VerifyBundleOptions } from '../../src/evidence/bundle.ts';
import { signCheckpoint } from '../../src/evidence/checkpoint.ts';
import { keyId, verifierKey } from '../../src/evidence/keys.ts';
import { leafData, sha256Hex } from '../../src/evidence/leaf.ts';
import type { EvidenceRecord } from '../../src/evidence/leaf.ts';
import { MerkleLog } from '../../src/evidence/log.ts';
import { MemoryNodeStore } from '../../src/evidence/node-store.ts';
import { rng } from './oracle.ts';

const ORIGIN = 'clausewatch.test/log';
const snapshotBytes = Buffer.from('<html><body><h1>Terms</h1><p>Be nice. — Ünïcödé</p></body></html>');
const versionText = '# Terms\n\nBe nice. — Ünïcödé\n';
const provisionText = 'Be nice. — Ünïcödé';
const time = '2025-03-01T12:00:00.000Z';

const snapshot: EvidenceRecord = { kind: 'snapshot', id: 's-1', sha256: sha256Hex(snapshotBytes), time, platform: 'example', document: 'terms-of-service', url: 'https://example.com/terms', mediaType: 'text/html' };
const version: EvidenceRecord = { kind: 'version', id: 'v-1', sha256: sha256Hex(versionText), time, platform: 'example', document: 'terms-of-service', snapshotSha256: snapshot.sha256, parentId: 's-1' };
const provision: EvidenceRecord = { kind: 'provision', id: 'p-1', sha256: sha256Hex(provisionText), time, versionSha256: version.sha256, parentId: 'v-1' };

const key = generateKeyPairSync('ed25519');
const publicKeyPem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const stranger = generateKeyPairSync('ed25519');

let log: MerkleLog;
let checkpoint: string;
let good: EvidenceBundle;
const indexOf = new Map<string, number>();

before(async () => {
  log = new MerkleLog(new MemoryNodeStore());
  // Filler records around ours, so the proof has several levels.
  for (let i = 0; i < 11; i++) await log.append(Buffer.from(`filler ${i}`));
  for (const r of [snapshot, version, provision]) indexOf.set(r.id, (await log.append(leafData(r))).index);
  for (let i = 0; i < 6; i++) await log.append(Buffer.from(`later ${i}`));
  checkpoint = signCheckpoint({ origin: ORIGIN, size: await log.size(), root: await log.root(), time: '2025-03-01T13:00:00.000Z' }, key.privateKey);
  good = await bundleFor(version, { versionText, snapshotBytes });
});

async function bundleFor(record: EvidenceRecord, content: Parameters<typeof buildBundle>[0]['content']): Promise<EvidenceBundle> {
  const leafIndex = indexOf.get(record.id)!;
  return buildBundle({ record, content, leafIndex, inclusionProof: await log.inclusionProof(leafIndex), checkpoint, publicKey: publicKeyPem });
}

function clone(): Record<string, any> {
  return JSON.parse(JSON.stringify(good)) as Record<string, any>;
}

function check(result: BundleVerification, name: string): { ok: boolean; detail: string } {
  const c = result.checks.find((x) => x.name === name);
  assert.ok(c, `no check named ${name} in ${JSON.stringify(result.checks.map((x) => x.name))}`);
  return c;
}

/** Verifies input; expects failure with the named check failing for the given reason. */
function expectFailure(input: unknown, name: string, reason: RegExp, options?: VerifyBundleOptions): BundleVerification {
  let result: BundleVerification | undefined;
  assert.doesNotThrow(() => {
    result = verifyBundle(input, options);
  });
  assert.equal(result!.ok, false, `expected failure of ${name}`);
  const c = check(result!, name);
  assert.equal(c.ok, false, `${name} should fail: ${c.detail}`);
  assert.match(c.detail, reason);
  for (const failed of result!.checks.filter((x) => !x.ok)) assert.match(failed.detail, /^(fails|not checked) because /, failed.name);
  return result!;
}

describe('evidence bundles: the good case', () => {
  it('verifies a version with its snapshot, every check passing', () => {
    const r = verifyBundle(good);
    assert.equal(r.ok, true, JSON.stringify(r.checks, null, 1));
    assert.deepEqual(
      r.checks.map((c) => c.name),
      ['bundle', 'record', 'content.snapshot', 'content.version', 'leaf', 'public-key', 'checkpoint', 'signature', 'inclusion'],
    );
    assert.equal(r.record?.id, 'v-1');
    assert.equal(r.checkpoint?.size, 20);
  });

  it('verifies from JSON text and from bytes, as a third party receives it', () => {
    const text = JSON.stringify(good);
    assert.equal(verifyBundle(text).ok, true);
    assert.equal(verifyBundle(Buffer.from(text)).ok, true);
    assert.equal(verifyBundle(new Uint8Array(Buffer.from(text))).ok, true);
  });

  it('carries bytes as base64 and hashes as hex', () => {
    assert.equal(Buffer.from(good.content.version!, 'base64').toString('utf8'), versionText);
    assert.equal(Buffer.from(good.content.snapshot!, 'base64').toString('hex'), snapshotBytes.toString('hex'));
    assert.ok(good.inclusionProof.every((h) => /^[0-9a-f]{64}$/.test(h)), 'hex proof');
    assert.equal(good.inclusionProof.length, 5);
  });

  it('verifies snapshots and provisions too', async () => {
    assert.equal(verifyBundle(await bundleFor(snapshot, { snapshotBytes })).ok, true);
    const p = verifyBundle(await bundleFor(provision, { provisionText, versionText }));
    assert.equal(p.ok, true, JSON.stringify(p.checks));
  });

  it('accepts a trusted key as PEM, as KeyObject, as verifier key, or a trusted key id', () => {
    const id = keyId(ORIGIN, key.publicKey).toString('hex');
    for (const options of [{ trustedKey: publicKeyPem }, { trustedKey: key.publicKey }, { trustedKey: verifierKey(ORIGIN, key.publicKey) }, { trustedKeyId: id }, { trustedKeyId: id.toUpperCase() }, { origin: ORIGIN }]) {
      const r = verifyBundle(good, options);
      assert.equal(r.ok, true, JSON.stringify(r.checks));
    }
  });
});

describe('evidence bundles: every way to fail says why', () => {
  it('truncated JSON', () => {
    const text = JSON.stringify(good);
    for (const cut of [0, 1, 100, text.length - 1]) expectFailure(text.slice(0, cut), 'bundle', /not valid JSON/);
    expectFailure(Buffer.from(text).subarray(0, 500), 'bundle', /not valid JSON/);
  });

  it('not an object at all', () => {
    for (const input of [null, undefined, 42, true, [], [good]]) expectFailure(input, 'bundle', /not a JSON object/);
    expectFailure({}, 'bundle', /no "format" field/);
    expectFailure({ ...clone(), format: 'clausewatch-evidence/2' }, 'bundle', /format is string "clausewatch-evidence\/2"/);
    expectFailure({ ...clone(), extra: 1 }, 'bundle', /fields this format does not define: "extra"/);
  });

  it('edited content bytes', () => {
    const b = clone();
    const bytes = Buffer.from(b.content.version, 'base64');
    bytes[3]! ^= 1;
    b.content.version = bytes.toString('base64');
    expectFailure(b, 'content.version', /SHA-256 of the \d+ version bytes is [0-9a-f]{64}, and the record's "sha256" is [0-9a-f]{64}: the content is not the recorded one/);
    const c = clone();
    c.content.snapshot = c.content.snapshot.slice(0, -8);
    expectFailure(c, 'content.snapshot', /record's "snapshotSha256"/);
    const d = clone();
    d.content.version = `${d.content.version.slice(0, 10)}!${d.content.version.slice(11)}`;
    expectFailure(d, 'content.version', /not canonical base64/);
  });

  it('missing or unbacked content', () => {
    const b = clone();
    delete b.content.version;
    expectFailure(b, 'content.version', /carries no version content/);
    const c = clone();
    c.content.provision = Buffer.from(provisionText).toString('base64');
    expectFailure(c, 'content.provision', /commits to no hash for provision content/);
    const d = clone();
    d.content.pdf = 'AAAA';
    expectFailure(d, 'content', /fields this format does not define: "pdf"/);
    const e = clone();
    e.content = 'abc';
    expectFailure(e, 'content', /"content" is string "abc", not an object/);
    const f = clone();
    f.content.version = 12;
    expectFailure(f, 'content.version', /it is number 12, not a base64 string/);
  });

  it('an edited record', () => {
    const b = clone();
    b.record.time = '2025-03-02T12:00:00.000Z';
    b.record.sha256 = sha256Hex('something else');
    b.content.version = Buffer.from('something else').toString('base64');
    const r = expectFailure(b, 'leaf', /the record serialises to a leaf with hash [0-9a-f]{64}, and the bundle states [0-9a-f]{64}: the record or the leaf hash was edited/);
    // Even with the leaf hash updated to match, the edited record is not in the log.
    b.leafHash = /with hash ([0-9a-f]{64})/.exec(check(r, 'leaf').detail)![1];
    expectFailure(b, 'inclusion', /the proof leads from leaf 12 to root \S+, and the checkpoint's root at size 20 is \S+: the proof belongs to another tree/);
    const c = clone();
    c.record.secret = 'x';
    expectFailure(c, 'record', /unknown field "secret"/);
  });

  it('the wrong key', () => {
    const b = clone();
    b.publicKey = stranger.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expectFailure(b, 'signature', /^fails because wrong key: no signature on the note is from the supplied key; it is signed by "clausewatch.test\/log" \(key id [0-9a-f]{8}\)/);
  });

  it('a bundle consistently re-signed by someone else, caught only by the trusted key', async () => {
    const b = clone();
    b.publicKey = stranger.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    b.checkpoint = signCheckpoint({ origin: ORIGIN, size: await log.size(), root: await log.root(), time }, stranger.privateKey);
    assert.equal(verifyBundle(b).ok, true, 'self-consistent, so it verifies without a trusted key');
    expectFailure(b, 'trusted-key', /the bundle's key \S+ is not the trusted key \S+/, { trustedKey: publicKeyPem });
    expectFailure(b, 'trusted-key', /the checkpoint's key id is [0-9a-f]{8} \(key "clausewatch.test\/log"\), and the trusted key id is [0-9a-f]{8}/, { trustedKeyId: keyId(ORIGIN, key.publicKey).toString('hex') });
    expectFailure(good, 'trusted-key', /not 8 hex digits/, { trustedKeyId: 'xyz' });
    expectFailure(good, 'trusted-key', /unusable/, { trustedKey: 'garbage' });
    expectFailure(good, 'signature', /wrong origin/, { origin: 'other.test/log' });
  });

  it('a proof for another tree', async () => {
    // Same size, other leaves.
    const other = new MerkleLog(new MemoryNodeStore());
    for (let i = 0; i < 20; i++) await other.append(Buffer.from(`other ${i}`));
    const b = clone();
    b.inclusionProof = (await other.inclusionProof(b.leafIndex)).map((h) => h.toString('hex'));
    expectFailure(b, 'inclusion', /the proof leads from leaf 12 to root \S+, and the checkpoint's root at size 20 is \S+/);
    // A proof for an earlier size of the same log.
    const c = clone();
    c.inclusionProof = (await log.inclusionProof(c.leafIndex, 13)).map((h) => h.toString('hex'));
    expectFailure(c, 'inclusion', /the proof has 2 hashes, and leaf 12 of a tree of size 20 needs exactly 5, so it is not a proof for this checkpoint's tree/);
    // The right proof, the wrong index.
    const d = clone();
    d.leafIndex = 13;
    expectFailure(d, 'inclusion', /leads from leaf 13 to root/);
    const e = clone();
    e.leafIndex = 20;
    expectFailure(e, 'inclusion', /leaf index 20 is not below tree size 20/);
  });

  it('an edited checkpoint', () => {
    const b = clone();
    b.checkpoint = b.checkpoint.replace('\n20\n', '\n21\n');
    expectFailure(b, 'signature', /^fails because bad signature: .* does not verify over the note text/);
    const c = clone();
    c.checkpoint = c.checkpoint.slice(0, 40);
    const r = expectFailure(c, 'checkpoint', /malformed/);
    assert.match(check(r, 'signature').detail, /^not checked because the checkpoint is malformed/);
    assert.match(check(r, 'inclusion').detail, /^not checked because the checkpoint is malformed/);
  });

  it('missing fields, each named', () => {
    const expectations: [string, string, RegExp][] = [
      ['record', 'record', /no "record" field/],
      ['content', 'content', /no "content" field/],
      ['leafHash', 'leaf', /no "leafHash" field/],
      ['leafIndex', 'inclusion', /no "leafIndex" field/],
      ['inclusionProof', 'inclusion', /no "inclusionProof" field/],
      ['checkpoint', 'checkpoint', /no "checkpoint" field/],
      ['publicKey', 'public-key', /no "publicKey" field/],
    ];
    for (const [field, name, reason] of expectations) {
      const b = clone();
      delete b[field];
      expectFailure(b, name, reason);
    }
    const r = clone();
    delete r.record.sha256;
    expectFailure(r, 'record', /the record has no "sha256"/);
  });

  it('wrong types, each named', () => {
    const expectations: [string, unknown, string, RegExp][] = [
      ['record', null, 'record', /not a JSON object/],
      ['record', 'v-1', 'record', /not a JSON object/],
      ['leafHash', 42, 'leaf', /"leafHash" is number 42, not 64 lower-case hex digits/],
      ['leafIndex', '12', 'inclusion', /"leafIndex" is string "12", not a non-negative integer/],
      ['leafIndex', 12.5, 'inclusion', /not a non-negative integer/],
      ['leafIndex', -1, 'inclusion', /not a non-negative integer/],
      ['inclusionProof', 'abc', 'inclusion', /"inclusionProof" is string "abc", not an array/],
      ['inclusionProof', [1, 2], 'inclusion', /"inclusionProof"\[0\] is number 1, not 64 lower-case hex digits/],
      ['inclusionProof', Array(65).fill('0'.repeat(64)), 'inclusion', /has 65 hashes/],
      ['checkpoint', { origin: 'x' }, 'checkpoint', /expected a string, got object/],
      ['publicKey', 5, 'public-key', /"publicKey" is number 5, not a PEM string/],
      ['publicKey', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', 'public-key', /not an Ed25519 public key PEM/],
      ['publicKey', key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'public-key', /holds a private key/],
    ];
    for (const [field, value, name, reason] of expectations) {
      const b = clone();
      b[field] = value;
      expectFailure(b, name, reason);
    }
    const r = clone();
    r.record.time = 1740830400000;
    expectFailure(r, 'record', /"time" is number, not a string/);
  });

  it('hostile objects do not make it throw', () => {
    const b = clone();
    Object.defineProperty(b, 'leafIndex', { enumerable: true, get: () => { throw new Error('boom'); } });
    expectFailure(b, 'inclusion', /raised an error: boom/);
  });

  it('random corruption of the JSON never throws and never passes altered evidence', () => {
    const text = JSON.stringify(good);
    const rand = rng(8785);
    const alphabet = 'abcdefABCDEF0123456789+/={}[]":,\\ n';
    let passed = 0;
    for (let t = 0; t < 400; t++) {
      const chars = [...text];
      const edits = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < edits; e++) chars[Math.floor(rand() * chars.length)] = alphabet[Math.floor(rand() * alphabet.length)]!;
      const mutated = chars.join('');
      let r: BundleVerification | undefined;
      assert.doesNotThrow(() => {
        r = verifyBundle(mutated);
      });
      if (r!.ok) {
        // Only edits that leave the evidence itself unchanged may pass (for example inside PEM armour).
        passed++;
        assert.deepEqual(r!.record, good.record);
        assert.equal(r!.checkpoint!.root.toString('base64'), verifyBundle(good).checkpoint!.root.toString('base64'));
      }
    }
    assert.ok(passed < 40, `${passed} of 400 corruptions passed`);
  });
});

describe('buildBundle', () => {
  it('refuses to build a bundle that would not verify', async () => {
    const leafIndex = indexOf.get('v-1')!;
    const proof = await log.inclusionProof(leafIndex);
    assert.throws(
      () => buildBundle({ record: version, content: { versionText: 'not it' }, leafIndex, inclusionProof: proof, checkpoint, publicKey: key.publicKey }),
      /content\.version: fails because the SHA-256/,
    );
    assert.throws(
      () => buildBundle({ record: version, content: { versionText }, leafIndex: leafIndex + 1, inclusionProof: proof, checkpoint, publicKey: key.publicKey }),
      /inclusion: fails because/,
    );
    assert.throws(() => buildBundle({ record: { ...version, id: '' }, content: {}, leafIndex, inclusionProof: proof, checkpoint, publicKey: key.publicKey }), /"id" is empty/);
  });

  it('accepts a KeyObject and text as bytes', async () => {
    const leafIndex = indexOf.get('v-1')!;
    const b = buildBundle({ record: version, content: { versionText: Buffer.from(versionText) }, leafIndex, inclusionProof: await log.inclusionProof(leafIndex), checkpoint, publicKey: key.publicKey });
    assert.equal(b.publicKey, publicKeyPem);
  });
});
