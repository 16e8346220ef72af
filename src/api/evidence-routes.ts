// API routes of the evidence layer that the route table in ./routes.ts includes: the log's key and
// latest checkpoint, a provision's evidence bundle and citations, and a document's TimeMap as JSON.
import type { ApiRoute } from './routes.ts';
import { respond, siteOrigin, JSON_TYPE } from '../web/respond.ts';
import { notFound } from '../web/errors.ts';
import { idOf, recordIdSchema } from '../web/params.ts';
import { recordId } from '../domain/record-id.ts';
import { documentById } from '../web/read/documents.ts';
import { citationsOf } from '../web/evidence-view.ts';
import { logInfo, provisionIdSchema, sendProvisionBundle, versionQuerySchema } from '../web/routes/evidence.ts';
import { mementosOf } from '../web/routes/memento.ts';
import { httpDate } from '../evidence/memento.ts';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const obj = (properties: Record<string, object>, optional: string[] = []) => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});

const LogInfo = obj({
  origin: str,
  keyAlgorithm: { const: 'Ed25519' },
  keyId: { type: 'string', pattern: '^[0-9a-f]{8}$' },
  verifierKey: str,
  publicKey: { type: 'string', pattern: '^-----BEGIN PUBLIC KEY-----' },
  checkpoint: { anyOf: [obj({ id: int, size: int, root: str, signedAt: dateTime, note: str }), { type: 'null' }] },
  format: str,
});

const ProvisionCitations = obj({
  record: { type: 'string', pattern: '^CW-P-[0-9]{6,12}$' },
  citations: obj({ text: str, bluebook: str, bibtex: str, ris: str, 'csl-json': str }),
});

const TimeMapJson = obj({
  document: { type: 'string', pattern: '^CW-D-[0-9]{6,12}$' },
  original: str,
  timemap: str,
  timegate: str,
  mementos: { type: 'array', items: obj({ record: { type: 'string', pattern: '^CW-V-[0-9]{6,12}$' }, datetime: dateTime, httpDate: str, uri: str }) },
});

export const EVIDENCE_API_ROUTES: ApiRoute[] = [
  {
    url: '/api/v1/log',
    operationId: 'getLog',
    summary: "The evidence log's public key (to verify bundles against) and its latest signed checkpoint",
    description: 'The same as /.well-known/clausewatch-log. Needs the log key on this server (503 otherwise).',
    tag: 'meta',
    ok: { type: 'application/json', schema: LogInfo, description: 'origin, key id, verifier key, public key PEM, latest checkpoint (null before the first)' },
    errors: [503],
    handler: (ctx, req, reply) => respond(ctx, req, reply, async () => ({ type: JSON_TYPE, body: JSON.stringify(await logInfo(ctx)) }), { cache: false }),
  },
  {
    url: '/api/v1/provisions/:provision/evidence',
    operationId: 'getProvisionEvidence',
    summary: 'The evidence bundle of a provision, with the version and snapshot it came from, to verify offline with `clausewatch verify-evidence`',
    description: 'Needs the log key on this server (503 otherwise); signs a checkpoint first when none covers the records yet. 404 when the version given does not hold the provision.',
    tag: 'records',
    params: { provision: provisionIdSchema },
    query: { version: versionQuerySchema },
    ok: { type: 'application/json', description: 'the evidence bundle (format: docs/evidence-format.md)' },
    errors: [400, 404, 503],
    handler: (ctx, req, reply) => sendProvisionBundle(ctx, req.params.provision, req.query.version, reply),
  },
  {
    url: '/api/v1/provisions/:provision/citation',
    operationId: 'citeProvision',
    summary: 'Ready citations of a provision: plain text, Bluebook, BibTeX, RIS, CSL-JSON',
    tag: 'records',
    params: { provision: provisionIdSchema },
    ok: { type: 'application/json', schema: ProvisionCitations, description: 'the citations, by format' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      respond(ctx, req, reply, async () => {
        const id = recordId('provision', idOf(req.params.provision, 'provision', 'path segment provision'));
        const cites = await citationsOf(ctx.db, id);
        if (!cites.length) throw notFound(`no provision ${id}`);
        return { type: JSON_TYPE, body: JSON.stringify({ record: id, citations: Object.fromEntries(cites.map((c) => [c.format, c.text])) }) };
      }),
  },
  {
    url: '/api/v1/documents/:document/timemap',
    operationId: 'getDocumentTimeMap',
    summary: "A document's Memento TimeMap (RFC 7089) as JSON: its versions with their datetimes",
    description: 'The link-format TimeMap is at /platforms/{slug}/{key}/timemap and the TimeGate (Accept-Datetime → 302) at /platforms/{slug}/{key}/timegate.',
    tag: 'documents',
    params: { document: recordIdSchema('document') },
    ok: { type: 'application/json', schema: TimeMapJson, description: 'original, TimeMap and TimeGate URIs, and every memento oldest first' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      respond(ctx, req, reply, async () => {
        const id = idOf(req.params.document, 'document', 'path segment document');
        const doc = await documentById(ctx.db, id);
        if (!doc) throw notFound(`no document ${recordId('document', id)}`);
        const m = await mementosOf(ctx.db, doc, siteOrigin(ctx, req));
        const mementos = m.mementos.map((x) => ({ record: x.record, datetime: x.datetime.toISOString(), httpDate: httpDate(x.datetime), uri: x.uri }));
        return { type: JSON_TYPE, body: JSON.stringify({ document: recordId('document', id), original: m.original, timemap: m.timemap, timegate: m.timegate, mementos }) };
      }),
  },
];
