// The JSON API under /api/v1 and the Atom feeds, as one table: each entry is registered with Fastify
// (its path and query schemas are enforced) and described in the OpenAPI document from the same data.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { respond, siteOrigin, JSON_TYPE, type WebContext } from '../web/respond.ts';
import { badRequest, notFound } from '../web/errors.ts';
import { checkRange, cursorSchema, filterProperties, idOf, limitSchema, pageSchema, querySchema, recordIdSchema, slugSchema } from '../web/params.ts';
import { decodeCursor, encodeCursor, type RecordFilters } from '../web/read/filters.ts';
import { listPlatforms, trackingTotals } from '../web/read/platforms.ts';
import { listChanges } from '../web/read/changes.ts';
import { captureDetail, currentProblems, recentProblems } from '../web/read/status.ts';
import { documentById } from '../web/read/documents.ts';
import { snapshotById, versionDetail, versionSnapshots, versionsOfDocument } from '../web/read/versions.ts';
import { searchVersions } from '../web/read/search.ts';
import { pendingTexts } from '../web/read/search-index.ts';
import { resolveRecord } from '../web/read/records.ts';
import { loadDocumentById, loadPlatform, loadVersionPair } from '../web/load.ts';
import { getText } from '../record/texts.ts';
import { snapshotsOf } from '../record/queries.ts';
import { diffView } from '../web/diff-view.ts';
import { recordId } from '../domain/record-id.ts';
import { paths } from '../web/paths.ts';
import { waybackUrl } from '../web/archive.ts';
import { typeTitle, iso } from '../web/format.ts';
import { sendEvidenceBundle, sendSnapshot } from '../web/routes/files.ts';
import { citationsOf } from '../web/evidence-view.ts';
import { logEntryOf } from '../evidence/record-sources.ts';
import { atomFeed } from './atom.ts';
import { EVIDENCE_API_ROUTES } from './evidence-routes.ts';
import { ANALYSIS_ROUTES } from './analysis-routes.ts';
import * as S from './schemas.ts';
import * as V from './views.ts';

type Schema = Record<string, unknown>;
// Parameters arrive already validated (and coerced) by the route's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Req = FastifyRequest & { params: Record<string, any>; query: Record<string, any> };

export interface ApiRoute {
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: 'platforms' | 'documents' | 'versions' | 'snapshots' | 'changes' | 'search' | 'status' | 'records' | 'feeds' | 'meta' | 'provisions' | 'clause-types';
  params?: Record<string, Schema>;
  query?: Record<string, Schema>;
  /** Media type and schema of the 200 response. */
  ok: { type: string; schema?: Schema; description: string };
  errors: number[];
  handler: (ctx: WebContext, req: Req, reply: FastifyReply) => Promise<FastifyReply>;
}

const json = (ctx: WebContext, req: Req, reply: FastifyReply, produce: () => Promise<unknown>) =>
  respond(ctx, req, reply, async () => ({ type: JSON_TYPE, body: JSON.stringify(await produce()) }));

function idCursor(id: number): string {
  return Buffer.from(`i${id}`).toString('base64url');
}
function fromIdCursor(c: string | undefined): number | undefined {
  if (!c) return undefined;
  const m = /^i(\d{1,12})$/.exec(Buffer.from(c, 'base64url').toString('utf8'));
  if (!m) throw badRequest('query parameter "cursor" is not a cursor this API made', 'query parameter cursor');
  return Number(m[1]);
}
function timeCursor(c: string | undefined) {
  if (!c) return undefined;
  const at = decodeCursor(c);
  if (!at) throw badRequest('query parameter "cursor" is not a cursor this API made', 'query parameter cursor');
  return at;
}

export const API_ROUTES: ApiRoute[] = [
  {
    url: '/api/v1',
    operationId: 'index',
    summary: 'Entry point: links to the collections',
    tag: 'meta',
    ok: { type: 'application/json', schema: S.Index, description: 'links' },
    errors: [],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => ({
        name: 'Clausewatch API',
        version: '1',
        openapi: paths.api.openapi(),
        links: { platforms: paths.api.platforms(), changes: paths.api.changes(), search: paths.api.search(), status: paths.api.status(), feed: paths.feedChanges(), provisions: paths.api.provisions(), clause_types: paths.api.clauseTypes(), material_changes: paths.api.materialChanges(), material_feed: paths.feedMaterial() },
      })),
  },
  {
    url: '/api/v1/platforms',
    operationId: 'listPlatforms',
    summary: 'Platforms, with document, version and change counts',
    tag: 'platforms',
    query: { limit: limitSchema(500, 100), cursor: cursorSchema },
    ok: { type: 'application/json', schema: S.PlatformList, description: 'one page of platforms, by name' },
    errors: [400],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const all = await listPlatforms(ctx.db);
        const after = fromIdCursor(req.query.cursor);
        const start = after === undefined ? 0 : all.findIndex((p) => p.id === after) + 1;
        if (after !== undefined && start === 0) throw badRequest('query parameter "cursor" points to no platform', 'query parameter cursor');
        const page = all.slice(start, start + req.query.limit);
        const more = start + req.query.limit < all.length;
        return { platforms: page.map(V.platformSummary), next_cursor: more ? idCursor(page[page.length - 1]!.id) : null };
      }),
  },
  {
    url: '/api/v1/platforms/:slug',
    operationId: 'getPlatform',
    summary: 'One platform: documents, change activity, recent changes, current problems',
    tag: 'platforms',
    params: { slug: slugSchema },
    ok: { type: 'application/json', schema: S.PlatformDetail, description: 'the platform' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const v = await loadPlatform(ctx.db, req.params.slug);
        return {
          platform: V.platformSummary(v.platform),
          documents: v.documents.map((d) => V.documentSummary(v.platform.slug, d)),
          activity: { months: v.activity, last_30_days: v.last30, since: iso(v.last30Since)!, first_tracked_at: iso(v.span.first), last_tracked_at: iso(v.span.last) },
          recent_changes: v.recent.map(V.change),
          problems: v.problems.map(V.problem),
        };
      }),
  },
  {
    url: '/api/v1/documents/:document',
    operationId: 'getDocument',
    summary: 'One document: record, source, tracking dates, current version, latest snapshot',
    tag: 'documents',
    params: { document: recordIdSchema('document') },
    ok: { type: 'application/json', schema: S.DocumentDetail, description: 'the document' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const d = await loadDocumentById(ctx.db, idOf(req.params.document, 'document', 'path segment document'));
        const doc = d.document;
        const current = d.versions[d.versions.length - 1];
        const s = d.record.latest_snapshot;
        return {
          ...V.documentRef(doc),
          type_title: typeTitle(doc.type),
          platform: V.platformRefOf(doc),
          source_urls: d.record.source_urls,
          archive_urls: d.record.source_urls.map((u) => waybackUrl(u, current?.recorded_at)).filter((u): u is string => !!u),
          captures: d.record.captures,
          versions: d.versions.length,
          first_tracked_at: iso(d.record.first_tracked_at),
          last_verified_at: iso(d.record.last_verified_at),
          last_captured_at: iso(d.record.last_captured_at),
          last_outcome: d.record.last_outcome,
          last_problem: d.record.last_problem,
          last_detail: d.record.last_detail,
          current_version: current ? V.versionSummary(current, { platform_slug: doc.platform_slug, key: doc.key }) : null,
          latest_snapshot: s
            ? { record: recordId('snapshot', s.id), fetched_at: iso(s.fetched_at)!, url: s.url, sha256: s.blob_sha256, media_type: s.media_type, size: s.size, links: { page: paths.snapshot(s.id), api: paths.api.snapshot(s.id), raw: paths.api.snapshotRaw(s.id) } }
            : null,
          links: { page: paths.document(doc.platform_slug, doc.key), api: paths.api.document(doc.id), versions: paths.api.documentVersions(doc.id), pdf: paths.documentPdf(doc.platform_slug, doc.key) },
        };
      }),
  },
  {
    url: '/api/v1/documents/:document/versions',
    operationId: 'listVersions',
    summary: "A document's versions, oldest first",
    tag: 'documents',
    params: { document: recordIdSchema('document') },
    query: { limit: limitSchema(500, 100), cursor: cursorSchema },
    ok: { type: 'application/json', schema: S.VersionList, description: 'one page of versions' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const id = idOf(req.params.document, 'document', 'path segment document');
        const doc = await documentById(ctx.db, id);
        if (!doc) throw notFound(`no document ${recordId('document', id)}`);
        const rows = await versionsOfDocument(ctx.db, id, { limit: req.query.limit + 1, after: timeCursor(req.query.cursor) });
        const page = rows.slice(0, req.query.limit);
        const last = page[page.length - 1];
        return { versions: page.map((v) => V.versionSummary(v, { platform_slug: doc.platform_slug, key: doc.key })), next_cursor: rows.length > req.query.limit && last ? encodeCursor(last.recorded_at, last.id) : null };
      }),
  },
  {
    url: '/api/v1/versions/:version',
    operationId: 'getVersion',
    summary: 'One version: metadata, neighbours, the snapshots it was extracted from',
    tag: 'versions',
    params: { version: recordIdSchema('version') },
    ok: { type: 'application/json', schema: S.VersionDetail, description: 'the version (its text is at links.text)' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const id = idOf(req.params.version, 'version', 'path segment version');
        const v = await versionDetail(ctx.db, id);
        if (!v) throw notFound(`no version ${recordId('version', id)}`);
        const doc = v.document;
        const firstUrl = v.snapshots[0]?.url;
        return {
          version: V.versionSummary(v.version, { platform_slug: doc.platform_slug, key: doc.key }),
          platform: V.platformRefOf(doc),
          document: V.documentRef(doc),
          next: v.next ? recordId('version', v.next.id) : null,
          chars: v.chars,
          confirmations: { count: v.confirmations.count, first_at: iso(v.confirmations.first_at), last_at: iso(v.confirmations.last_at) },
          snapshots: v.snapshots.map(V.snapshot),
          archive_url: firstUrl ? (waybackUrl(firstUrl, v.version.recorded_at) ?? null) : null,
        };
      }),
  },
  {
    url: '/api/v1/versions/:version/text',
    operationId: 'getVersionText',
    summary: "A version's text, exactly as hashed (SHA-256 of these bytes is text_sha256)",
    tag: 'versions',
    params: { version: recordIdSchema('version') },
    ok: { type: 'text/plain', schema: { type: 'string' }, description: 'the normalised Markdown text, UTF-8' },
    errors: [400, 404],
    handler: async (ctx, req, reply) => {
      const id = idOf(req.params.version, 'version', 'path segment version');
      const rows = await ctx.db.query<{ text_sha256: string }>('SELECT text_sha256 FROM versions WHERE id = $1', [id]);
      if (!rows[0]) throw notFound(`no version ${recordId('version', id)}`);
      const sha = rows[0].text_sha256;
      reply.header('X-Clausewatch-SHA256', sha);
      return respond(ctx, req, reply, async () => ({ type: 'text/plain; charset=utf-8', body: (await getText(ctx.db, sha)) ?? '' }), { cacheControl: 'public, max-age=31536000, immutable' });
    },
  },
  {
    url: '/api/v1/versions/:version/snapshots',
    operationId: 'listVersionSnapshots',
    summary: 'Every snapshot of every capture that fetched this version\u2019s text',
    tag: 'versions',
    params: { version: recordIdSchema('version') },
    query: { limit: limitSchema(500, 100), cursor: cursorSchema },
    ok: { type: 'application/json', schema: S.SnapshotList, description: 'one page of snapshots, oldest first' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const id = idOf(req.params.version, 'version', 'path segment version');
        const exists = await ctx.db.query('SELECT 1 FROM versions WHERE id = $1', [id]);
        if (!exists.length) throw notFound(`no version ${recordId('version', id)}`);
        const rows = await versionSnapshots(ctx.db, id, { limit: req.query.limit + 1, afterId: fromIdCursor(req.query.cursor) });
        const page = rows.slice(0, req.query.limit);
        return { snapshots: page.map(V.snapshot), next_cursor: rows.length > req.query.limit ? idCursor(page[page.length - 1]!.id) : null };
      }),
  },
  {
    url: '/api/v1/snapshots/:snapshot',
    operationId: 'getSnapshot',
    summary: 'One snapshot: what was fetched, when, its SHA-256',
    tag: 'snapshots',
    params: { snapshot: recordIdSchema('snapshot') },
    ok: { type: 'application/json', schema: S.SnapshotDetail, description: 'the snapshot (its bytes are at links.raw)' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const id = idOf(req.params.snapshot, 'snapshot', 'path segment snapshot');
        const s = await snapshotById(ctx.db, id);
        if (!s) throw notFound(`no snapshot ${recordId('snapshot', id)}`);
        const doc = (await documentById(ctx.db, s.document_id))!;
        return {
          snapshot: V.snapshot(s),
          version: s.version_id ? recordId('version', s.version_id) : null,
          document: { record: recordId('document', doc.id), name: doc.name, links: { page: paths.document(doc.platform_slug, doc.key), api: paths.api.document(doc.id) } },
          platform: V.platformRefOf(doc),
        };
      }),
  },
  {
    url: '/api/v1/snapshots/:snapshot/raw',
    operationId: 'getSnapshotBytes',
    summary: 'The bytes of a snapshot exactly as fetched (their SHA-256 is the snapshot\u2019s)',
    tag: 'snapshots',
    params: { snapshot: recordIdSchema('snapshot') },
    ok: { type: 'application/octet-stream', description: 'the raw bytes, as an attachment, with the original media type' },
    errors: [400, 404],
    handler: (ctx, req, reply) => sendSnapshot(ctx, req.params.snapshot, req, reply, 'path segment snapshot'),
  },
  {
    url: '/api/v1/versions/:version/citation',
    operationId: 'citeVersion',
    summary: 'Ready citations of a version: plain text, Bluebook, BibTeX, RIS, CSL-JSON',
    tag: 'versions',
    params: { version: recordIdSchema('version') },
    ok: { type: 'application/json', schema: S.Citations, description: 'the citations, by format' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const id = idOf(req.params.version, 'version', 'path segment version');
        const cites = await citationsOf(ctx.db, recordId('version', id));
        if (!cites.length) throw notFound(`no version ${recordId('version', id)}`);
        return { record: recordId('version', id), citations: Object.fromEntries(cites.map((c) => [c.format, c.text])) };
      }),
  },
  {
    url: '/api/v1/versions/:version/evidence',
    operationId: 'getVersionEvidence',
    summary: 'The evidence bundle of a version, to verify offline with `clausewatch verify-evidence`',
    description: 'Needs the log key on this server (503 otherwise); signs a checkpoint first when none covers the record yet.',
    tag: 'versions',
    params: { version: recordIdSchema('version') },
    ok: { type: 'application/json', description: 'the evidence bundle (format: docs/evidence-format.md)' },
    errors: [400, 404, 503],
    handler: (ctx, req, reply) => sendEvidenceBundle(ctx, 'version', req.params.version, reply, 'path segment version'),
  },
  {
    url: '/api/v1/snapshots/:snapshot/evidence',
    operationId: 'getSnapshotEvidence',
    summary: 'The evidence bundle of a snapshot',
    tag: 'snapshots',
    params: { snapshot: recordIdSchema('snapshot') },
    ok: { type: 'application/json', description: 'the evidence bundle (format: docs/evidence-format.md)' },
    errors: [400, 404, 503],
    handler: (ctx, req, reply) => sendEvidenceBundle(ctx, 'snapshot', req.params.snapshot, reply, 'path segment snapshot'),
  },
  {
    url: '/api/v1/records/:id/log',
    operationId: 'getLogEntry',
    summary: "A version's, snapshot's or provision's place in the evidence log, with its inclusion proof against the latest checkpoint",
    tag: 'records',
    params: { id: { type: 'string', pattern: '^CW-(V|S|P)-[0-9]{1,12}$', description: 'a version, snapshot or provision record id, e.g. CW-V-000123' } },
    ok: { type: 'application/json', schema: S.LogEntry, description: 'the log entry' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const e = await logEntryOf(ctx.db, req.params.id);
        if (!e) throw notFound(`${req.params.id} is not in the evidence log`);
        return { record: req.params.id, ...e };
      }),
  },
  {
    url: '/api/v1/captures/:capture',
    operationId: 'getCapture',
    summary: 'One capture (a tracking attempt) and what came of it',
    tag: 'status',
    params: { capture: recordIdSchema('capture') },
    ok: { type: 'application/json', schema: S.CaptureDetail, description: 'the capture' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const id = idOf(req.params.capture, 'capture', 'path segment capture');
        const c = await captureDetail(ctx.db, id);
        if (!c) throw notFound(`no capture ${recordId('capture', id)}`);
        const snaps = await snapshotsOf(ctx.db, { captureId: id });
        return {
          record: recordId('capture', c.capture_id),
          captured_at: iso(c.captured_at)!,
          outcome: c.outcome,
          problem_kind: c.problem_kind,
          detail: c.detail,
          http_status: c.http_status,
          url: c.url,
          origin: c.origin,
          origin_ref: c.origin_ref,
          version: c.version_id ? recordId('version', c.version_id) : null,
          text_sha256: c.text_sha256,
          platform: V.platformRef({ id: c.platform_id, slug: c.platform_slug, name: c.platform_name }),
          document: { record: recordId('document', c.document_id), name: c.document_name, links: { page: paths.document(c.platform_slug, c.document_key), api: paths.api.document(c.document_id) } },
          snapshots: snaps.map((s) => recordId('snapshot', s.id)),
        };
      }),
  },
  {
    url: '/api/v1/diff',
    operationId: 'diffVersions',
    summary: 'Word-level differences between two versions of one document',
    description: 'Rows in document order: unchanged paragraphs near a change, changed passages (with their word parts), and runs of unchanged paragraphs left out (skip).',
    tag: 'versions',
    query: { from: recordIdSchema('version'), to: recordIdSchema('version'), context: { type: 'integer', minimum: 0, maximum: 20, default: 2, description: 'unchanged paragraphs kept around each change' } },
    ok: { type: 'application/json', schema: S.Diff, description: 'the differences' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        if (!req.query.from || !req.query.to) throw badRequest(`missing query parameter "${req.query.from ? 'to' : 'from'}"`, `query parameter ${req.query.from ? 'to' : 'from'}`);
        const { from, to } = await loadVersionPair(ctx.db, idOf(req.query.from, 'version', 'query parameter from'), idOf(req.query.to, 'version', 'query parameter to'));
        const doc = (await documentById(ctx.db, from.document_id))!;
        const [a, b] = await Promise.all([getText(ctx.db, from.text_sha256), getText(ctx.db, to.text_sha256)]);
        const d = diffView(a ?? '', b ?? '', { context: req.query.context });
        const ref = { platform_slug: doc.platform_slug, key: doc.key };
        return {
          from: V.versionSummary(from, ref),
          to: V.versionSummary(to, ref),
          identical: d.identical,
          stats: d.stats,
          rows: d.rows.map((r) => (r.kind === 'skip' ? { kind: 'skip', blocks: r.blocks.length } : r)),
          links: { page: paths.diff(doc.platform_slug, doc.key, from.id, to.id) },
        };
      }),
  },
  {
    url: '/api/v1/search',
    operationId: 'search',
    summary: 'Full-text search over every version text; one result per document',
    tag: 'search',
    query: { q: querySchema, ...filterProperties, page: pageSchema, limit: limitSchema(50, 20) },
    ok: { type: 'application/json', schema: S.SearchResults, description: 'results, best first' },
    errors: [400],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const { q, page, limit, ...filters } = req.query as RecordFilters & { q?: string; page: number; limit: number };
        if (!q) throw badRequest('missing query parameter "q"', 'query parameter q');
        checkRange(filters.from, filters.to);
        const [r, pending] = await Promise.all([searchVersions(ctx.db, { query: q, ...filters, limit, offset: (page - 1) * limit }), pendingTexts(ctx.db)]);
        return {
          query: r.query,
          terms: r.terms,
          total: r.total,
          page,
          limit,
          pending_texts: pending,
          results: r.hits.map((h) => ({
            platform: V.platformRef({ id: h.platform_id, slug: h.platform_slug, name: h.platform_name }),
            document: { record: recordId('document', h.document_id), key: h.document_key, name: h.document_name, type: h.document_type, links: { page: paths.document(h.platform_slug, h.document_key), api: paths.api.document(h.document_id) } },
            version: recordId('version', h.version_id),
            recorded_at: iso(h.recorded_at)!,
            rank: h.rank,
            is_current: h.is_current,
            matching_versions: h.matching_versions,
            snippet: h.snippet,
            links: { version: paths.version(h.version_id), document: paths.document(h.platform_slug, h.document_key) },
          })),
          next_page: page * limit < r.total ? page + 1 : null,
        };
      }),
  },
  {
    url: '/api/v1/changes',
    operationId: 'listChanges',
    summary: 'Changes at the source (new texts and returns to earlier ones), newest first',
    tag: 'changes',
    query: { ...filterProperties, document: recordIdSchema('document'), limit: limitSchema(200, 50), cursor: cursorSchema },
    ok: { type: 'application/json', schema: S.ChangeList, description: 'one page of changes' },
    errors: [400],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const { limit, cursor, document, ...filters } = req.query as RecordFilters & { limit: number; cursor?: string; document?: string };
        checkRange(filters.from, filters.to);
        const documentId = document ? idOf(document, 'document', 'query parameter document') : undefined;
        const rows = await listChanges(ctx.db, { ...filters, documentId }, { limit: limit + 1, before: timeCursor(cursor) });
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        return { changes: page.map(V.change), next_cursor: rows.length > limit && last ? encodeCursor(last.recorded_at, last.id) : null };
      }),
  },
  {
    url: '/api/v1/status',
    operationId: 'getStatus',
    summary: 'Totals, documents with a problem now, and recent fetch problems and suspect captures',
    tag: 'status',
    query: { limit: limitSchema(500, 50) },
    ok: { type: 'application/json', schema: S.Status, description: 'the status' },
    errors: [400],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const [totals, current, recent] = await Promise.all([trackingTotals(ctx.db), currentProblems(ctx.db), recentProblems(ctx.db, { limit: req.query.limit })]);
        return { totals, current_problems: current.map(V.problem), recent_problems: recent.map(V.problem) };
      }),
  },
  {
    url: '/api/v1/records/:id',
    operationId: 'resolveRecord',
    summary: 'Where a record id (CW-PL-, CW-D-, CW-V-, CW-S-, CW-C-, CW-P-) lives',
    tag: 'records',
    params: { id: { type: 'string', maxLength: 40, description: 'a record id, e.g. CW-V-000123' } },
    ok: { type: 'application/json', schema: S.RecordLink, description: 'the record\u2019s page and API URL' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const r = await resolveRecord(ctx.db, req.params.id);
        if (!r.ok) throw r.reason === 'malformed' ? badRequest(r.message, 'path segment id') : notFound(r.message);
        const id = Number(r.record.replace(/^CW-[A-Z]+-/, ''));
        const api = r.kind === 'provision' ? paths.api.provision(id) : r.kind === 'version' ? paths.api.version(id) : r.kind === 'snapshot' ? paths.api.snapshot(id) : r.kind === 'capture' ? paths.api.capture(id) : r.kind === 'document' ? paths.api.document(id) : null;
        return { record: r.record, kind: r.kind, page: r.path, api: api ?? (r.kind === 'platform' ? `/api/v1${r.path}` : null) };
      }),
  },
  {
    url: '/feeds/changes.atom',
    operationId: 'feedChanges',
    summary: 'Atom feed of the latest changes across all platforms',
    tag: 'feeds',
    ok: { type: 'application/atom+xml', description: 'the 50 latest changes' },
    errors: [],
    handler: (ctx, req, reply) =>
      respond(ctx, req, reply, async () => {
        const rows = await listChanges(ctx.db, {}, { limit: 50 });
        const body = atomFeed({ origin: siteOrigin(ctx, req), title: 'Clausewatch: changes', selfPath: paths.feedChanges(), pagePath: paths.changes(), changes: rows, updated: rows[0]?.recorded_at ?? new Date(0) });
        return { type: 'application/atom+xml; charset=utf-8', body };
      }),
  },
  {
    url: '/feeds/platforms/:slug(^[a-z0-9][a-z0-9-]{0,99}).atom',
    operationId: 'feedPlatform',
    summary: "Atom feed of one platform's latest changes",
    tag: 'feeds',
    params: { slug: slugSchema },
    ok: { type: 'application/atom+xml', description: 'the 50 latest changes of the platform' },
    errors: [404],
    handler: (ctx, req, reply) =>
      respond(ctx, req, reply, async () => {
        const p = (await ctx.db.query<{ name: string; slug: string }>('SELECT name, slug FROM platforms WHERE slug = $1', [req.params.slug]))[0];
        if (!p) throw notFound(`no platform "${req.params.slug}"`);
        const rows = await listChanges(ctx.db, { platform: p.slug }, { limit: 50 });
        const body = atomFeed({ origin: siteOrigin(ctx, req), title: `Clausewatch: ${p.name} changes`, selfPath: paths.feedPlatform(p.slug), pagePath: paths.platform(p.slug), changes: rows, updated: rows[0]?.recorded_at ?? new Date(0) });
        return { type: 'application/atom+xml; charset=utf-8', body };
      }),
  },
  ...EVIDENCE_API_ROUTES,
];

/** Every API and feed route: tracking (above) and the analysis layer (analysis-routes.ts). */
export function allApiRoutes(): ApiRoute[] {
  return [...API_ROUTES, ...ANALYSIS_ROUTES];
}

/** Fastify path → OpenAPI path template: ':slug(^re).atom' → '{slug}.atom'. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z_]+)(\([^)]*\))?/g, '{$1}');
}

export function registerApi(app: FastifyInstance, ctx: WebContext): void {
  for (const r of allApiRoutes()) {
    const schema: Schema = {};
    if (r.params) schema.params = { type: 'object', properties: r.params, required: Object.keys(r.params) };
    if (r.url.startsWith('/api/')) schema.querystring = { type: 'object', properties: r.query ?? {}, additionalProperties: false };
    else if (r.query) schema.querystring = { type: 'object', properties: r.query };
    app.get(r.url, { schema }, (req, reply) => r.handler(ctx, req as Req, reply));
  }
}
