// The HTML pages. Each handler loads its data, renders a template, and lets respond() cache and ETag it.
import type { FastifyInstance } from 'fastify';
import { respond, siteOrigin, HTML, type WebContext } from '../respond.ts';
import { badRequest, notFound } from '../errors.ts';
import { checkRange, cursorSchema, filterProperties, idOf, keySchema, pageSchema, querySchema, recordIdSchema, slugSchema, viewSchema } from '../params.ts';
import { decodeCursor, encodeCursor, type RecordFilters } from '../read/filters.ts';
import { listPlatforms, trackingTotals } from '../read/platforms.ts';
import { listChanges } from '../read/changes.ts';
import { currentProblems, recentProblems, captureDetail } from '../read/status.ts';
import { documentById, documentBySlug, versionsOf } from '../read/documents.ts';
import { versionDetail, snapshotById } from '../read/versions.ts';
import { snapshotsOf } from '../../record/queries.ts';
import { getText } from '../../record/texts.ts';
import { searchVersions } from '../read/search.ts';
import { pendingTexts } from '../read/search-index.ts';
import { resolveRecord } from '../read/records.ts';
import { filterChoices, loadDiff, loadDocumentBySlug, loadPlatform, loadVersionPair } from '../load.ts';
import { homePage, platformsPage } from '../templates/home.ts';
import { platformPage } from '../templates/platform.ts';
import { documentPage } from '../templates/document.ts';
import { diffPage } from '../templates/diff.ts';
import { versionPage } from '../templates/version.ts';
import { capturePage, snapshotPage } from '../templates/records.ts';
import { changesPage, searchPage, statusPage } from '../templates/lists.ts';
import { recordId } from '../../domain/record-id.ts';
import { citationSection, citationsOf, evidenceInfo, evidenceSection } from '../evidence-view.ts';
import { paths } from '../paths.ts';
import { documentProvisions, platformAnalysis, provisionsBySeverity } from '../read/provisions.ts';
import { perGeneration } from '../load-analysis.ts';
import { versionAnalysis } from '../../analyse/store/queries.ts';
import { listMaterialChanges, platformsByGrade } from '../read/analysis-lists.ts';
import { documentProvisionsSection, platformAnalysisSections, versionAnalysisSection } from '../templates/analysis-pages.ts';

type Q<T> = { Querystring: T };
type P<T> = { Params: T };

export const SEARCH_PAGE_SIZE = 20;
const CHANGES_PAGE_SIZE = 50;

export function registerPages(app: FastifyInstance, ctx: WebContext): void {
  const db = ctx.db;
  const html = (body: string) => ({ type: HTML, body });

  app.get('/', async (req, reply) =>
    respond(ctx, req, reply, async () => {
      const [totals, platforms, recent, problems, material, grades] = await Promise.all([
        trackingTotals(db),
        listPlatforms(db),
        listChanges(db, {}, { limit: 15 }),
        currentProblems(db),
        listMaterialChanges(db, {}, { limit: 10 }),
        platformsByGrade(db),
      ]);
      return html(homePage({ totals, platforms, recent, problems: problems.length, material, grades }));
    }),
  );

  app.get('/platforms', async (req, reply) => respond(ctx, req, reply, async () => html(platformsPage(await listPlatforms(db)))));

  app.get<P<{ slug: string }>>('/platforms/:slug', { schema: { params: { type: 'object', properties: { slug: slugSchema }, required: ['slug'] } } }, async (req, reply) =>
    respond(ctx, req, reply, async () => {
      const v = await loadPlatform(db, req.params.slug);
      // Aggregates over all of a platform's provisions: computed once per data generation (the provision pages share the analysis).
      const [analysis, bySeverity] = await Promise.all([
        perGeneration(ctx, `platform:${v.platform.id}`, () => platformAnalysis(db, v.platform.id)),
        perGeneration(ctx, `severity:${v.platform.id}`, () => provisionsBySeverity(db, v.platform.id)),
      ]);
      return html(platformPage({ ...v, sections: platformAnalysisSections({ slug: v.platform.slug, name: v.platform.name, analysis, bySeverity }) }));
    }, { store: true }),
  );

  const docParams = { type: 'object', properties: { slug: slugSchema, key: keySchema }, required: ['slug', 'key'] } as const;

  app.get<P<{ slug: string; key: string }>>('/platforms/:slug/:key', { schema: { params: docParams } }, async (req, reply) =>
    respond(ctx, req, reply, async () => {
      const detail = await loadDocumentBySlug(db, req.params.slug, req.params.key);
      const provisions = await documentProvisions(db, detail.document.id);
      return html(documentPage({ ...detail, origin: siteOrigin(ctx, req), sections: [documentProvisionsSection(detail.document.platform_slug, provisions.rows, provisions.total)] }));
    }),
  );

  app.get<P<{ slug: string; key: string }> & Q<{ from?: string; to?: string; view?: 'side' | 'inline' }>>(
    '/platforms/:slug/:key/diff',
    {
      schema: {
        params: docParams,
        querystring: { type: 'object', properties: { from: recordIdSchema('version'), to: recordIdSchema('version'), view: viewSchema } },
      },
    },
    async (req, reply) =>
      respond(ctx, req, reply, async () => {
        const doc = await documentBySlug(db, req.params.slug, req.params.key);
        if (!doc) throw notFound(`no document "${req.params.key}" of platform "${req.params.slug}"`);
        const versions = await versionsOf(db, doc.id);
        if (versions.length < 2 && (!req.query.from || !req.query.to)) throw badRequest(`${doc.name} has only ${versions.length} version(s): nothing to compare`, 'query parameters from, to');
        const fromId = req.query.from ? idOf(req.query.from, 'version', 'query parameter from') : versions[versions.length - 2]!.id;
        const toId = req.query.to ? idOf(req.query.to, 'version', 'query parameter to') : versions[versions.length - 1]!.id;
        const { from, to } = await loadVersionPair(db, fromId, toId, doc);
        const [diff, analysis] = await Promise.all([
          loadDiff(db, from, to),
          db.query<{ summary: string; material: boolean | null }>('SELECT summary, material FROM version_analysis WHERE version_id = $1 AND previous_version_id = $2', [to.id, from.id]),
        ]);
        return html(diffPage({ document: doc, versions, from, to, diff, view: req.query.view ?? 'side', analysis: analysis[0] }));
      }),
  );

  const versionParams = { type: 'object', properties: { version: recordIdSchema('version') }, required: ['version'] } as const;
  app.get<P<{ version: string }>>('/versions/:version', { schema: { params: versionParams } }, async (req, reply) =>
    respond(ctx, req, reply, async () => {
      const id = idOf(req.params.version, 'version', 'path segment version');
      const v = await versionDetail(db, id);
      if (!v) throw notFound(`no version ${recordId('version', id)}`);
      const rid = recordId('version', id);
      const origin = siteOrigin(ctx, req);
      const [evidence, citations, analysis] = await Promise.all([
        evidenceInfo(db, rid, { bundlePath: ctx.signer ? paths.versionEvidence(id) : undefined, verifierKey: ctx.signer?.verifierKey }),
        citationsOf(db, rid),
        versionAnalysis(db, id),
      ]);
      return html(versionPage({ ...v, origin, sections: [versionAnalysisSection(analysis), evidenceSection(evidence, origin), citationSection(citations)] }));
    }),
  );

  app.get<P<{ snapshot: string }>>('/snapshots/:snapshot', { schema: { params: { type: 'object', properties: { snapshot: recordIdSchema('snapshot') }, required: ['snapshot'] } } }, async (req, reply) =>
    respond(ctx, req, reply, async () => {
      const id = idOf(req.params.snapshot, 'snapshot', 'path segment snapshot');
      const s = await snapshotById(db, id);
      if (!s) throw notFound(`no snapshot ${recordId('snapshot', id)}`);
      const document = (await documentById(db, s.document_id))!;
      const origin = siteOrigin(ctx, req);
      const evidence = await evidenceInfo(db, recordId('snapshot', id), { bundlePath: ctx.signer ? paths.snapshotEvidence(id) : undefined, verifierKey: ctx.signer?.verifierKey });
      return html(snapshotPage({ snapshot: s, document, origin, sections: [evidenceSection(evidence, origin)] }));
    }),
  );

  app.get<P<{ capture: string }>>('/captures/:capture', { schema: { params: { type: 'object', properties: { capture: recordIdSchema('capture') }, required: ['capture'] } } }, async (req, reply) =>
    respond(ctx, req, reply, async () => {
      const id = idOf(req.params.capture, 'capture', 'path segment capture');
      const c = await captureDetail(db, id);
      if (!c) throw notFound(`no capture ${recordId('capture', id)}`);
      const document = (await documentById(db, c.document_id))!;
      const snaps = await snapshotsOf(db, { captureId: id });
      const sizes = new Map((await db.query<{ sha256: string; size: number }>('SELECT sha256, size FROM blobs WHERE sha256 = ANY($1::text[])', [snaps.map((s) => s.blob_sha256)])).map((r) => [r.sha256, r.size]));
      const held = c.outcome === 'suspect' && c.text_sha256 ? ((await getText(db, c.text_sha256)) ?? '').slice(0, 20_000) : null;
      return html(
        capturePage({
          capture: c,
          document,
          snapshots: snaps.map((s) => ({ ...s, size: sizes.get(s.blob_sha256) ?? 0, outcome: c.outcome })),
          textPreview: held,
        }),
      );
    }),
  );

  app.get<Q<RecordFilters & { q?: string; page: number }>>(
    '/search',
    { schema: { querystring: { type: 'object', properties: { q: querySchema, page: pageSchema, ...filterProperties } } } },
    async (req, reply) =>
      respond(ctx, req, reply, async () => {
        const { q, page, ...filters } = req.query;
        checkRange(filters.from, filters.to);
        const [choices, result, pending] = await Promise.all([
          filterChoices(db),
          q ? searchVersions(db, { query: q, ...filters, limit: SEARCH_PAGE_SIZE, offset: (page - 1) * SEARCH_PAGE_SIZE }) : Promise.resolve(undefined),
          q ? pendingTexts(db) : Promise.resolve(0),
        ]);
        return html(searchPage({ filters: { q, ...filters }, choices, result, page, pageSize: SEARCH_PAGE_SIZE, pending }));
      }),
  );

  app.get<Q<RecordFilters & { cursor?: string }>>(
    '/changes',
    { schema: { querystring: { type: 'object', properties: { cursor: cursorSchema, ...filterProperties } } } },
    async (req, reply) =>
      respond(ctx, req, reply, async () => {
        const { cursor, ...filters } = req.query;
        checkRange(filters.from, filters.to);
        const before = cursor ? decodeCursor(cursor) : undefined;
        if (cursor && !before) throw badRequest('query parameter "cursor" is not a cursor this site made', 'query parameter cursor');
        const [choices, rows] = await Promise.all([filterChoices(db), listChanges(db, filters, { limit: CHANGES_PAGE_SIZE + 1, before })]);
        const more = rows.length > CHANGES_PAGE_SIZE;
        const shown = rows.slice(0, CHANGES_PAGE_SIZE);
        const last = shown[shown.length - 1];
        const next = more && last ? `/changes?${new URLSearchParams({ ...definedOnly(filters), cursor: encodeCursor(last.recorded_at, last.id) })}` : undefined;
        return html(changesPage({ filters, choices, rows: shown, next, first: !cursor }));
      }),
  );

  app.get('/status', async (req, reply) =>
    respond(ctx, req, reply, async () => {
      const [current, recent, totals] = await Promise.all([currentProblems(db), recentProblems(db, { limit: 50 }), trackingTotals(db)]);
      return html(statusPage({ current, recent, totals }));
    }),
  );

  app.get<P<{ id: string }>>('/r/:id', async (req, reply) => {
    const r = await resolveRecord(db, req.params.id);
    if (r.ok) return reply.redirect(r.path, 302);
    if (r.reason === 'malformed') throw badRequest(r.message, 'path segment id');
    throw notFound(r.message);
  });
}

function definedOnly(o: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  return out;
}
