import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { formatCheckpoint, parseCheckpoint, signCheckpoint, verifyCheckpoint } from '../../src/evidence/checkpoint.ts';
import { keyId, loadOrCreateKey, parseVerifierKey, rawPublicKey, verifierKey } from '../../src/evidence/keys.ts';
import { leafHash } from '../../src/evidence/merkle.ts';
import { parseNote, signNote, verifyNote } from '../../src/evidence/note.ts';

const dir = mkdtempSync(join(tmpdir(), 'cw-evidence-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// golang.org/x/mod/sumdb/note's published example: an independent implementation of signed-note.
const GO_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

function goPrivateKey() {
  // The Go signer key is base64(0x01 || 32-byte seed); PKCS#8 wraps the seed behind a fixed prefix.
  const seed = Buffer.from(GO_SKEY.split('+').slice(4).join('+'), 'base64').subarray(1);
  return createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
}

describe('keys', () => {
  it('creates a key file with mode 0600 on first use and loads the same key afterwards', () => {
    const path = join(dir, 'sub', 'log.pem');
    const first = loadOrCreateKey(path);
    assert.equal(first.created, true);
    if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.match(readFileSync(path, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    const again = loadOrCreateKey(path);
    assert.equal(again.created, false);
    assert.equal(again.publicKeyPem, first.publicKeyPem);
    assert.match(first.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
  });

  it('processes starting at once share one key, none reads a half-written file', async () => {
    const path = join(dir, 'race', 'log.pem');
    const keysModule = new URL('../../src/evidence/keys.ts', import.meta.url).href;
    const script = `import { loadOrCreateKey } from ${JSON.stringify(keysModule)}; process.stdout.write(loadOrCreateKey(${JSON.stringify(path)}).publicKeyPem);`;
    const run = () => new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], (err, stdout) => (err ? reject(err) : resolve(stdout)));
    });
    const keys = await Promise.all([run(), run(), run(), run()]);
    assert.equal(new Set(keys).size, 1);
    assert.match(keys[0]!, /^-----BEGIN PUBLIC KEY-----/);
  });

  it('refuses a key file others can read, an empty file and a non-Ed25519 key', { skip: process.platform === 'win32' }, () => {
    const open = join(dir, 'open.pem');
    loadOrCreateKey(open);
    chmodSync(open, 0o644);
    assert.throws(() => loadOrCreateKey(open), /readable by its owner only/);
    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, '', { mode: 0o600 });
    assert.throws(() => loadOrCreateKey(empty), /is empty/);
    const ec = join(dir, 'ec.pem');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(ec, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    assert.throws(() => loadOrCreateKey(ec), /holds a ec key/);
  });

  it('derives key ids and verifier keys as signed-note does', () => {
    const vk = parseVerifierKey(GO_VKEY);
    assert.equal(vk.name, 'PeterNeumann');
    assert.equal(keyId('PeterNeumann', vk.publicKey).toString('hex'), 'c74f20a3');
    assert.equal(verifierKey('PeterNeumann', goPrivateKey()), GO_VKEY);
    assert.equal(rawPublicKey(vk.publicKey).length, 32);
    assert.notEqual(keyId('Other', vk.publicKey).toString('hex'), 'c74f20a3', 'the name is part of the id');
    assert.throws(() => parseVerifierKey(GO_VKEY.replace('c74f20a3', 'c74f20a4')), /does not match/);
    assert.throws(() => parseVerifierKey('PeterNeumann'), /form name\+keyid\+base64key/);
  });

  it('parses verifier keys whose base64 contains "+"', () => {
    let found = 0;
    for (let i = 0; i < 200 && found < 5; i++) {
      const { publicKey } = generateKeyPairSync('ed25519');
      const vkey = verifierKey('log.example', publicKey);
      if (!vkey.split('+').slice(2).join('+').includes('+')) continue;
      found++;
      const parsed = parseVerifierKey(vkey);
      assert.equal(parsed.name, 'log.example');
      assert.equal(rawPublicKey(parsed.publicKey).toString('hex'), rawPublicKey(publicKey).toString('hex'));
    }
    assert.ok(found > 0, 'some key had a "+" in its base64');
  });
});

describe('signed notes', () => {
  it('reproduces the Go sumdb/note example byte for byte (Ed25519 is deterministic)', () => {
    assert.equal(signNote(GO_TEXT, goPrivateKey(), 'PeterNeumann'), GO_NOTE);
  });

  it('verifies the Go example with its verifier key and with the plain public key', () => {
    const v = verifyNote(GO_NOTE, GO_VKEY);
    assert.deepEqual(v, { ok: true, text: GO_TEXT, keyName: 'PeterNeumann', keyId: 'c74f20a3' });
    const pem = parseVerifierKey(GO_VKEY).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.equal(verifyNote(GO_NOTE, pem).ok, true);
  });

  it('ignores signatures from other keys but needs one from the trusted key', () => {
    const other = generateKeyPairSync('ed25519');
    const cosigned = GO_NOTE + signNote(GO_TEXT, other.privateKey, 'witness').split('\n\n')[1];
    assert.equal(parseNote(cosigned).ok && (parseNote(cosigned) as { ok: true; note: { signatures: unknown[] } }).note.signatures.length, 2);
    assert.equal(verifyNote(cosigned, GO_VKEY).ok, true);
    assert.equal(verifyNote(cosigned, other.publicKey).ok, true);
    const third = generateKeyPairSync('ed25519');
    const v = verifyNote(cosigned, third.publicKey);
    assert.equal(v.ok, false);
    if (!v.ok) assert.match(v.reason, /^wrong key: .*"PeterNeumann" \(key id c74f20a3\), "witness"/);
  });

  it('says why a note fails', () => {
    const cases: [unknown, RegExp][] = [
      [GO_NOTE.replace('cryptography', 'cryptographY'), /^bad signature: .*"PeterNeumann" \(key id c74f20a3\)/],
      [GO_NOTE.slice(0, -1), /^malformed note: does not end with a newline/],
      [GO_NOTE.slice(0, 50), /^malformed note/],
      [GO_TEXT, /^malformed note: no blank line/],
      [`${GO_TEXT}\n`, /^malformed note: there are no signature lines/],
      [GO_NOTE.replace('\u2014', '-'), /does not start with "— "/],
      [GO_NOTE.replace('x08go', 'x08g!'), /not canonical base64/],
      [GO_NOTE.replace('\n\n', '\r\n\n'), /control character U\+000d/],
      [42, /expected a string, got number/],
    ];
    for (const [note, reason] of cases) {
      const v = verifyNote(note, GO_VKEY);
      assert.equal(v.ok, false, String(note));
      if (!v.ok) assert.match(v.reason, reason);
    }
    const v = verifyNote(GO_NOTE, 'not a key');
    assert.equal(v.ok, false);
    if (!v.ok) assert.match(v.reason, /^bad key/);
  });
});

describe('checkpoints', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const root = leafHash(Buffer.from('x'));
  const cp = { origin: 'clausewatch.test/log', size: 1234, root, time: '2025-06-01T10:00:00.000Z' };

  it('writes the tlog-checkpoint lines with a time extension and signs them', () => {
    const note = signCheckpoint(cp, privateKey);
    const [text, sig] = note.split('\n\n') as [string, string];
    assert.equal(`${text}\n`, `clausewatch.test/log\n1234\n${root.toString('base64')}\ntime 2025-06-01T10:00:00.000Z\n`);
    assert.match(sig, /^\u2014 clausewatch\.test\/log [A-Za-z0-9+/]{91}=\n$/);
    assert.equal(Buffer.from(sig.split(' ')[2]!, 'base64').subarray(0, 4).toString('hex'), keyId(cp.origin, publicKey).toString('hex'));
    const v = verifyCheckpoint(note, publicKey);
    assert.equal(v.ok, true);
    if (v.ok) {
      assert.deepEqual({ ...v.checkpoint, root: v.checkpoint.root.toString('hex') }, { ...cp, root: root.toString('hex'), extensions: [] });
      assert.equal(v.keyName, cp.origin);
    }
    assert.equal(verifyCheckpoint(note, verifierKey(cp.origin, publicKey)).ok, true);
  });

  it('keeps other extension lines, and accepts a Date', () => {
    const note = signCheckpoint({ ...cp, time: new Date(cp.time), extensions: ['records 17'] }, privateKey, 'signer');
    const v = verifyCheckpoint(note, publicKey, { keyName: 'signer', origin: cp.origin });
    assert.equal(v.ok, true);
    if (v.ok) assert.deepEqual(v.checkpoint.extensions, ['records 17']);
  });

  it('refuses to sign what it could not parse back', () => {
    assert.throws(() => formatCheckpoint({ ...cp, origin: 'a\nb' }), /origin/);
    assert.throws(() => formatCheckpoint({ ...cp, size: -1 }), /size/);
    assert.throws(() => formatCheckpoint({ ...cp, root: root.subarray(1) }), /32 bytes/);
    assert.throws(() => formatCheckpoint({ ...cp, time: '2025-06-01' }), /time/);
    assert.throws(() => formatCheckpoint({ ...cp, extensions: ['time 2020'] }), /time line/);
    assert.throws(() => signCheckpoint(cp, privateKey, 'has space'), /key name/);
  });

  it('gives a precise reason for each way a checkpoint fails', () => {
    const note = signCheckpoint(cp, privateKey);
    const other = generateKeyPairSync('ed25519');
    const rootB64 = root.toString('base64');
    const cases: [unknown, unknown, RegExp][] = [
      [note, other.publicKey, /^wrong key: no signature on the note is from the supplied key; it is signed by "clausewatch.test\/log" \(key id [0-9a-f]{8}\); under "clausewatch.test\/log" the supplied key's id is [0-9a-f]{8}/],
      [note.replace('\n1234\n', '\n1235\n'), publicKey, /^bad signature/],
      [note.replace('\n1234\n', '\n01234\n'), publicKey, /^malformed checkpoint: the size line "01234"/],
      [note.replace(rootB64, rootB64.slice(4)), publicKey, /^malformed checkpoint: the root is 29 bytes/],
      [note.replace('time 2025-06-01T10:00:00.000Z\n', ''), publicKey, /^malformed checkpoint: the text has 3 lines/],
      [note.replace('time 2025-06-01T10:00:00.000Z', 'time yesterday'), publicKey, /^malformed checkpoint: the time "yesterday"/],
      [note.slice(0, note.length - 10), publicKey, /^malformed note/],
    ];
    for (const [n, key, reason] of cases) {
      const v = verifyCheckpoint(n, key as typeof publicKey);
      assert.equal(v.ok, false, String(reason));
      if (!v.ok) assert.match(v.reason, reason);
    }
    const wrongOrigin = verifyCheckpoint(note, publicKey, { origin: 'other/log' });
    assert.equal(wrongOrigin.ok, false);
    if (!wrongOrigin.ok) assert.match(wrongOrigin.reason, /^wrong origin/);
    const wrongName = verifyCheckpoint(note, publicKey, { keyName: 'someone-else' });
    assert.equal(wrongName.ok, false);
    if (!wrongName.ok) assert.match(wrongName.reason, /no signature is under the expected name "someone-else"/);
  });

  it('parses without verifying, for diagnostics', () => {
    const p = parseCheckpoint(signCheckpoint({ ...cp, size: 0 }, privateKey));
    assert.equal(p.ok, true);
    if (p.ok) assert.equal(p.parsed.checkpoint.size, 0);
  });
});
