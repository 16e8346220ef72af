// Trusted time (RFC 3161): a time-stamping authority signs "these bytes existed at genTime". We ask
// for a token over each checkpoint's text and verify tokens offline, synchronously, with node:crypto
// only: CMS SignedData with one signer, the TSTInfo's message imprint, the signed attributes'
// message digest and content type, the ESS signing-certificate hash, the TSA certificate's validity
// and timeStamping purpose, and optionally a chain to certificates the verifier trusts.

import { createHash, randomBytes, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { bool, children, DerError, expect, integer, nul, octets, oid, parseDer, readGeneralizedTime, readInteger, readOid, seq, TAG } from './der.ts';
import type { Der } from './der.ts';

export const OID = {
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  ed25519: '1.3.101.112',
} as const;

const HASHES: Record<string, string> = { [OID.sha1]: 'sha1', [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };
const SIG_HASH: Record<string, string | null | undefined> = {
  [OID.sha256WithRSA]: 'sha256',
  [OID.sha384WithRSA]: 'sha384',
  [OID.sha512WithRSA]: 'sha512',
  [OID.ecdsaWithSha256]: 'sha256',
  [OID.ecdsaWithSha384]: 'sha384',
  [OID.ecdsaWithSha512]: 'sha512',
  [OID.ed25519]: null,
};

/** DER TimeStampReq for SHA-256(data), asking for the TSA's certificate in the token. */
export function timestampRequest(data: Uint8Array, nonce: Buffer = randomBytes(8)): Buffer {
  const imprint = seq(seq(oid(OID.sha256), nul()), octets(createHash('sha256').update(data).digest()));
  return seq(integer(1), imprint, integer(nonce), bool(true));
}

export interface TimestampInfo {
  genTime: Date;
  serial: string;
  policy: string;
  /** Subject of the certificate that signed the token. */
  tsa: string;
  /** Subject of the trusted certificate the signer chains to, when trusted certificates were given. */
  anchor?: string;
  /** The nonce the token carries, hex. */
  nonce?: string;
}

export type TimestampVerification = ({ ok: true } & TimestampInfo) | { ok: false; reason: string };

function hashOf(algOid: string, data: Uint8Array): Buffer {
  const name = HASHES[algOid];
  if (!name) throw new DerError(`unsupported digest algorithm ${algOid}`);
  return createHash(name).update(data).digest();
}

interface CertInfo {
  x509: X509Certificate;
  der: Buffer;
  issuer: Buffer;
  serial: Buffer;
  ski?: Buffer;
}

function certInfo(raw: Buffer): CertInfo {
  const tbs = children(children(parseDer(raw))[0]!);
  // tbsCertificate: [0] version?, serialNumber, signature, issuer, …
  const at = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const serial = expect(tbs[at], TAG.INTEGER, 'certificate serial').value;
  const issuer = expect(tbs[at + 2], TAG.SEQUENCE, 'certificate issuer').raw;
  const x509 = new X509Certificate(raw);
  const info: CertInfo = { x509, der: raw, issuer, serial };
  const exts = tbs.find((f) => f.tag === 0xa3);
  for (const ext of exts ? children(children(exts)[0]!) : []) {
    const f = children(ext);
    if (readOid(f[0]!) === '2.5.29.14') info.ski = parseDer(f[f.length - 1]!.value).value;
  }
  return info;
}

function sameInteger(a: Buffer, b: Buffer): boolean {
  const strip = (x: Buffer) => {
    let y = x;
    while (y.length > 1 && y[0] === 0) y = y.subarray(1);
    return y;
  };
  return strip(a).equals(strip(b));
}

function verifySignature(sigAlg: string, digestAlg: string, data: Buffer, key: KeyObject, sig: Buffer): boolean {
  if (sigAlg === OID.rsaEncryption) return cryptoVerify(HASHES[digestAlg] ?? 'sha256', data, key, sig);
  const h = SIG_HASH[sigAlg];
  if (h === undefined) throw new DerError(`unsupported signature algorithm ${sigAlg}`);
  return cryptoVerify(h, data, key, sig);
}

/** Splits a PEM bundle (or takes DER/X509Certificate objects) into certificates. */
export function parseCertificates(input: string | Buffer | readonly (X509Certificate | string | Buffer)[]): X509Certificate[] {
  const items = Array.isArray(input) ? input : [input];
  const out: X509Certificate[] = [];
  for (const item of items as (X509Certificate | string | Buffer)[]) {
    if (item instanceof X509Certificate) out.push(item);
    else if (typeof item === 'string' || (Buffer.isBuffer(item) && item.toString('latin1').includes('-----BEGIN'))) {
      const text = item.toString();
      for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)) out.push(new X509Certificate(m[0]));
    } else out.push(new X509Certificate(item));
  }
  return out;
}

/**
 * Verifies a DER TimeStampToken over data. Never throws. With trusted certificates, the signer must
 * be one of them or chain to one through the token's certificates; without, the token is checked
 * for integrity and the TSA is only named.
 */
export function verifyTimestampToken(
  token: Uint8Array,
  data: Uint8Array,
  opts: { trusted?: readonly X509Certificate[]; nonce?: bigint } = {},
): TimestampVerification {
  try {
    const ci = children(expect(parseDer(token), TAG.SEQUENCE, 'ContentInfo'));
    if (readOid(expect(ci[0], TAG.OID, 'contentType')) !== OID.signedData) return { ok: false, reason: 'the token is not CMS SignedData' };
    const sd = children(expect(children(expect(ci[1], 0xa0, 'content'))[0], TAG.SEQUENCE, 'SignedData'));
    let i = 2;
    const encap = children(expect(sd[i++], TAG.SEQUENCE, 'encapContentInfo'));
    if (readOid(expect(encap[0], TAG.OID, 'eContentType')) !== OID.tstInfo) return { ok: false, reason: 'the signed content is not a TSTInfo' };
    const eContent = expect(children(expect(encap[1], 0xa0, 'eContent'))[0], TAG.OCTET_STRING, 'eContent').value;
    const certs: CertInfo[] = [];
    if (sd[i]?.tag === 0xa0) for (const c of children(sd[i++]!)) if (c.tag === TAG.SEQUENCE) certs.push(certInfo(c.raw));
    if (sd[i]?.tag === 0xa1) i++;
    const signers = children(expect(sd[i], TAG.SET, 'signerInfos'));
    if (signers.length !== 1) return { ok: false, reason: `the token has ${signers.length} signers; a timestamp token has exactly one` };

    // TSTInfo: version, policy, messageImprint, serialNumber, genTime, …
    const tst = children(expect(parseDer(eContent), TAG.SEQUENCE, 'TSTInfo'));
    const policy = readOid(expect(tst[1], TAG.OID, 'policy'));
    const imprint = children(expect(tst[2], TAG.SEQUENCE, 'messageImprint'));
    const imprintAlg = readOid(expect(children(expect(imprint[0], TAG.SEQUENCE, 'hashAlgorithm'))[0], TAG.OID, 'hash OID'));
    const hashed = expect(imprint[1], TAG.OCTET_STRING, 'hashedMessage').value;
    if (!hashOf(imprintAlg, data).equals(hashed)) return { ok: false, reason: 'the token is for other bytes: its message imprint is not the hash of the checkpoint text' };
    const serial = readInteger(expect(tst[3], TAG.INTEGER, 'serialNumber'));
    const genTime = readGeneralizedTime(expect(tst[4], TAG.GENERALIZED_TIME, 'genTime'));
    let nonce: bigint | undefined;
    for (const f of tst.slice(5)) if (f.tag === TAG.INTEGER) nonce = readInteger(f);
    if (opts.nonce !== undefined && nonce !== opts.nonce) return { ok: false, reason: 'the token does not carry the nonce of the request (a replayed answer?)' };

    // SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature
    const si = children(expect(signers[0], TAG.SEQUENCE, 'SignerInfo'));
    const sid = si[1]!;
    const digestAlg = readOid(expect(children(expect(si[2], TAG.SEQUENCE, 'digestAlgorithm'))[0], TAG.OID, 'digest OID'));
    const attrsNode = expect(si[3], 0xa0, 'signedAttrs');
    const sigAlg = readOid(expect(children(expect(si[4], TAG.SEQUENCE, 'signatureAlgorithm'))[0], TAG.OID, 'signature OID'));
    const signature = expect(si[5], TAG.OCTET_STRING, 'signature').value;

    let signer: CertInfo | undefined;
    if (sid.tag === TAG.SEQUENCE) {
      const [issuer, sn] = children(sid);
      signer = certs.find((c) => c.issuer.equals(issuer!.raw) && sameInteger(c.serial, sn!.value));
    } else if (sid.tag === 0x80) {
      signer = certs.find((c) => c.ski?.equals(sid.value));
    }
    if (!signer) return { ok: false, reason: 'the token does not include the certificate of its signer' };

    const attrs = new Map<string, Der[]>();
    for (const a of children(attrsNode)) {
      const [type, values] = children(a);
      attrs.set(readOid(expect(type, TAG.OID, 'attribute type')), children(expect(values, TAG.SET, 'attribute values')));
    }
    const ct = attrs.get(OID.contentType)?.[0];
    if (!ct || readOid(ct) !== OID.tstInfo) return { ok: false, reason: 'the signed attributes do not name TSTInfo as the content type' };
    const md = attrs.get(OID.messageDigest)?.[0];
    if (!md || !hashOf(digestAlg, eContent).equals(md.value)) return { ok: false, reason: 'the signed message digest is not the hash of the TSTInfo: the token was altered' };
    const essV2 = attrs.get(OID.signingCertificateV2)?.[0];
    const essV1 = attrs.get(OID.signingCertificate)?.[0];
    if (essV2 || essV1) {
      const certIds = children(children((essV2 ?? essV1)!)[0]!);
      const first = children(certIds[0]!);
      let alg: string = essV2 ? OID.sha256 : OID.sha1;
      let at = 0;
      if (essV2 && first[0]?.tag === TAG.SEQUENCE) {
        alg = readOid(children(first[0])[0]!);
        at = 1;
      }
      if (!hashOf(alg, signer.der).equals(expect(first[at], TAG.OCTET_STRING, 'certHash').value)) {
        return { ok: false, reason: "the signing-certificate attribute names another certificate than the token's signer" };
      }
    }
    // The signature covers the DER of the attributes with the SET OF tag, not the [0] tag.
    const signedBytes = Buffer.concat([Buffer.from([TAG.SET]), attrsNode.raw.subarray(1)]);
    if (!verifySignature(sigAlg, digestAlg, signedBytes, signer.x509.publicKey, signature)) {
      return { ok: false, reason: `the TSA signature does not verify with the certificate of ${signer.x509.subject.replace(/\n/g, ', ')}` };
    }
    const x = signer.x509;
    if (genTime < new Date(x.validFrom) || genTime > new Date(x.validTo)) {
      return { ok: false, reason: `the genTime ${genTime.toISOString()} is outside the TSA certificate's validity` };
    }
    const purposes = x.keyUsage;
    if (!purposes || !purposes.includes(OID.timeStamping)) return { ok: false, reason: 'the signing certificate is not for time stamping (no timeStamping extended key usage)' };

    const info: TimestampInfo = { genTime, serial: serial.toString(16), policy, tsa: x.subject.replace(/\n/g, ', ') };
    if (nonce !== undefined) info.nonce = nonce.toString(16);
    if (opts.trusted && opts.trusted.length > 0) {
      const anchor = chainTo(signer.x509, certs.map((c) => c.x509), opts.trusted);
      if (!anchor) return { ok: false, reason: `the TSA certificate (${info.tsa}) does not chain to a trusted certificate` };
      info.anchor = anchor.subject.replace(/\n/g, ', ');
    }
    return { ok: true, ...info };
  } catch (err) {
    return { ok: false, reason: `the token is malformed: ${(err as Error).message}` };
  }
}

function chainTo(leaf: X509Certificate, pool: X509Certificate[], trusted: readonly X509Certificate[]): X509Certificate | undefined {
  let cur = leaf;
  for (let depth = 0; depth < 8; depth++) {
    const exact = trusted.find((t) => t.fingerprint256 === cur.fingerprint256);
    if (exact) return exact;
    const issuer = trusted.find((t) => cur.checkIssued(t) && cur.verify(t.publicKey));
    if (issuer) return issuer;
    const next = pool.find((p) => p.fingerprint256 !== cur.fingerprint256 && cur.checkIssued(p) && cur.verify(p.publicKey));
    if (!next) return undefined;
    cur = next;
  }
  return undefined;
}

/** Parses a TimeStampResp: the token when granted, or the TSA's refusal. */
export function parseTimestampResponse(der: Uint8Array): { token: Buffer } | { refused: string } {
  const parts = children(expect(parseDer(der), TAG.SEQUENCE, 'TimeStampResp'));
  const status = children(expect(parts[0], TAG.SEQUENCE, 'PKIStatusInfo'));
  const code = Number(readInteger(expect(status[0], TAG.INTEGER, 'status')));
  if (code !== 0 && code !== 1) {
    const text = status[1] ? children(status[1]).map((s) => s.value.toString('utf8')).join('; ') : '';
    return { refused: `the TSA refused (status ${code}${text ? `: ${text}` : ''})` };
  }
  if (!parts[1]) return { refused: 'the TSA granted but sent no token' };
  return { token: Buffer.from(parts[1].raw) };
}

/** Asks a TSA for a token over data and checks it before returning it. */
export async function requestTimestamp(
  url: string,
  data: Uint8Array,
  opts: { timeoutMs?: number; trusted?: readonly X509Certificate[] } = {},
): Promise<{ token: Buffer; genTime: Date; info: TimestampInfo }> {
  const nonce = randomBytes(8);
  nonce[0] = nonce[0]! & 0x7f; // positive as an INTEGER, so it compares equal after decoding
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
    body: new Uint8Array(timestampRequest(data, nonce)),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  if (!res.ok) throw new Error(`the TSA at ${url} answered HTTP ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  let parsed: ReturnType<typeof parseTimestampResponse>;
  try {
    parsed = parseTimestampResponse(body);
  } catch (err) {
    throw new Error(`the TSA at ${url} sent no valid TimeStampResp: ${(err as Error).message}`);
  }
  if ('refused' in parsed) throw new Error(`${url}: ${parsed.refused}`);
  const v = verifyTimestampToken(parsed.token, data, { nonce: readInteger(parseDer(integer(nonce))), trusted: opts.trusted });
  if (!v.ok) throw new Error(`the TSA at ${url} sent a token that does not verify: ${v.reason}`);
  return { token: parsed.token, genTime: v.genTime, info: v };
}
