// Evidence bundles: one self-contained JSON object that lets anyone check, offline, that a piece of
// content is the one the log recorded: content → record hash → leaf → inclusion proof → signed
// checkpoint → public key. verifyBundle never throws; every failure names the link that broke.

import type { KeyObject, X509Certificate } from 'node:crypto';
import { parseCheckpoint, verifyCheckpoint } from './checkpoint.ts';
import type { Checkpoint } from './checkpoint.ts';
import { keyId, parseVerifierKey, rawPublicKey, toPublicKey } from './keys.ts';
import { CONTENT_KINDS, recordLeafHash, sha256Hex, validateRecord } from './leaf.ts';
import type { ContentKind, EvidenceRecord } from './leaf.ts';
import { rootFromInclusionProof } from './merkle.ts';
import { verifyTimestampToken } from './timestamp.ts';

export const BUNDLE_FORMAT = 'clausewatch-evidence/1';
const MAX_PROOF = 64;

export interface EvidenceBundle {
  format: typeof BUNDLE_FORMAT;
  record: EvidenceRecord;
  /** Content bytes, standard base64 with padding. Texts are their UTF-8 bytes. */
  content: Partial<Record<ContentKind, string>>;
  /** Hex RFC 6962 leaf hash of the record (informative; the verifier recomputes it). */
  leafHash: string;
  leafIndex: number;
  /** Hex hashes of PATH(leafIndex, D[0:checkpoint size]), leaf side first. */
  inclusionProof: string[];
  /** The signed checkpoint note text. */
  checkpoint: string;
  /** SPKI PEM of the Ed25519 key that signed the checkpoint. */
  publicKey: string;
  /** Optional: base64 of an RFC 3161 TimeStampToken (DER) over the checkpoint's signed text. */
  timestamp?: string;
  /**
   * Optional: the records this one derives from, each proven in the same tree: the record's parent
   * first (a provision's version), then that one's parent (the version's snapshot).
   */
  sources?: SourceEntry[];
}

/** A record the bundle's record derives from, with its own leaf and inclusion proof. */
export interface SourceEntry {
  record: EvidenceRecord;
  leafHash: string;
  leafIndex: number;
  inclusionProof: string[];
}

export interface BuildBundleInput {
  record: EvidenceRecord;
  content: { snapshotBytes?: Uint8Array; versionText?: string | Uint8Array; provisionText?: string | Uint8Array };
  leafIndex: number;
  inclusionProof: readonly Uint8Array[];
  checkpoint: string;
  publicKey: string | KeyObject;
  /** DER RFC 3161 TimeStampToken over the checkpoint text, when the checkpoint was timestamped. */
  timestamp?: Uint8Array;
  /** The records this one derives from (parent first), each with its leaf index and inclusion proof. */
  sources?: readonly { record: EvidenceRecord; leafIndex: number; inclusionProof: readonly Uint8Array[] }[];
}

export interface BundleCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface BundleVerification {
  ok: boolean;
  checks: BundleCheck[];
  /** The verified record and checkpoint, present only when ok. */
  record?: EvidenceRecord;
  checkpoint?: Checkpoint;
  /** The verified source records (parent first), present only when ok. */
  sources?: EvidenceRecord[];
}

export interface VerifyBundleOptions {
  /**
   * The key the verifier trusts, obtained independently of the bundle: an SPKI PEM, a KeyObject,
   * or a signed-note verifier key "name+keyid+base64". Without it, the bundle only proves that
   * whoever holds the bundle's own key signed it.
   */
  trustedKey?: string | KeyObject;
  /** A trusted key id (8 hex digits, the C2SP signed-note key id) the signing key must have. */
  trustedKeyId?: string;
  /** The log origin the checkpoint must name. */
  origin?: string;
  /**
   * Certificates trusted for RFC 3161 timestamps: a bundle's token must chain to one of them.
   * Without them a token is checked for integrity and its authority is only named.
   */
  trustedTsaCerts?: readonly X509Certificate[];
}

function toBytes(x: string | Uint8Array): Buffer {
  return typeof x === 'string' ? Buffer.from(x, 'utf8') : Buffer.from(x);
}

/**
 * Assembles a bundle and verifies it before returning it, so the operator never hands out
 * evidence that does not check. Throws listing the failed checks.
 */
export function buildBundle(input: BuildBundleInput): EvidenceBundle {
  const content: Partial<Record<ContentKind, string>> = {};
  if (input.content.snapshotBytes !== undefined) content.snapshot = toBytes(input.content.snapshotBytes).toString('base64');
  if (input.content.versionText !== undefined) content.version = toBytes(input.content.versionText).toString('base64');
  if (input.content.provisionText !== undefined) content.provision = toBytes(input.content.provisionText).toString('base64');
  const valid = validateRecord(input.record);
  if (!valid.ok) throw new Error(`cannot build a bundle: ${valid.reason}`);
  const publicKey =
    typeof input.publicKey === 'string' ? input.publicKey : toPublicKey(input.publicKey).export({ type: 'spki', format: 'pem' }).toString();
  const bundle: EvidenceBundle = {
    format: BUNDLE_FORMAT,
    record: valid.record,
    content,
    leafHash: recordLeafHash(valid.record).toString('hex'),
    leafIndex: input.leafIndex,
    inclusionProof: input.inclusionProof.map((h) => Buffer.from(h).toString('hex')),
    checkpoint: input.checkpoint,
    publicKey,
  };
  if (input.timestamp !== undefined) bundle.timestamp = Buffer.from(input.timestamp).toString('base64');
  if (input.sources !== undefined && input.sources.length > 0) {
    bundle.sources = input.sources.map((src) => {
      const v = validateRecord(src.record);
      if (!v.ok) throw new Error(`cannot build a bundle: source ${src.record.id}: ${v.reason}`);
      return {
        record: v.record,
        leafHash: recordLeafHash(v.record).toString('hex'),
        leafIndex: src.leafIndex,
        inclusionProof: src.inclusionProof.map((h) => Buffer.from(h).toString('hex')),
      };
    });
  }
  const result = verifyBundle(bundle);
  if (!result.ok) {
    const failed = result.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
    throw new Error(`the bundle would not verify:\n${failed.join('\n')}`);
  }
  return bundle;
}

const HEX64 = /^[0-9a-f]{64}$/;
const MAX_SOURCES = 8;
/** The record field by which a child commits to a source of this kind (§5: the chain of sources). */
const COMMITS_TO: Record<string, 'snapshotSha256' | 'versionSha256'> = { snapshot: 'snapshotSha256', version: 'versionSha256' };

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object' ? 'an object' : `${typeof x} ${JSON.stringify(x)?.slice(0, 40) ?? ''}`.trim();
}

function decodeBase64(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
  const b = Buffer.from(s, 'base64');
  return b.toString('base64') === s ? b : undefined;
}

const CONTENT_HASH_FIELD: Record<ContentKind, keyof EvidenceRecord | undefined> = {
  snapshot: 'snapshotSha256',
  version: 'versionSha256',
  provision: undefined,
};

/**
 * Checks a bundle offline. Accepts the parsed object, its JSON text or its bytes. Never throws:
 * malformed input yields ok: false with a check that says which part fails and why.
 */
export function verifyBundle(input: unknown, options: VerifyBundleOptions = {}): BundleVerification {
  const checks: BundleCheck[] = [];
  const pass = (name: string, detail: string): true => {
    checks.push({ name, ok: true, detail });
    return true;
  };
  const fail = (name: string, reason: string): false => {
    checks.push({ name, ok: false, detail: `fails because ${reason}` });
    return false;
  };
  const skip = (name: string, because: string): false => {
    checks.push({ name, ok: false, detail: `not checked because ${because}` });
    return false;
  };
  // Each step is guarded: a bug or a hostile object (a throwing getter) fails that check only.
  const guard = <T>(name: string, step: () => T, fallback: T): T => {
    try {
      return step();
    } catch (err) {
      fail(name, `checking it raised an error: ${err instanceof Error ? err.message : String(err)}`);
      return fallback;
    }
  };

  const doc = guard('bundle', (): Record<string, unknown> | undefined => {
    let value = input;
    if (value instanceof Uint8Array) value = Buffer.from(value).toString('utf8');
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value) as unknown;
      } catch (err) {
        fail('bundle', `it is not valid JSON (${(err as Error).message}); a truncated or edited file looks like this`);
        return undefined;
      }
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail('bundle', `it is ${describe(value)}, not a JSON object`);
      return undefined;
    }
    const obj = value as Record<string, unknown>;
    if (obj.format !== BUNDLE_FORMAT) {
      fail('bundle', obj.format === undefined ? `it has no "format" field (expected "${BUNDLE_FORMAT}")` : `its format is ${describe(obj.format)}, not "${BUNDLE_FORMAT}"`);
      return undefined;
    }
    const known = new Set(['format', 'record', 'content', 'leafHash', 'leafIndex', 'inclusionProof', 'checkpoint', 'publicKey', 'timestamp', 'sources']);
    const unknown = Object.keys(obj).filter((k) => !known.has(k));
    if (unknown.length > 0) {
      fail('bundle', `it has fields this format does not define: ${unknown.map((k) => `"${k}"`).join(', ')}`);
      return undefined;
    }
    pass('bundle', `a ${BUNDLE_FORMAT} object`);
    return obj;
  }, undefined);
  if (doc === undefined) return { ok: false, checks };

  // record
  const record = guard('record', (): EvidenceRecord | undefined => {
    if (!('record' in doc)) return void fail('record', 'the bundle has no "record" field');
    const v = validateRecord(doc.record);
    if (!v.ok) return void fail('record', v.reason);
    pass('record', `a ${v.record.kind} record "${v.record.id}" of ${v.record.time}`);
    return v.record;
  }, undefined);

  // sources, structurally: their records are needed to know what the carried content must hash to.
  const sources = guard('sources', (): { name: string; entry: Record<string, unknown>; record?: EvidenceRecord; reason?: string }[] | undefined => {
    if (doc.sources === undefined) return [];
    const list = doc.sources;
    if (!Array.isArray(list)) return void fail('sources', `"sources" is ${describe(list)}, not an array`);
    if (list.length === 0 || list.length > MAX_SOURCES) return void fail('sources', `"sources" has ${list.length} entries; a chain has 1 to ${MAX_SOURCES}`);
    return list.map((e, i) => {
      const name = `sources[${i}]`;
      if (typeof e !== 'object' || e === null || Array.isArray(e)) return { name, entry: {}, reason: `it is ${describe(e)}, not an object` };
      const entry = e as Record<string, unknown>;
      const extra = Object.keys(entry).filter((k) => !['record', 'leafHash', 'leafIndex', 'inclusionProof'].includes(k));
      if (extra.length) return { name, entry, reason: `it has fields this format does not define: ${extra.map((k) => `"${k}"`).join(', ')}` };
      const v = validateRecord(entry.record);
      if (!v.ok) return { name, entry, reason: v.reason };
      return { name: `source.${v.record.kind}`, entry, record: v.record };
    });
  }, undefined);
  const sourceOfKind = (kind: string): EvidenceRecord | undefined => sources?.find((s) => s.record?.kind === kind)?.record;

  // content
  guard('content', () => {
    const content = doc.content;
    if (content === undefined) return fail('content', 'the bundle has no "content" field');
    if (typeof content !== 'object' || content === null || Array.isArray(content)) return fail('content', `"content" is ${describe(content)}, not an object`);
    const c = content as Record<string, unknown>;
    const unknown = Object.keys(c).filter((k) => !(CONTENT_KINDS as readonly string[]).includes(k));
    if (unknown.length > 0) return fail('content', `"content" has fields this format does not define: ${unknown.map((k) => `"${k}"`).join(', ')}`);
    if (record === undefined) return skip('content', 'the record is invalid, so there is no hash to compare the content with');
    const primary = (CONTENT_KINDS as readonly string[]).includes(record.kind) ? (record.kind as ContentKind) : undefined;
    if (primary !== undefined && c[primary] === undefined) {
      fail(`content.${primary}`, `the bundle carries no ${primary} content, so nothing shows what this ${primary} record's hash stands for`);
    }
    const present = CONTENT_KINDS.filter((k) => c[k] !== undefined);
    if (primary === undefined && present.length === 0) pass('content', `a ${record.kind} record carries no content`);
    for (const kind of present) {
      const name = `content.${kind}`;
      const raw = c[kind];
      if (typeof raw !== 'string') {
        fail(name, `it is ${describe(raw)}, not a base64 string`);
        continue;
      }
      const bytes = decodeBase64(raw);
      if (bytes === undefined) {
        fail(name, 'it is not canonical base64 (standard alphabet, with padding); edited or truncated bytes look like this');
        continue;
      }
      // Content of a source record (a provision bundle's version text) is committed by that record.
      const source = kind === record.kind ? undefined : sourceOfKind(kind);
      const field = kind === record.kind || source ? 'sha256' : CONTENT_HASH_FIELD[kind];
      const holder = source ?? record;
      const expected = field === undefined ? undefined : holder[field];
      if (expected === undefined) {
        fail(name, `the ${record.kind} record commits to no hash for ${kind} content${field ? ` (it has no "${field}")` : ''}, so this content is unproven`);
        continue;
      }
      const got = sha256Hex(bytes);
      if (got !== expected) {
        fail(name, `the SHA-256 of the ${bytes.length} ${kind} bytes is ${got}, and the ${source ? `source ${source.kind} record's` : "record's"} "${field}" is ${expected}: the content is not the recorded one`);
        continue;
      }
      pass(name, `${bytes.length} bytes with SHA-256 ${got}, as the ${source ? `source ${source.kind} record's` : "record's"} "${field}" says`);
    }
    return true;
  }, false);

  // leaf
  const leaf = guard('leaf', (): Buffer | undefined => {
    if (record === undefined) return void skip('leaf', 'the record is invalid, so no leaf can be computed');
    const computed = recordLeafHash(record);
    const stated = doc.leafHash;
    if (stated === undefined) return void fail('leaf', 'the bundle has no "leafHash" field');
    if (typeof stated !== 'string' || !HEX64.test(stated)) return void fail('leaf', `"leafHash" is ${describe(stated)}, not 64 lower-case hex digits`);
    if (stated !== computed.toString('hex')) {
      return void fail('leaf', `the record serialises to a leaf with hash ${computed.toString('hex')}, and the bundle states ${stated}: the record or the leaf hash was edited`);
    }
    pass('leaf', `the record's canonical leaf hashes to ${stated}`);
    return computed;
  }, undefined);

  // public key
  const publicKey = guard('public-key', (): KeyObject | undefined => {
    const pem = doc.publicKey;
    if (pem === undefined) return void fail('public-key', 'the bundle has no "publicKey" field');
    if (typeof pem !== 'string') return void fail('public-key', `"publicKey" is ${describe(pem)}, not a PEM string`);
    // createPublicKey would quietly derive a public key from a private PEM; a bundle that leaks
    // the signing key must fail loudly instead.
    if (/PRIVATE KEY-----/.test(pem)) return void fail('public-key', '"publicKey" holds a private key; a bundle must carry only the public key');
    if (!pem.trimStart().startsWith('-----BEGIN PUBLIC KEY-----')) return void fail('public-key', '"publicKey" is not an SPKI PEM ("-----BEGIN PUBLIC KEY-----")');
    let key: KeyObject;
    try {
      key = toPublicKey(pem);
    } catch (err) {
      return void fail('public-key', `"publicKey" is not an Ed25519 public key PEM (${(err as Error).message})`);
    }
    pass('public-key', `an Ed25519 public key ${rawPublicKey(key).toString('base64')}`);
    return key;
  }, undefined);

  // checkpoint structure
  const parsed = guard('checkpoint', () => {
    if (doc.checkpoint === undefined) return void fail('checkpoint', 'the bundle has no "checkpoint" field');
    const p = parseCheckpoint(doc.checkpoint);
    if (!p.ok) return void fail('checkpoint', p.reason);
    const cp = p.parsed.checkpoint;
    pass('checkpoint', `log "${cp.origin}" at size ${cp.size}, root ${cp.root.toString('base64')}, time ${cp.time}`);
    return p.parsed;
  }, undefined);

  // signature
  const signer = guard('signature', () => {
    if (parsed === undefined || publicKey === undefined) {
      return void skip('signature', parsed === undefined ? 'the checkpoint is malformed' : 'the public key is unusable');
    }
    const v = verifyCheckpoint(doc.checkpoint, publicKey, options.origin === undefined ? {} : { origin: options.origin });
    if (!v.ok) return void fail('signature', v.reason);
    pass('signature', `the checkpoint is signed by "${v.keyName}" with key id ${v.keyId}, the bundle's key`);
    return { name: v.keyName, id: v.keyId };
  }, undefined);

  // inclusion
  guard('inclusion', () => {
    const index = doc.leafIndex;
    const proof = doc.inclusionProof;
    if (index === undefined) return fail('inclusion', 'the bundle has no "leafIndex" field');
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) return fail('inclusion', `"leafIndex" is ${describe(index)}, not a non-negative integer`);
    if (proof === undefined) return fail('inclusion', 'the bundle has no "inclusionProof" field');
    if (!Array.isArray(proof)) return fail('inclusion', `"inclusionProof" is ${describe(proof)}, not an array`);
    if (proof.length > MAX_PROOF) return fail('inclusion', `"inclusionProof" has ${proof.length} hashes; no tree of at most 2^${MAX_PROOF} leaves needs more than ${MAX_PROOF}`);
    const hashes: Buffer[] = [];
    for (const [i, h] of proof.entries()) {
      if (typeof h !== 'string' || !HEX64.test(h)) return fail('inclusion', `"inclusionProof"[${i}] is ${describe(h)}, not 64 lower-case hex digits`);
      hashes.push(Buffer.from(h, 'hex'));
    }
    if (leaf === undefined) return skip('inclusion', 'there is no valid leaf to prove');
    if (parsed === undefined) return skip('inclusion', 'the checkpoint is malformed, so there is no root to reach');
    const cp = parsed.checkpoint;
    const got = rootFromInclusionProof(leaf, index, cp.size, hashes);
    if (!got.ok) return fail('inclusion', `${got.reason}, so it is not a proof for this checkpoint's tree`);
    if (!got.root.equals(cp.root)) {
      return fail(
        'inclusion',
        `the proof leads from leaf ${index} to root ${got.root.toString('base64')}, and the checkpoint's root at size ${cp.size} is ${cp.root.toString('base64')}: the proof belongs to another tree, or the record, index or proof was altered`,
      );
    }
    return pass('inclusion', `leaf ${index} is in the tree of size ${cp.size} whose root the checkpoint names`);
  }, false);

  // sources: each is the parent of the one before it (the record first), committed to by hash, and
  // proven in the same tree, so the chain snapshot → version → provision holds offline.
  if (sources !== undefined && sources.length > 0) {
    let child: EvidenceRecord | undefined = record;
    for (const s of sources) {
      const current: EvidenceRecord | undefined = child;
      child = s.record;
      guard(s.name, () => {
        if (s.reason !== undefined || s.record === undefined) return fail(s.name, s.reason ?? 'its record is invalid');
        const src = s.record;
        if (current === undefined) return skip(s.name, 'the record it would derive from is invalid');
        const field = COMMITS_TO[src.kind];
        if (field === undefined) return fail(s.name, `a ${src.kind} record cannot be a source: only snapshots and versions are committed to by hash`);
        if (current.parentId !== src.id) {
          return fail(s.name, `the ${current.kind} record "${current.id}" names ${current.parentId === undefined ? 'no parent' : `"${current.parentId}" as its parent`}, not this ${src.kind} "${src.id}"`);
        }
        if (current[field] !== src.sha256) {
          return fail(s.name, `the ${current.kind} record's "${field}" is ${current[field] ?? 'absent'}, and this ${src.kind}'s sha256 is ${src.sha256}: it is not the ${src.kind} the ${current.kind} was made from`);
        }
        const computed = recordLeafHash(src).toString('hex');
        const stated = s.entry.leafHash;
        if (typeof stated !== 'string' || !HEX64.test(stated)) return fail(s.name, `its "leafHash" is ${describe(stated)}, not 64 lower-case hex digits`);
        if (stated !== computed) return fail(s.name, `its record serialises to a leaf with hash ${computed}, and the bundle states ${stated}: the record or the leaf hash was edited`);
        const index = s.entry.leafIndex;
        if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) return fail(s.name, `its "leafIndex" is ${describe(index)}, not a non-negative integer`);
        const proof = s.entry.inclusionProof;
        if (!Array.isArray(proof) || proof.length > MAX_PROOF) return fail(s.name, `its "inclusionProof" is ${Array.isArray(proof) ? `${proof.length} hashes long` : describe(proof)}, not an array of at most ${MAX_PROOF} hashes`);
        const hashes: Buffer[] = [];
        for (const [i, h] of proof.entries()) {
          if (typeof h !== 'string' || !HEX64.test(h)) return fail(s.name, `its "inclusionProof"[${i}] is ${describe(h)}, not 64 lower-case hex digits`);
          hashes.push(Buffer.from(h, 'hex'));
        }
        if (parsed === undefined) return skip(s.name, 'the checkpoint is malformed, so there is no root to reach');
        const cp = parsed.checkpoint;
        const got = rootFromInclusionProof(Buffer.from(computed, 'hex'), index, cp.size, hashes);
        if (!got.ok) return fail(s.name, `its inclusion proof does not fit: ${got.reason}, so it is not a proof for this checkpoint's tree`);
        if (!got.root.equals(cp.root)) {
          return fail(s.name, `its proof leads from leaf ${index} to root ${got.root.toString('base64')}, and the checkpoint's root at size ${cp.size} is ${cp.root.toString('base64')}: the proof belongs to another tree, or the record, index or proof was altered`);
        }
        return pass(s.name, `${src.kind} "${src.id}" of ${src.time} (SHA-256 ${src.sha256}) is leaf ${index} of the same tree, and the ${current.kind} names it as its parent and commits to its hash`);
      }, false);
    }
  }

  // trusted time (optional member)
  if (doc.timestamp !== undefined) {
    guard('timestamp', () => {
      const raw = doc.timestamp;
      if (typeof raw !== 'string') return fail('timestamp', `"timestamp" is ${describe(raw)}, not a base64 string`);
      const token = decodeBase64(raw);
      if (token === undefined || token.length === 0) return fail('timestamp', '"timestamp" is not canonical base64; edited or truncated bytes look like this');
      if (parsed === undefined) return skip('timestamp', 'the checkpoint is malformed, so there is no text the timestamp could cover');
      const v = verifyTimestampToken(token, Buffer.from(parsed.text, 'utf8'), options.trustedTsaCerts ? { trusted: options.trustedTsaCerts } : {});
      if (!v.ok) return fail('timestamp', v.reason);
      const anchor = v.anchor !== undefined ? `, a certificate chaining to the trusted ${v.anchor}` : ' (not checked against a trusted authority: give its certificate to anchor it)';
      return pass('timestamp', `the checkpoint existed at ${v.genTime.toISOString()}, per an RFC 3161 token signed by ${v.tsa}${anchor}`);
    }, false);
  }

  // trusted key
  if (options.trustedKey !== undefined || options.trustedKeyId !== undefined) {
    guard('trusted-key', () => {
      if (publicKey === undefined) return skip('trusted-key', 'the bundle has no usable public key');
      if (options.trustedKey !== undefined) {
        let trusted: KeyObject;
        let trustedName: string | undefined;
        try {
          if (typeof options.trustedKey === 'string' && !options.trustedKey.includes('-----BEGIN')) {
            const vk = parseVerifierKey(options.trustedKey.trim());
            trusted = vk.publicKey;
            trustedName = vk.name;
          } else {
            trusted = toPublicKey(options.trustedKey);
          }
        } catch (err) {
          return fail('trusted-key', `the trusted key supplied by the caller is unusable (${(err as Error).message})`);
        }
        if (!rawPublicKey(trusted).equals(rawPublicKey(publicKey))) {
          return fail('trusted-key', `the bundle's key ${rawPublicKey(publicKey).toString('base64')} is not the trusted key ${rawPublicKey(trusted).toString('base64')}`);
        }
        if (trustedName !== undefined && signer !== undefined && signer.name !== trustedName) {
          return fail('trusted-key', `the checkpoint is signed under the name "${signer.name}", and the trusted verifier key is named "${trustedName}"`);
        }
      }
      if (options.trustedKeyId !== undefined) {
        const want = options.trustedKeyId.toLowerCase();
        if (!/^[0-9a-f]{8}$/.test(want)) return fail('trusted-key', `the trusted key id "${options.trustedKeyId}" supplied by the caller is not 8 hex digits`);
        if (signer === undefined) return skip('trusted-key', 'no valid signature names the key id');
        if (want !== signer.id) {
          return fail('trusted-key', `the checkpoint's key id is ${signer.id} (key "${signer.name}"), and the trusted key id is ${want}`);
        }
        if (!keyId(signer.name, publicKey).equals(Buffer.from(want, 'hex'))) return fail('trusted-key', 'the key id does not derive from the bundle key');
      }
      return pass('trusted-key', 'the bundle is signed by the key the caller trusts');
    }, false);
  }

  const ok = checks.length > 0 && checks.every((c) => c.ok);
  if (!ok || record === undefined || parsed === undefined) return { ok: false, checks };
  const verified: BundleVerification = { ok, checks, record, checkpoint: parsed.checkpoint };
  if (sources && sources.length > 0) verified.sources = sources.map((s) => s.record!);
  return verified;
}
