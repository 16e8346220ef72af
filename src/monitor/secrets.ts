// Random tokens and their stored form. Sessions, API tokens and reset links are stored only as SHA-256, so a
// database leak reveals none of them; feed and unsubscribe tokens are stored as they are, because their
// owner must be able to see the link again (docs/monitoring.md).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';

export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane) keeps a sign-in well under 100 ms on a shared core.
const ARGON = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 200;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so sign-in takes as long either way. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword('not a password of anyone'));
}
