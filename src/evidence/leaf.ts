// The leaf of the evidence log: one record (a snapshot, a version, a provision, …) serialised as
// RFC 8785 canonical JSON. Records are validated strictly so that exactly one byte string stands
// for each record: unknown fields, non-canonical times and upper-case hex are refused, not fixed.

import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { leafHash } from './merkle.ts';

/** Leaf format version, written into every leaf as "v". */
export const LEAF_VERSION = 1;

/** Kinds whose content a bundle can carry (see bundle.ts); other kinds are allowed in the log. */
export const CONTENT_KINDS = ['snapshot', 'version', 'provision'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export interface EvidenceRecord {
  /** snapshot | version | provision, or another lower-case token ([a-z][a-z0-9-]{0,31}). */
  kind: string;
  /** The record's id in the operator's database. */
  id: string;
  /** Lower-case hex SHA-256 of the record's content bytes (texts: their UTF-8 bytes, unnormalised). */
  sha256: string;
  /** When it was recorded: exactly Date.prototype.toISOString() form, YYYY-MM-DDTHH:MM:SS.sssZ. */
  time: string;
  /** Platform slug. */
  platform?: string;
  /** Document type, e.g. terms-of-service. */
  document?: string;
  /** The URL the content came from. */
  url?: string;
  /** Media type of a snapshot's bytes, e.g. text/html. */
  mediaType?: string;
  /** For a version: SHA-256 of the snapshot it was extracted from. */
  snapshotSha256?: string;
  /** For a provision: SHA-256 of the version text it is part of. */
  versionSha256?: string;
  /** The id of the record this one derives from (a version's snapshot, a provision's version). */
  parentId?: string;
}

type FieldRule = { required: boolean; check: (v: string) => string | undefined };

const HEX64 = /^[0-9a-f]{64}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

function text(max: number): (v: string) => string | undefined {
  return (v) => {
    if (v.length === 0) return 'is empty';
    if (v.length > max) return `is longer than ${max} characters`;
    if (CONTROL.test(v)) return 'contains a control character';
    return undefined;
  };
}

function hex64(v: string): string | undefined {
  return HEX64.test(v) ? undefined : 'is not 64 lower-case hex digits';
}

function isoTime(v: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v)) return 'is not of the form YYYY-MM-DDTHH:MM:SS.sssZ';
  const d = new Date(v);
  if (Number.isNaN(d.getTime()) || d.toISOString() !== v) return 'is not a real instant';
  return undefined;
}

const FIELDS: Record<keyof EvidenceRecord, FieldRule> = {
  kind: { required: true, check: (v) => (/^[a-z][a-z0-9-]{0,31}$/.test(v) ? undefined : 'is not a lower-case token [a-z][a-z0-9-]{0,31}') },
  id: { required: true, check: text(200) },
  sha256: { required: true, check: hex64 },
  time: { required: true, check: isoTime },
  platform: { required: false, check: text(200) },
  document: { required: false, check: text(200) },
  url: { required: false, check: text(4096) },
  mediaType: { required: false, check: text(200) },
  snapshotSha256: { required: false, check: hex64 },
  versionSha256: { required: false, check: hex64 },
  parentId: { required: false, check: text(200) },
};

export type RecordValidation = { ok: true; record: EvidenceRecord } | { ok: false; reason: string };

/** Checks that x is a well-formed record; returns a copy holding only its defined fields. */
export function validateRecord(x: unknown): RecordValidation {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return { ok: false, reason: 'the record is not a JSON object' };
  const obj = x as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!Object.hasOwn(FIELDS, key) && obj[key] !== undefined) {
      return { ok: false, reason: `the record has an unknown field "${key}" (leaf format ${LEAF_VERSION} defines no such field)` };
    }
  }
  const out: Record<string, string> = {};
  for (const [key, rule] of Object.entries(FIELDS)) {
    const v = obj[key];
    if (v === undefined) {
      if (rule.required) return { ok: false, reason: `the record has no "${key}"` };
      continue;
    }
    if (typeof v !== 'string') return { ok: false, reason: `record field "${key}" is ${v === null ? 'null' : typeof v}, not a string` };
    const problem = rule.check(v);
    if (problem !== undefined) return { ok: false, reason: `record field "${key}" ${problem}` };
    out[key] = v;
  }
  return { ok: true, record: out as unknown as EvidenceRecord };
}

/** The leaf bytes: UTF-8 of canonicalJson({ v: 1, ...record }). Throws if the record is invalid. */
export function leafData(record: EvidenceRecord): Buffer {
  const valid = validateRecord(record);
  if (!valid.ok) throw new TypeError(`cannot serialise record: ${valid.reason}`);
  return Buffer.from(canonicalJson({ v: LEAF_VERSION, ...valid.record }), 'utf8');
}

/** RFC 6962 leaf hash of the record's leaf bytes. */
export function recordLeafHash(record: EvidenceRecord): Buffer {
  return leafHash(leafData(record));
}

/** Lower-case hex SHA-256 of bytes, or of a text's UTF-8 bytes. */
export function sha256Hex(content: Uint8Array | string): string {
  return createHash('sha256').update(typeof content === 'string' ? Buffer.from(content, 'utf8') : content).digest('hex');
}

/** A record time from a Date, in the only form a leaf accepts. */
export function recordTime(date: Date): string {
  return date.toISOString();
}

/**
 * The record a stored leaf holds: its bytes must be exactly leafData(record), so that a leaf that
 * was edited by hand (reordered, re-spaced, another "v") is refused rather than reinterpreted.
 */
export function parseLeafData(data: Uint8Array | string): RecordValidation {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `the leaf is not JSON (${(err as Error).message})` };
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { ok: false, reason: 'the leaf is not a JSON object' };
  const { v, ...rest } = obj as Record<string, unknown>;
  if (v !== LEAF_VERSION) return { ok: false, reason: `the leaf format version is ${JSON.stringify(v)}, not ${LEAF_VERSION}` };
  const valid = validateRecord(rest);
  if (!valid.ok) return valid;
  if (leafData(valid.record).toString('utf8') !== text) return { ok: false, reason: 'the leaf is not the canonical serialisation of its record' };
  return valid;
}
