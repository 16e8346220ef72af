// The analysis layer in the API and feeds: provisions, clause types, platform analysis, material changes,
// and Atom feeds per clause type and of all material changes. Same loaders as the pages (load-analysis.ts).
import type { FastifyReply } from 'fastify';
import { respond, siteOrigin, JSON_TYPE, type WebContext } from '../web/respond.ts';
import { badRequest, notFound } from '../web/errors.ts';
import { checkRange, cursorSchema, idOf, limitSchema, pageSchema, querySchema, recordIdSchema, slugSchema } from '../web/params.ts';
import { decodeCursor, encodeCursor } from '../web/read/filters.ts';
import { recordId } from '../domain/record-id.ts';
import { paths } from '../web/paths.ts';
import { iso } from '../web/format.ts';
import { html } from '../web/html.ts';
import { checkAnalysisFilters, loadClauseType, loadProvision, prevalenceNow } from '../web/load-analysis.ts';
import { analysisFilterProperties } from '../web/routes/analysis.ts';
import { listMaterialChanges, searchProvisions, type MaterialChangeRow } from '../web/read/analysis-lists.ts';
import { platformAnalysis, provisionsBySeverity } from '../web/read/provisions.ts';
import { platformBySlug } from '../web/read/platforms.ts';
import { provisionTitle } from '../web/templates/provision.ts';
import { clauseTitle, taxonomy } from '../web/templates/analysis.ts';
import { SEVERITY_ORDER, type PlatformClause } from '../web/read/prevalence.ts';
import type { ProvisionExcerpt } from '../web/read/provisions.ts';
import { regulationsConcerning, type ClauseType } from '../analyse/taxonomy.ts';
import type { ApiRoute } from './routes.ts';
import * as S from './analysis-schemas.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Req = Parameters<ApiRoute['handler']>[1];
const json = (ctx: WebContext, req: Req, reply: FastifyReply, produce: () => Promise<unknown>) =>
  respond(ctx, req, reply, async () => ({ type: JSON_TYPE, body: JSON.stringify(await produce()) }));

const platformRef = (p: { platformId: number; slug: string; name: string }) => ({ record: recordId('platform', p.platformId), slug: p.slug, name: p.name, links: { page: paths.platform(p.slug), api: paths.api.platform(p.slug) } });
const typeRef = (t: { id: string; score?: number }) => {
  const c = taxonomy().byId.get(t.id);
  return { id: t.id, title: c?.title ?? t.id, category: c?.category ?? 'unknown', ...(t.score !== undefined ? { score: t.score } : {}) };
};

function other(o: PlatformClause & { excerpt?: ProvisionExcerpt }) {
  return {
    platform: platformRef(o),
    severity: o.severity,
    provisions: o.provisions,
    example: { record: recordId('provision', o.example.provisionId), severity: o.example.severity, excerpt: o.excerpt?.excerpt ?? null, links: { page: paths.provision(o.example.provisionId), api: paths.api.provision(o.example.provisionId) } },
  };
}

/** Regulations and regulators of clause types, with the reference's confirmed marks kept. */
export function regulationsOf(typeIds: string[]) {
  const tax = taxonomy();
  const { refs, regulators: regs } = regulationsConcerning(tax, typeIds);
  const regulations = [...refs].flatMap(([id, e]) => {
    const ins = tax.instrumentsById.get(id);
    if (!ins) return [];
    return [{
      id, name: ins.name, jurisdiction: ins.jurisdiction, relation: e.relation, confirmed: ins.confirmed, secondary: ins.secondary,
      articles: [...e.articles].map((a) => {
        const art = ins.articles.find((x) => x.id === a);
        return art ? { id: a, summary: art.summary, confirmed: art.confirmed, secondary: art.secondary } : { id: a, summary: null, confirmed: false, secondary: false };
      }),
    }];
  });
  const regulators = regs.flatMap((id) => {
    const r = tax.regulatorsById.get(id);
    return r ? [{ id, name: r.name, jurisdiction: r.jurisdiction, confirmed: r.confirmed, secondary: r.secondary, takes: r.takes, complaint: r.complaint.map((c) => ({ url: c.url, confirmed: c.confirmed })) }] : [];
  });
  return { regulations, regulators };
}

function clauseSummary(t: ClauseType, platforms: number, of: number) {
  return { id: t.id, title: t.title, category: t.category, question: t.question, polarity: t.polarity, default_severity: t.defaultSeverity, platforms, of, links: { page: paths.clauseType(t.id), api: paths.api.clauseType(t.id), feed: paths.feedClauseType(t.id) } };
}

function materialChange(c: MaterialChangeRow) {
  return {
    version: recordId('version', c.id),
    previous: c.previous_id ? recordId('version', c.previous_id) : null,
    recorded_at: iso(c.recorded_at)!,
    summary: c.summary,
    ai_training_differences: c.ai_differences ?? [],
    counts: c.change_counts ?? {},
    clause_types: c.types,
    platform: { slug: c.platform_slug, name: c.platform_name },
    document: { key: c.document_key, name: c.document_name, type: c.document_type },
    links: { page: paths.version(c.id), diff: c.previous_id ? paths.diff(c.platform_slug, c.document_key, c.previous_id, c.id) : null, api: paths.api.version(c.id) },
  };
}

function timeCursor(c: string | undefined) {
  if (!c) return undefined;
  const at = decodeCursor(c);
  if (!at) throw badRequest('query parameter "cursor" is not a cursor this API made', 'query parameter cursor');
  return at;
}

function materialFeed(origin: string, title: string, selfPath: string, pagePath: string, rows: MaterialChangeRow[]): string {
  const abs = (p: string) => `${origin}${p}`;
  const entries = rows.map((c) => {
    const link = c.previous_id ? paths.diff(c.platform_slug, c.document_key, c.previous_id, c.id) : paths.version(c.id);
    return html`<entry>
    <id>${abs(paths.version(c.id))}#material</id>
    <title>${c.platform_name}: ${c.document_name}: ${c.summary.length > 140 ? `${c.summary.slice(0, 140)}…` : c.summary}</title>
    <updated>${c.recorded_at.toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${abs(link)}"/>
    ${c.types.map((t) => html`<category term="${t}" label="${clauseTitle(t)}"/>`)}
    <summary type="text">${c.summary}${c.ai_differences?.length ? ` AI training: ${c.ai_differences.join('; ')}.` : ''} Version ${recordId('version', c.id)}.</summary>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>\n${html`<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${abs(selfPath)}</id>
  <title>${title}</title>
  <updated>${(rows[0]?.recorded_at ?? new Date(0)).toISOString()}</updated>
  <author><name>Clausewatch</name></author>
  <link rel="self" type="application/atom+xml" href="${abs(selfPath)}"/>
  <link rel="alternate" type="text/html" href="${abs(pagePath)}"/>
  ${entries}
</feed>`}\n`;
}

const clauseTypeParam = { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 100, description: 'a clause type id, e.g. arbitration' } as const;

export const ANALYSIS_ROUTES: ApiRoute[] = [
  {
    url: '/api/v1/provisions/:provision',
    operationId: 'getProvision',
    summary: 'One provision record: text, clause types, severity, prevalence, other platforms, actions, regulations, tracking, evidence, citations',
    tag: 'provisions',
    params: { provision: recordIdSchema('provision') },
    ok: { type: 'application/json', schema: S.ProvisionDetail, description: 'the provision' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const id = idOf(req.params.provision, 'provision', 'path segment provision');
        const v = await loadProvision(ctx, id, siteOrigin(ctx, req));
        const p = v.p;
        const ai = v.platform?.ai_training ?? null;
        const snap = v.tracking.latest_snapshot;
        const log = v.evidence.log;
        const types = p.types.map((t) => taxonomy().byId.get(t.id)).filter((t): t is ClauseType => Boolean(t));
        return {
          record: recordId('provision', id),
          title: provisionTitle(p),
          platform: platformRef({ platformId: p.platform_id, slug: p.platform_slug, name: p.platform_name }),
          document: { record: recordId('document', p.document_id), key: p.document_key, name: p.document_name, type: p.document_type, links: { page: paths.document(p.platform_slug, p.document_key), api: paths.api.document(p.document_id) } },
          severity: p.severity,
          severity_reasons: p.severity_reasons,
          types: p.types.map(typeRef),
          section: p.section,
          kind: p.kind,
          text: p.body,
          text_sha256: p.text_sha256,
          language: p.language,
          analysed: p.analysed,
          model: p.model,
          classified_at: iso(p.classified_at)!,
          first_seen: iso(p.first_seen),
          last_changed_on: iso(p.last_changed_on),
          removed_on: iso(p.removed_on),
          version: { record: recordId('version', p.version_id), recorded_at: iso(p.version_recorded_at)!, text_sha256: p.version_sha256, links: { page: paths.version(p.version_id), api: paths.api.version(p.version_id) } },
          prevalence: { clause_type: v.prevalence.typeId, found: v.prevalence.found, of: v.prevalence.of, others_total: v.prevalence.othersTotal, others: v.prevalence.others.map(other) },
          history: v.history.map((h) => ({ version: recordId('version', h.version_id), previous: h.previous_version_id ? recordId('version', h.previous_version_id) : null, recorded_at: iso(h.recorded_at)!, kind: h.kind, material: h.material, cosmetic_reason: h.cosmetic_reason, returned: h.returned, source_change: h.source_change, summary: h.summary })),
          what_you_can_do: {
            actions: types.filter((t) => t.actions.length).map((t) => ({ clause_type: t.id, title: t.title, actions: t.actions })),
            opt_out_steps: p.types.some((t) => t.id.startsWith('ai-')) ? (ai?.optOutSteps ?? []).map((s) => ({ surface: s.surface, steps: s.steps, evidence: s.evidence })) : [],
          },
          ai_training: p.types.some((t) => t.id.startsWith('ai-')) ? ai : null,
          ...regulationsOf(p.types.map((t) => t.id)),
          tracking: {
            first_tracked_at: iso(v.tracking.first_tracked_at),
            last_verified_at: iso(v.tracking.last_verified_at),
            source_url: v.tracking.source_urls[0] ?? null,
            archive_url: v.archiveUrl ?? null,
            snapshot: snap ? { record: recordId('snapshot', snap.id), sha256: snap.blob_sha256, fetched_at: iso(snap.fetched_at)!, links: { page: paths.snapshot(snap.id), raw: paths.snapshotRaw(snap.id) } } : null,
          },
          evidence: log ? { leaf_index: log.leafIndex, leaf_hash: log.leafHash, logged_at: log.loggedAt, checkpoint: log.checkpoint ? { id: log.checkpoint.id, size: log.checkpoint.size, root: log.checkpoint.root, signed_at: log.checkpoint.signedAt } : null, inclusion_proof: log.inclusionProof ?? null } : null,
          citations: Object.fromEntries(v.citations.map((c) => [c.format, c.text])),
          links: { page: paths.provision(id), api: paths.api.provision(id), pdf: paths.provisionPdf(id), evidence_bundle: paths.provisionEvidence(id), clause_type: v.prevalence.typeId ? paths.clauseType(v.prevalence.typeId) : null },
        };
      }),
  },
  {
    url: '/api/v1/provisions',
    operationId: 'searchProvisions',
    summary: 'Full text over current provisions, with filters (platform, clause type, category, severity, jurisdiction, document type, first seen from/to)',
    tag: 'provisions',
    query: { q: querySchema, page: pageSchema, limit: limitSchema(100, 20), ...analysisFilterProperties },
    ok: { type: 'application/json', schema: S.ProvisionSearchS, description: 'one page of provisions, best match first' },
    errors: [400],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const { page, limit, ...filters } = req.query;
        checkRange(filters.from, filters.to);
        checkAnalysisFilters(filters);
        const r = await searchProvisions(ctx.db, filters, { limit, offset: (page - 1) * limit });
        return {
          total: r.total,
          page,
          limit,
          results: r.hits.map((h) => ({
            record: recordId('provision', h.id),
            title: provisionTitle({ types: h.types, section: h.section, body: h.excerpt }),
            severity: h.severity,
            types: h.types.map(typeRef),
            section: h.section,
            excerpt: h.excerpt,
            first_seen: iso(h.first_seen),
            platform: { slug: h.platform_slug, name: h.platform_name },
            document: { key: h.document_key, name: h.document_name },
            links: { page: paths.provision(h.id), api: paths.api.provision(h.id) },
          })),
        };
      }),
  },
  {
    url: '/api/v1/clause-types',
    operationId: 'listClauseTypes',
    summary: 'Every clause type of the taxonomy, with how many analysed platforms have it',
    tag: 'clause-types',
    ok: { type: 'application/json', schema: S.ClauseTypeList, description: 'categories and clause types' },
    errors: [],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const pr = await prevalenceNow(ctx);
        const tax = taxonomy();
        return { categories: tax.categories.map((c) => ({ id: c.id, title: c.title })), clause_types: tax.types.map((t) => clauseSummary(t, pr.byType.get(t.id)?.length ?? 0, pr.analysedPlatforms)) };
      }),
  },
  {
    url: '/api/v1/clause-types/:type',
    operationId: 'getClauseType',
    summary: 'One clause type: every platform with it, grouped by severity, each with its clearest provision',
    tag: 'clause-types',
    params: { type: clauseTypeParam },
    ok: { type: 'application/json', schema: S.ClauseTypeDetail, description: 'the clause type' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const v = await loadClauseType(ctx, req.params.type);
        const t = taxonomy().byId.get(v.typeId)!;
        const groups = [...SEVERITY_ORDER, null].map((s) => ({ severity: s, platforms: v.platforms.filter((p) => p.severity === s).map(other) })).filter((g) => g.platforms.length);
        return { clause_type: clauseSummary(t, v.total, v.of), consumer_impact: t.consumerImpact, actions: t.actions, found: v.total, of: v.of, groups, ...regulationsOf([t.id]) };
      }),
  },
  {
    url: '/api/v1/platforms/:slug/analysis',
    operationId: 'getPlatformAnalysis',
    summary: "A platform's grade with its reasons, AI-training matrix and opt-out steps, counts and provisions by severity",
    tag: 'platforms',
    params: { slug: slugSchema },
    ok: { type: 'application/json', schema: S.PlatformAnalysisS, description: 'the platform analysis' },
    errors: [400, 404],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const pl = await platformBySlug(ctx.db, req.params.slug);
        if (!pl) throw notFound(`no platform "${req.params.slug}"`);
        const [a, bySeverity] = await Promise.all([platformAnalysis(ctx.db, pl.id), provisionsBySeverity(ctx.db, pl.id)]);
        return {
          platform: platformRef({ platformId: pl.id, slug: pl.slug, name: pl.name }),
          analysed: Boolean(a?.computed_at),
          stale: a?.stale ?? false,
          computed_at: iso(a?.computed_at),
          grade: a?.grade ?? null,
          score: a?.score ?? null,
          grade_reasons: a?.grade_reasons ?? [],
          provision_counts: a?.provision_counts ?? null,
          clause_counts: a?.clause_counts ?? null,
          material_changes_30_days: a?.material_30d ?? 0,
          ai_training: a?.ai_training ?? null,
          provisions_by_severity: bySeverity.rows.map((r) => ({ record: recordId('provision', r.id), severity: r.severity, clause_type: r.type_id, excerpt: r.excerpt, document: { key: r.document_key, name: r.document_name }, links: { page: paths.provision(r.id), api: paths.api.provision(r.id) } })),
          links: { page: paths.platform(pl.slug), report_pdf: paths.platformReport(pl.slug), monitor: paths.monitor(pl.slug) },
        };
      }),
  },
  {
    url: '/api/v1/material-changes',
    operationId: 'listMaterialChanges',
    summary: 'Versions with a material change at the source, newest first, with filters',
    tag: 'changes',
    query: { limit: limitSchema(200, 50), cursor: cursorSchema, ...analysisFilterProperties },
    ok: { type: 'application/json', schema: S.MaterialChangeList, description: 'one page of material changes' },
    errors: [400],
    handler: (ctx, req, reply) =>
      json(ctx, req, reply, async () => {
        const { limit, cursor, ...filters } = req.query;
        checkRange(filters.from, filters.to);
        checkAnalysisFilters(filters);
        const rows = await listMaterialChanges(ctx.db, filters, { limit: limit + 1, before: timeCursor(cursor) });
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        return { changes: page.map(materialChange), next_cursor: rows.length > limit && last ? encodeCursor(last.recorded_at, last.id) : null };
      }),
  },
  {
    url: '/feeds/material-changes.atom',
    operationId: 'feedMaterialChanges',
    summary: 'Atom feed of the latest material changes across all platforms',
    tag: 'feeds',
    ok: { type: 'application/atom+xml', description: 'the 50 latest material changes' },
    errors: [],
    handler: (ctx, req, reply) =>
      respond(ctx, req, reply, async () => {
        const rows = await listMaterialChanges(ctx.db, {}, { limit: 50 });
        return { type: 'application/atom+xml; charset=utf-8', body: materialFeed(siteOrigin(ctx, req), 'Clausewatch: material changes', paths.feedMaterial(), paths.materialChanges(), rows) };
      }),
  },
  {
    url: '/feeds/clause-types/:type(^[a-z0-9][a-z0-9-]{0,99}).atom',
    operationId: 'feedClauseType',
    summary: 'Atom feed of the latest material changes touching one clause type',
    tag: 'feeds',
    params: { type: clauseTypeParam },
    ok: { type: 'application/atom+xml', description: 'the 50 latest material changes with this clause type' },
    errors: [404],
    handler: (ctx, req, reply) =>
      respond(ctx, req, reply, async () => {
        const t = taxonomy().byId.get(req.params.type);
        if (!t) throw notFound(`no clause type "${req.params.type}"`);
        const rows = await listMaterialChanges(ctx.db, { clause_type: t.id }, { limit: 50 });
        return { type: 'application/atom+xml; charset=utf-8', body: materialFeed(siteOrigin(ctx, req), `Clausewatch: ${t.title}`, paths.feedClauseType(t.id), paths.clauseType(t.id), rows) };
      }),
  },
];
