// A small RFC 3161 time-stamping authority on loopback, for tests: a CA and a TSA certificate made
// here with node:crypto and the project's DER writer, and an HTTP server answering timestamp
// queries with CMS SignedData tokens, honestly or in the broken ways tests ask for.

import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bitString, bool, children, ctx, generalizedTime, integer, nul, octets, oid, parseDer, readOid, seq, setOf, TAG, utcTime, utf8 } from '../../src/evidence/der.ts';
import { OID } from '../../src/evidence/timestamp.ts';

export type KeyKind = 'ec' | 'rsa';

export interface Issued {
  cert: X509Certificate;
  der: Buffer;
  key: KeyObject;
  name: Buffer;
  serial: Buffer;
  pem: string;
}

function keyPair(kind: KeyKind) {
  return kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
}

function sigAlg(key: KeyObject): Buffer {
  return key.asymmetricKeyType === 'ec' ? seq(oid(OID.ecdsaWithSha256)) : seq(oid(OID.sha256WithRSA), nul());
}

const name = (cn: string) => seq(setOf(seq(oid('2.5.4.3'), utf8(cn))));
const ext = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** Issues a certificate; self-signed when issuer is undefined. */
export function issue(opts: { cn: string; kind: KeyKind; issuer?: Issued; ca?: boolean; timeStamping?: boolean; notBefore?: Date; notAfter?: Date }): Issued {
  const { publicKey, privateKey } = keyPair(opts.kind);
  const serial = randomBytes(8);
  serial[0] = serial[0]! & 0x7f;
  const subject = name(opts.cn);
  const signer = opts.issuer?.key ?? privateKey;
  const exts: Buffer[] = [];
  if (opts.ca) exts.push(ext('2.5.29.19', true, seq(bool(true))));
  if (opts.timeStamping) exts.push(ext('2.5.29.37', true, seq(oid(OID.timeStamping))));
  exts.push(ext('2.5.29.14', false, octets(createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest())));
  const tbs = seq(
    ctx(0, integer(2)),
    integer(serial),
    sigAlg(signer),
    opts.issuer?.name ?? subject,
    seq(utcTime(opts.notBefore ?? new Date(Date.now() - 86_400_000)), utcTime(opts.notAfter ?? new Date(Date.now() + 365 * 86_400_000))),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    ctx(3, seq(...exts)),
  );
  const der = seq(tbs, sigAlg(signer), bitString(sign('sha256', tbs, signer)));
  const cert = new X509Certificate(der);
  return { cert, der, key: privateKey, name: subject, serial, pem: cert.toString() };
}

export type TsaMode = 'ok' | 'refuse' | 'wrong-imprint' | 'bad-signature' | 'no-nonce' | 'garbage' | 'http-500';

export interface Tsa {
  url: string;
  ca: Issued;
  tsa: Issued;
  mode: TsaMode;
  requests: number;
  close(): Promise<void>;
}

/** The token a TSA signs for a message imprint (the raw DER of the request's MessageImprint). */
export function makeToken(t: { ca: Issued; tsa: Issued }, imprint: Buffer, nonce: Buffer | undefined, opts: { genTime?: Date; breakSignature?: boolean } = {}): Buffer {
  const tst = seq(
    integer(1),
    oid('1.3.6.1.4.1.55555.1.1'),
    imprint,
    integer(randomBytes(6)),
    generalizedTime(opts.genTime ?? new Date()),
    seq(integer(1)), // accuracy: 1 s
    ...(nonce ? [nonce] : []),
  );
  const certHash = createHash('sha256').update(t.tsa.der).digest();
  const attrs = [
    seq(oid(OID.contentType), setOf(oid(OID.tstInfo))),
    seq(oid(OID.messageDigest), setOf(octets(createHash('sha256').update(tst).digest()))),
    seq(oid(OID.signingCertificateV2), setOf(seq(seq(seq(octets(certHash)))))),
  ];
  const signedSet = setOf(...attrs);
  let signature = sign('sha256', signedSet, t.tsa.key);
  if (opts.breakSignature) signature = Buffer.concat([signature.subarray(0, signature.length - 1), Buffer.from([signature[signature.length - 1]! ^ 1])]);
  const signerInfo = seq(
    integer(1),
    seq(t.ca.name, integer(t.tsa.serial)),
    seq(oid(OID.sha256), nul()),
    Buffer.concat([Buffer.from([0xa0]), signedSet.subarray(1)]),
    sigAlg(t.tsa.key),
    octets(signature),
  );
  const signedData = seq(integer(3), setOf(seq(oid(OID.sha256), nul())), seq(oid(OID.tstInfo), ctx(0, octets(tst))), ctx(0, Buffer.concat([t.tsa.der, t.ca.der])), setOf(signerInfo));
  return seq(oid(OID.signedData), ctx(0, signedData));
}

export async function startTsa(kind: KeyKind = 'ec', mode: TsaMode = 'ok'): Promise<Tsa> {
  const ca = issue({ cn: 'Test Time CA', kind, ca: true });
  const tsaCert = issue({ cn: 'Test TSA', kind, issuer: ca, timeStamping: true });
  const state: Tsa = { url: '', ca, tsa: tsaCert, mode, requests: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (state.mode === 'http-500') return void res.writeHead(500).end('down');
      if (state.mode === 'garbage') return void res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end('not DER at all');
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') return void res.writeHead(400).end();
      const parts = children(parseDer(Buffer.concat(chunks)));
      let imprint = parts[1]!.raw;
      const nonce = parts.slice(2).find((p) => p.tag === TAG.INTEGER)?.raw;
      void readOid(children(children(parts[1]!)[0]!)[0]!); // the request names its hash algorithm
      let body: Buffer;
      if (state.mode === 'refuse') {
        body = seq(seq(integer(2), seq(utf8('policy not accepted'))));
      } else {
        if (state.mode === 'wrong-imprint') imprint = seq(seq(oid(OID.sha256), nul()), octets(Buffer.alloc(32, 7)));
        const token = makeToken(state, imprint, state.mode === 'no-nonce' ? undefined : nonce, { breakSignature: state.mode === 'bad-signature' });
        body = seq(seq(integer(0)), token);
      }
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
