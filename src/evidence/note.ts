// C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 signatures: a UTF-8 text ending in
// a newline, a blank line, then one line per signature, "— <key name> <base64(key id || sig)>".
// Checkpoints (checkpoint.ts) are one kind of note text.

import { sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { keyId, parseVerifierKey, toPublicKey } from './keys.ts';

export interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
}

export interface ParsedNote {
  /** The signed text: every character before the blank line, including its last newline. */
  text: string;
  signatures: NoteSignature[];
}

export type NoteParse = { ok: true; note: ParsedNote } | { ok: false; reason: string };
export type NoteVerification = { ok: true; text: string; keyName: string; keyId: string } | { ok: false; reason: string };

const SIG_PREFIX = '\u2014 ';
const MAX_NOTE = 1 << 20;
const MAX_SIGNATURES = 100;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A key name as signed-note allows: non-empty, no whitespace, no '+', no control characters. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u0000-\u001f\u007f]/u.test(name);
}

export function isCanonicalBase64(s: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 && Buffer.from(s, 'base64').toString('base64') === s;
}

/** Signs text (which must end with a newline) and returns the note with one signature line. */
export function signNote(text: string, privateKey: KeyObject, keyName: string): string {
  if (!isValidKeyName(keyName)) throw new Error(`"${keyName}" is not a valid key name (non-empty, no spaces, no '+')`);
  if (!text.endsWith('\n') || text.includes('\n\n') || text.startsWith('\n')) throw new Error('a note text is non-empty lines, each ending with a newline');
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') throw new Error('notes are signed with an Ed25519 private key');
  const sig = sign(null, Buffer.from(text, 'utf8'), privateKey);
  return `${text}\n${SIG_PREFIX}${keyName} ${Buffer.concat([keyId(keyName, privateKey), sig]).toString('base64')}\n`;
}

/** Splits a note into text and signature lines, checking structure only. */
export function parseNote(note: unknown): NoteParse {
  const bad = (reason: string): NoteParse => ({ ok: false, reason: `malformed note: ${reason}` });
  if (typeof note !== 'string') return bad(`expected a string, got ${note === null ? 'null' : typeof note}`);
  if (note.length > MAX_NOTE) return bad(`longer than ${MAX_NOTE} characters`);
  if (LONE_SURROGATE.test(note)) return bad('not valid Unicode text');
  const control = /[\u0000-\u0009\u000b-\u001f\u007f]/.exec(note);
  if (control) return bad(`contains control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')} (only newline is allowed)`);
  if (!note.endsWith('\n')) return bad('does not end with a newline (truncated?)');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return bad('no blank line separates the text from the signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2, -1);
  if (block === '') return bad('there are no signature lines');
  const lines = block.split('\n');
  if (lines.length > MAX_SIGNATURES) return bad(`more than ${MAX_SIGNATURES} signatures`);
  const signatures: NoteSignature[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.startsWith(SIG_PREFIX)) return bad(`signature line ${i + 1} does not start with "— " (em dash U+2014, space)`);
    const rest = line.slice(SIG_PREFIX.length);
    const space = rest.indexOf(' ');
    if (space < 0) return bad(`signature line ${i + 1} has no space between key name and signature`);
    const name = rest.slice(0, space);
    const b64 = rest.slice(space + 1);
    if (!isValidKeyName(name)) return bad(`signature line ${i + 1} has an invalid key name "${name}"`);
    if (!isCanonicalBase64(b64)) return bad(`signature line ${i + 1} is not canonical base64`);
    const bytes = Buffer.from(b64, 'base64');
    if (bytes.length < 5) return bad(`signature line ${i + 1} is too short to hold a key id and a signature`);
    signatures.push({ name, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) });
  }
  return { ok: true, note: { text, signatures } };
}

/**
 * Verifies a note against one trusted key: an Ed25519 public key (PEM or KeyObject; the key name
 * is taken from the signature line, or from options.keyName when given) or a signed-note verifier
 * key "name+id+base64key" (name enforced). Signatures by other keys, such as cosigners', are ignored.
 */
export function verifyNote(note: unknown, key: KeyObject | string, options: { keyName?: string } = {}): NoteVerification {
  const parsed = parseNote(note);
  if (!parsed.ok) return parsed;
  const { text, signatures } = parsed.note;
  let publicKey: KeyObject;
  let name = options.keyName;
  try {
    if (typeof key === 'string' && !key.includes('-----BEGIN')) {
      const vk = parseVerifierKey(key.trim());
      if (name !== undefined && name !== vk.name) return { ok: false, reason: `bad key: keyName "${name}" differs from the verifier key's name "${vk.name}"` };
      publicKey = vk.publicKey;
      name = vk.name;
    } else {
      publicKey = toPublicKey(key);
    }
  } catch (err) {
    return { ok: false, reason: `bad key: the supplied public key cannot be used: ${(err as Error).message}` };
  }
  const mine = signatures.filter((s) => (name === undefined || s.name === name) && s.keyId.equals(keyId(s.name, publicKey)));
  const first = mine[0];
  if (first === undefined) {
    const seen = signatures.map((s) => `"${s.name}" (key id ${s.keyId.toString('hex')})`).join(', ');
    const ours = signatures
      .filter((s) => name === undefined || s.name === name)
      .map((s) => `under "${s.name}" the supplied key's id is ${keyId(s.name, publicKey).toString('hex')}`);
    const named = name !== undefined && ours.length === 0 ? `; no signature is under the expected name "${name}"` : ours.length > 0 ? `; ${ours.join(', ')}` : '';
    return { ok: false, reason: `wrong key: no signature on the note is from the supplied key; it is signed by ${seen}${named}` };
  }
  if (first.signature.length !== 64) {
    return { ok: false, reason: `malformed note: the signature by "${first.name}" is ${first.signature.length} bytes, and an Ed25519 signature is 64` };
  }
  if (!verify(null, Buffer.from(text, 'utf8'), publicKey, first.signature)) {
    return {
      ok: false,
      reason: `bad signature: the signature by "${first.name}" (key id ${first.keyId.toString('hex')}) does not verify over the note text, so the text or the signature was altered`,
    };
  }
  return { ok: true, text, keyName: first.name, keyId: first.keyId.toString('hex') };
}
