// Where the log's signing key lives and what the log is called, from the environment. The key is
// kept outside the database on purpose: whoever can rewrite the database must not also be able to
// re-sign a rewritten history.

import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { keyId, loadKey, loadOrCreateKey, verifierKey } from './keys.ts';
import { isValidKeyName } from './note.ts';

export const DEFAULT_ORIGIN = 'clausewatch.local/log';

export interface EvidenceConfig {
  /** PKCS#8 PEM of the Ed25519 checkpoint key. */
  keyPath: string;
  /** The log's name: first line of every checkpoint, and the key name of its signature. */
  origin: string;
  /** RFC 3161 time-stamping authority; unset = no trusted timestamps. */
  tsaUrl?: string;
  /** PEM file of certificates trusted for the TSA's signature (optional: without it, tokens are checked but not anchored). */
  tsaCaPath?: string;
  /** Save Page Now credentials; unset = no submissions. */
  spn?: { accessKey: string; secret: string; endpoint: string };
}

export function evidenceConfig(env: NodeJS.ProcessEnv = process.env): EvidenceConfig {
  const dataDir = path.resolve(env.CLAUSEWATCH_DATA ?? 'data');
  const origin = env.CLAUSEWATCH_LOG_ORIGIN?.trim() || DEFAULT_ORIGIN;
  if (!isValidKeyName(origin)) throw new Error(`CLAUSEWATCH_LOG_ORIGIN="${origin}" is not a valid log name (no spaces, no '+')`);
  const config: EvidenceConfig = {
    keyPath: path.resolve(env.CLAUSEWATCH_LOG_KEY?.trim() || path.join(dataDir, 'keys', 'log-key.pem')),
    origin,
  };
  if (env.CLAUSEWATCH_TSA_URL?.trim()) config.tsaUrl = env.CLAUSEWATCH_TSA_URL.trim();
  if (env.CLAUSEWATCH_TSA_CA?.trim()) config.tsaCaPath = path.resolve(env.CLAUSEWATCH_TSA_CA.trim());
  const access = env.CLAUSEWATCH_SPN_ACCESS_KEY?.trim();
  const secret = env.CLAUSEWATCH_SPN_SECRET?.trim();
  if (access && secret) config.spn = { accessKey: access, secret, endpoint: env.CLAUSEWATCH_SPN_ENDPOINT?.trim() || 'https://web.archive.org' };
  return config;
}

export interface LogSigner {
  origin: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  /** 8 hex digits: the C2SP key id of (origin, key). */
  keyId: string;
  /** "origin+keyid+base64key", for publishing out of band. */
  verifierKey: string;
  keyPath: string;
  /** True when this call created the key. */
  created: boolean;
}

/** The signing key (created at first use, mode 0600) under the configured origin. */
export function loadSigner(config: EvidenceConfig = evidenceConfig()): LogSigner {
  const key = loadOrCreateKey(config.keyPath);
  return {
    origin: config.origin,
    privateKey: key.privateKey,
    publicKey: key.publicKey,
    publicKeyPem: key.publicKeyPem,
    keyId: keyId(config.origin, key.publicKey).toString('hex'),
    verifierKey: verifierKey(config.origin, key.publicKey),
    keyPath: config.keyPath,
    created: key.created,
  };
}

/** The public half of an existing key, never creating one (verification must not invent a key). */
export function loadPublicKey(config: EvidenceConfig = evidenceConfig()): { publicKey: KeyObject; keyId: string } | { missing: string } {
  if (!existsSync(config.keyPath)) return { missing: `no log key at ${config.keyPath}` };
  try {
    const k = loadKey(config.keyPath);
    return { publicKey: k.publicKey, keyId: keyId(config.origin, k.publicKey).toString('hex') };
  } catch (err) {
    return { missing: (err as Error).message };
  }
}
