// Signed checkpoints: the log's origin, size and root as a C2SP tlog-checkpoint
// (https://c2sp.org/tlog-checkpoint), inside a signed note (note.ts), so that transparency-log
// tooling can read them and a verifier needs nothing from us but the public key:
//
//   <origin>\n<size>\n<base64 root>\ntime <YYYY-MM-DDTHH:MM:SS.sssZ>\n[<extension line>\n]…
//   \n
//   — <key name> <base64(4-byte key id || 64-byte Ed25519 signature)>\n

import type { KeyObject } from 'node:crypto';
import { HASH_SIZE } from './merkle.ts';
import { isCanonicalBase64, parseNote, signNote, verifyNote } from './note.ts';
import type { NoteSignature } from './note.ts';

export interface Checkpoint {
  /** Unique name of the log, e.g. "clausewatch.example.org/log". */
  origin: string;
  size: number;
  root: Buffer;
  /** When the checkpoint was made: YYYY-MM-DDTHH:MM:SS.sssZ. */
  time: string;
  /** Extension lines other than the time line, in order. */
  extensions: string[];
}

export interface ParsedCheckpoint {
  checkpoint: Checkpoint;
  /** The signed text. */
  text: string;
  signatures: NoteSignature[];
}

export type CheckpointParse = { ok: true; parsed: ParsedCheckpoint } | { ok: false; reason: string };
export type CheckpointVerification =
  | { ok: true; checkpoint: Checkpoint; keyName: string; keyId: string }
  | { ok: false; reason: string };

export interface CheckpointInput {
  origin: string;
  size: number;
  root: Uint8Array;
  time: string | Date;
  extensions?: string[];
}

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

function isTime(t: string): boolean {
  return TIME.test(t) && !Number.isNaN(Date.parse(t)) && new Date(t).toISOString() === t;
}

/** The checkpoint body (the signed text). Throws on fields that could not be parsed back. */
export function formatCheckpoint(cp: CheckpointInput): string {
  const time = typeof cp.time === 'string' ? cp.time : cp.time.toISOString();
  if (cp.origin.length === 0 || CONTROL.test(cp.origin)) throw new Error('the origin must be a non-empty line');
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw new Error(`the size must be a non-negative safe integer, got ${String(cp.size)}`);
  if (!(cp.root instanceof Uint8Array) || cp.root.length !== HASH_SIZE) throw new Error(`the root must be ${HASH_SIZE} bytes`);
  if (!isTime(time)) throw new Error(`the time must be YYYY-MM-DDTHH:MM:SS.sssZ, got ${time}`);
  for (const e of cp.extensions ?? []) {
    if (e.length === 0 || CONTROL.test(e)) throw new Error('an extension line must be a non-empty line');
    if (e.startsWith('time ')) throw new Error('the time line is written from the time field, not from extensions');
  }
  const lines = [cp.origin, String(cp.size), Buffer.from(cp.root).toString('base64'), `time ${time}`, ...(cp.extensions ?? [])];
  return lines.map((l) => `${l}\n`).join('');
}

/** Signs a checkpoint. The key name defaults to the origin; it is part of the key id. */
export function signCheckpoint(cp: CheckpointInput, privateKey: KeyObject, keyName: string = cp.origin): string {
  return signNote(formatCheckpoint(cp), privateKey, keyName);
}

function parseBody(text: string): { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string } {
  const bad = (reason: string) => ({ ok: false as const, reason: `malformed checkpoint: ${reason}` });
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 4) return bad(`the text has ${lines.length} lines; it needs origin, size, root and a time line`);
  const [origin, sizeLine, rootLine, ...extLines] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) return bad('the origin line is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) return bad(`the size line "${sizeLine.slice(0, 40)}" is not a decimal number without leading zeros`);
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) return bad(`the size ${sizeLine} exceeds 2^53−1`);
  if (!isCanonicalBase64(rootLine)) return bad('the root line is not canonical base64');
  const root = Buffer.from(rootLine, 'base64');
  if (root.length !== HASH_SIZE) return bad(`the root is ${root.length} bytes, not ${HASH_SIZE}`);
  let time: string | undefined;
  const extensions: string[] = [];
  for (const e of extLines) {
    if (e.length === 0) return bad('an extension line is empty');
    if (!e.startsWith('time ')) {
      extensions.push(e);
      continue;
    }
    if (time !== undefined) return bad('there are two time lines');
    time = e.slice(5);
    if (!isTime(time)) return bad(`the time "${time.slice(0, 40)}" is not YYYY-MM-DDTHH:MM:SS.sssZ`);
  }
  if (time === undefined) return bad('there is no "time …" line');
  return { ok: true, checkpoint: { origin, size, root, time, extensions } };
}

/** Parses a checkpoint note without checking any signature: structure only. */
export function parseCheckpoint(note: unknown): CheckpointParse {
  const n = parseNote(note);
  if (!n.ok) return n;
  const body = parseBody(n.note.text);
  if (!body.ok) return body;
  return { ok: true, parsed: { checkpoint: body.checkpoint, text: n.note.text, signatures: n.note.signatures } };
}

/**
 * Verifies a checkpoint note against one trusted key (see verifyNote for the key forms) and, when
 * options.origin is given, that it is a checkpoint of that log.
 */
export function verifyCheckpoint(
  note: unknown,
  key: KeyObject | string,
  options: { keyName?: string; origin?: string } = {},
): CheckpointVerification {
  // Structure first, so a malformed checkpoint is reported as such and not as a signature problem.
  const parsed = parseCheckpoint(note);
  if (!parsed.ok) return parsed;
  const v = verifyNote(note, key, options.keyName === undefined ? {} : { keyName: options.keyName });
  if (!v.ok) return v;
  const { checkpoint } = parsed.parsed;
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    return { ok: false, reason: `wrong origin: the checkpoint is for log "${checkpoint.origin}", expected "${options.origin}"` };
  }
  return { ok: true, checkpoint, keyName: v.keyName, keyId: v.keyId };
}
