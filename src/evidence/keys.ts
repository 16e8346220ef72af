// Ed25519 signing keys for checkpoints, and the C2SP signed-note key id that names them.
// The private key lives in a PKCS#8 PEM file readable by its owner only.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Signature type byte of Ed25519 in C2SP signed-note. */
export const ED25519_SIGNATURE_TYPE = 0x01;

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM of the public key, as carried in evidence bundles. */
  publicKeyPem: string;
}

export interface LoadedKey extends KeyPair {
  /** True when this call generated the key. */
  created: boolean;
}

function pairFromPrivate(privateKey: KeyObject, where: string): KeyPair {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${where} holds a ${privateKey.asymmetricKeyType ?? 'non-asymmetric'} key, and checkpoints need an Ed25519 key`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/**
 * Reads the Ed25519 private key at path, or creates it (mode 0600, parent directory 0700) when the
 * file does not exist. An existing file readable by group or others is refused, like ssh does,
 * because anyone who can read it can forge checkpoints.
 */
export function loadOrCreateKey(path: string): LoadedKey {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (existsSync(path)) return { ...loadKey(path), created: false };
  // Written whole to a private temporary file, then published with link(), which fails if the key
  // exists: two processes starting at once cannot both create a key, and neither can read a half-written one.
  const { privateKey } = generateKeyPairSync('ed25519');
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { ...loadKey(path), created: false };
  } finally {
    unlinkSync(tmp);
  }
  return { ...pairFromPrivate(privateKey, path), created: true };
}

/** Reads an existing Ed25519 private key PEM file. */
export function loadKey(path: string): KeyPair {
  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new Error(`${path} has mode ${mode.toString(8).padStart(4, '0')}; a signing key must be readable by its owner only (chmod 600)`);
    }
  }
  const pem = readFileSync(path, 'utf8');
  if (pem.trim() === '') throw new Error(`${path} is empty; delete it to have a new key created`);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new Error(`${path} is not a PEM private key: ${(err as Error).message}`);
  }
  return pairFromPrivate(key, path);
}

/** The 32 raw bytes of an Ed25519 public key. */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  const jwk = publicKey.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('the Ed25519 key has no public part');
  return Buffer.from(jwk.x, 'base64url');
}

/** Accepts an SPKI PEM public key, a PKCS#8 private key (its public half) or a KeyObject. */
export function toPublicKey(key: KeyObject | string): KeyObject {
  const obj = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  if (obj.asymmetricKeyType !== 'ed25519') throw new Error(`the key is ${obj.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519`);
  return obj;
}

/**
 * C2SP signed-note key id: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || raw public key).
 * The name is part of it, so the same key under another name has another id.
 */
export function keyId(name: string, publicKey: KeyObject | string): Buffer {
  const raw = rawPublicKey(toPublicKey(publicKey));
  return createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Buffer.from([0x0a, ED25519_SIGNATURE_TYPE]))
    .update(raw)
    .digest()
    .subarray(0, 4);
}

/** The signed-note verifier key string "<name>+<hex key id>+<base64(0x01 || raw key)>". */
export function verifierKey(name: string, publicKey: KeyObject | string): string {
  const pub = toPublicKey(publicKey);
  const raw = rawPublicKey(pub);
  return `${name}+${keyId(name, pub).toString('hex')}+${Buffer.concat([Buffer.from([ED25519_SIGNATURE_TYPE]), raw]).toString('base64')}`;
}

/** Parses a verifier key string back into name, id and public key; throws with the reason. */
export function parseVerifierKey(vkey: string): { name: string; keyId: Buffer; publicKey: KeyObject } {
  // The base64 part may itself contain '+', so split only at the first two.
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (first <= 0 || second < 0) throw new Error('a verifier key has the form name+keyid+base64key');
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  const b64 = vkey.slice(second + 1);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new Error('the verifier key id is not 8 lower-case hex digits');
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.toString('base64') !== b64 || bytes.length !== 33 || bytes[0] !== ED25519_SIGNATURE_TYPE) {
    throw new Error('the verifier key is not base64 of 0x01 followed by a 32-byte Ed25519 key');
  }
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: bytes.subarray(1).toString('base64url') },
    format: 'jwk',
  });
  const id = keyId(name, publicKey);
  if (id.toString('hex') !== idHex) throw new Error(`the verifier key id ${idHex} does not match its name and key (${id.toString('hex')})`);
  return { name, keyId: id, publicKey };
}
