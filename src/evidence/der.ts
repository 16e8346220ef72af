// A small DER (X.690) reader and writer: enough ASN.1 for RFC 3161 timestamp requests and tokens
// (CMS SignedData) and for X.509 certificate fields. Reading is strict (definite lengths, minimal
// length encoding, no trailing bytes) and bounded, because tokens come from the network or a bundle.

export interface Der {
  /** The identifier octet: class (2 bits), constructed (1 bit), tag number (5 bits, < 31 only). */
  tag: number;
  /** The value bytes. */
  value: Buffer;
  /** The whole TLV, as encoded. */
  raw: Buffer;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8: 0x0c,
  PRINTABLE: 0x13,
  IA5: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

export class DerError extends Error {}

const MAX_DEPTH = 64;

/** Reads one TLV at offset; returns it and the offset after it. */
export function readTlv(buf: Buffer, offset = 0): { node: Der; next: number } {
  if (offset + 2 > buf.length) throw new DerError('truncated: no room for a tag and a length');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used here');
  let len = buf[offset + 1]!;
  let at = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new DerError('indefinite length is not DER');
    if (n > 4) throw new DerError('length too large');
    if (at + n > buf.length) throw new DerError('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + i]!;
    if (buf[at] === 0 || len < 0x80) throw new DerError('non-minimal length encoding');
    at += n;
  }
  if (at + len > buf.length) throw new DerError(`truncated: a value of ${len} bytes runs past the end`);
  return { node: { tag, value: buf.subarray(at, at + len), raw: buf.subarray(offset, at + len) }, next: at + len };
}

/** Parses exactly one TLV filling buf. */
export function parseDer(buf: Uint8Array): Der {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const { node, next } = readTlv(b, 0);
  if (next !== b.length) throw new DerError(`${b.length - next} bytes after the end of the structure`);
  return node;
}

/** The TLVs inside a constructed value. */
export function children(node: Der, depth = 0): Der[] {
  if (depth > MAX_DEPTH) throw new DerError('nested too deeply');
  if ((node.tag & 0x20) === 0) throw new DerError(`tag 0x${node.tag.toString(16)} is not constructed`);
  const out: Der[] = [];
  let at = 0;
  while (at < node.value.length) {
    const { node: child, next } = readTlv(node.value, at);
    out.push(child);
    at = next;
  }
  return out;
}

export function expect(node: Der | undefined, tag: number, what: string): Der {
  if (!node) throw new DerError(`${what} is missing`);
  if (node.tag !== tag) throw new DerError(`${what} has tag 0x${node.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  return node;
}

export function readOid(node: Der): string {
  const v = node.value;
  if (v.length === 0) throw new DerError('empty OID');
  const parts: number[] = [];
  let acc = 0;
  for (const byte of v) {
    acc = acc * 128 + (byte & 0x7f);
    if (acc > Number.MAX_SAFE_INTEGER) throw new DerError('OID arc too large');
    if ((byte & 0x80) === 0) {
      parts.push(acc);
      acc = 0;
    }
  }
  if (v[v.length - 1]! & 0x80) throw new DerError('truncated OID');
  const first = parts.shift()!;
  const a = first < 40 ? 0 : first < 80 ? 1 : 2;
  return [a, first - a * 40, ...parts].join('.');
}

export function readInteger(node: Der): bigint {
  const v = node.value;
  if (v.length === 0) throw new DerError('empty INTEGER');
  let n = 0n;
  for (const byte of v) n = (n << 8n) | BigInt(byte);
  if (v[0]! & 0x80) n -= 1n << BigInt(v.length * 8);
  return n;
}

/** GeneralizedTime as DER requires it: YYYYMMDDHHMMSS[.fff]Z. */
export function readGeneralizedTime(node: Der): Date {
  const s = node.value.toString('latin1');
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?Z$/.exec(s);
  if (!m) throw new DerError(`"${s.slice(0, 30)}" is not a DER GeneralizedTime`);
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms));
  if (Number.isNaN(d.getTime())) throw new DerError(`"${s}" is not a real time`);
  return d;
}

// Writing.

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, value: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

export function seq(...parts: Uint8Array[]): Buffer {
  return tlv(TAG.SEQUENCE, Buffer.concat(parts));
}

/** A DER SET OF: members sorted by their encodings. */
export function setOf(...parts: Uint8Array[]): Buffer {
  return tlv(TAG.SET, Buffer.concat([...parts].map((p) => Buffer.from(p)).sort(Buffer.compare)));
}

export function integer(n: bigint | number | Uint8Array): Buffer {
  let bytes: Buffer;
  if (n instanceof Uint8Array) {
    // Unsigned magnitude (a serial number, a nonce): strip leading zeros, keep it positive.
    let b = Buffer.from(n);
    while (b.length > 1 && b[0] === 0) b = b.subarray(1);
    bytes = b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
  } else {
    let v = BigInt(n);
    const out: number[] = [];
    for (;;) {
      out.unshift(Number(v & 0xffn));
      const rest = v >> 8n;
      const sign = out[0]! & 0x80;
      if ((rest === 0n && !sign) || (rest === -1n && sign)) break;
      v = rest;
    }
    bytes = Buffer.from(out);
  }
  return tlv(TAG.INTEGER, bytes);
}

export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new Error(`bad OID ${dotted}`);
  const out: number[] = [];
  const enc = (a: number) => {
    const stack = [a & 0x7f];
    for (let x = Math.floor(a / 128); x > 0; x = Math.floor(x / 128)) stack.unshift((x & 0x7f) | 0x80);
    out.push(...stack);
  };
  enc(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) enc(a);
  return tlv(TAG.OID, Buffer.from(out));
}

export const nul = (): Buffer => Buffer.from([TAG.NULL, 0]);
export const bool = (b: boolean): Buffer => tlv(TAG.BOOLEAN, Buffer.from([b ? 0xff : 0]));
export const octets = (b: Uint8Array): Buffer => tlv(TAG.OCTET_STRING, b);
export const bitString = (b: Uint8Array): Buffer => tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([0]), b]));
export const utf8 = (s: string): Buffer => tlv(TAG.UTF8, Buffer.from(s, 'utf8'));

/** Context-specific [n], constructed (EXPLICIT, or IMPLICIT of a constructed type). */
export function ctx(n: number, value: Uint8Array): Buffer {
  return tlv(0xa0 | n, value);
}

export function generalizedTime(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const ms = iso.slice(20, 23).replace(/0+$/, '');
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(`${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}${ms ? `.${ms}` : ''}Z`, 'latin1'));
}

export function utcTime(d: Date): Buffer {
  const iso = d.toISOString();
  return tlv(TAG.UTC_TIME, Buffer.from(`${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`, 'latin1'));
}
