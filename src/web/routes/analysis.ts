// Pages of the analysis layer: provision records, clause types, search over provisions, material changes,
// and their PDF exports. Each loads through load-analysis.ts (shared with the API) and goes through respond().
import type { FastifyInstance } from 'fastify';
import { respond, siteOrigin, HTML, type WebContext } from '../respond.ts';
import { HttpError, notFound } from '../errors.ts';
import { idOf, recordIdSchema } from '../params.ts';
import { recordId } from '../../domain/record-id.ts';
import { analysisChoices, checkAnalysisFilters, loadClauseType, loadProvision, prevalenceNow } from '../load-analysis.ts';
import { checkRange, cursorSchema, daySchema, pageSchema, querySchema, slugSchema, typeSchema } from '../params.ts';
import { decodeCursor, encodeCursor } from '../read/filters.ts';
import { listMaterialChanges, searchProvisions, type AnalysisFilters } from '../read/analysis-lists.ts';
import { clauseTypePage, clauseTypesPage, materialChangesPage, provisionSearchPage } from '../templates/analysis-pages.ts';
import { platformBySlug } from '../read/platforms.ts';
import { badRequest } from '../errors.ts';
import { provisionPage, provisionTitle } from '../templates/provision.ts';
import { provisionById } from '../read/provisions.ts';
import { paths } from '../paths.ts';

type P<T> = { Params: T };
type Q<T> = { Querystring: T };

const idSchema = (what: string) => ({ type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 100, description: `a ${what} id` }) as const;
/** Filters of provision search and the material-changes feed (pages and API). */
export const analysisFilterProperties = {
  platform: slugSchema,
  type: typeSchema,
  clause_type: idSchema('clause type (taxonomy/clause-types.yaml), e.g. arbitration'),
  category: idSchema('clause category, e.g. ai'),
  severity: { type: 'string', enum: ['high', 'medium', 'low', 'positive'], description: 'high, medium, low or positive' },
  jurisdiction: { type: 'string', pattern: '^[A-Za-z0-9-]{1,20}$', description: 'a platform jurisdiction as declared, e.g. EU' },
  from: daySchema,
  to: daySchema,
} as const;
export const PROVISION_PAGE_SIZE = 20;
const MATERIAL_PAGE_SIZE = 50;

function definedOnly(o: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  return out;
}

export function registerAnalysisPages(app: FastifyInstance, ctx: WebContext): void {
  const db = ctx.db;
  const html = (body: string) => ({ type: HTML, body });
  const provisionParams = { type: 'object', properties: { provision: recordIdSchema('provision') }, required: ['provision'] } as const;

  app.get<P<{ provision: string }>>('/provisions/:provision', { schema: { params: provisionParams } }, async (req, reply) =>
    respond(ctx, req, reply, async () => {
      const id = idOf(req.params.provision, 'provision', 'path segment provision');
      return html(provisionPage(await loadProvision(ctx, id, siteOrigin(ctx, req))));
    }, { store: true }),
  );

  app.get<P<{ provision: string }>>('/provisions/:provision/pdf', { schema: { params: provisionParams } }, async (req, reply) => {
    const id = idOf(req.params.provision, 'provision', 'path segment provision');
    const p = await provisionById(db, id);
    if (!p) throw notFound(`no provision ${recordId('provision', id)}`);
    if (!ctx.pdf) throw new HttpError(503, 'PDF export is switched off on this server');
    const printer = ctx.pdf;
    const rid = recordId('provision', id);
    return respond(ctx, req, reply, async () => ({
      type: 'application/pdf',
      body: await printer.print(paths.provision(id), { host: req.headers.host, title: `${p.platform_name}: ${provisionTitle(p)} (${rid})` }),
      headers: { 'Content-Disposition': `attachment; filename="${rid}.pdf"` },
    }));
  });

  app.get('/clause-types', async (req, reply) =>
    respond(ctx, req, reply, async () => {
      const prevalence = await prevalenceNow(ctx);
      const counts = new Map([...prevalence.byType].map(([k, v]) => [k, v.length]));
      return html(clauseTypesPage({ counts, of: prevalence.analysedPlatforms }));
    }),
  );

  app.get<P<{ type: string }>>('/clause-types/:type', { schema: { params: { type: 'object', properties: { type: idSchema('clause type') }, required: ['type'] } } }, async (req, reply) =>
    respond(ctx, req, reply, async () => html(clauseTypePage(await loadClauseType(ctx, req.params.type))), { store: true }),
  );

  app.get<Q<AnalysisFilters & { q?: string; page: number }>>(
    '/provisions',
    { schema: { querystring: { type: 'object', properties: { q: querySchema, page: pageSchema, ...analysisFilterProperties } } } },
    async (req, reply) =>
      respond(ctx, req, reply, async () => {
        const { page, ...filters } = req.query;
        checkRange(filters.from, filters.to);
        checkAnalysisFilters(filters);
        const [choices, result] = await Promise.all([analysisChoices(ctx), searchProvisions(db, filters, { limit: PROVISION_PAGE_SIZE, offset: (page - 1) * PROVISION_PAGE_SIZE })]);
        const at = (n: number) => paths.provisions({ ...definedOnly(filters), page: n > 1 ? n : undefined });
        return html(provisionSearchPage({ filters, choices, result, page, pageSize: PROVISION_PAGE_SIZE, prev: page > 1 ? at(page - 1) : undefined, next: page * PROVISION_PAGE_SIZE < result.total ? at(page + 1) : undefined }));
      }),
  );

  app.get<Q<AnalysisFilters & { cursor?: string }>>(
    '/changes/material',
    { schema: { querystring: { type: 'object', properties: { cursor: cursorSchema, ...analysisFilterProperties } } } },
    async (req, reply) =>
      respond(ctx, req, reply, async () => {
        const { cursor, ...filters } = req.query;
        checkRange(filters.from, filters.to);
        checkAnalysisFilters(filters);
        const before = cursor ? decodeCursor(cursor) : undefined;
        if (cursor && !before) throw badRequest('query parameter "cursor" is not a cursor this site made', 'query parameter cursor');
        const [choices, rows] = await Promise.all([analysisChoices(ctx), listMaterialChanges(db, filters, { limit: MATERIAL_PAGE_SIZE + 1, before })]);
        const shown = rows.slice(0, MATERIAL_PAGE_SIZE);
        const last = shown[shown.length - 1];
        const next = rows.length > MATERIAL_PAGE_SIZE && last ? paths.materialChanges({ ...definedOnly(filters), cursor: encodeCursor(last.recorded_at, last.id) }) : undefined;
        return html(materialChangesPage({ filters, choices, rows: shown, next, first: !cursor }));
      }),
  );

  app.get<P<{ slug: string }>>('/platforms/:slug/report.pdf', { schema: { params: { type: 'object', properties: { slug: slugSchema }, required: ['slug'] } } }, async (req, reply) => {
    const p = await platformBySlug(db, req.params.slug);
    if (!p) throw notFound(`no platform "${req.params.slug}"`);
    if (!ctx.pdf) throw new HttpError(503, 'PDF export is switched off on this server');
    const printer = ctx.pdf;
    return respond(ctx, req, reply, async () => ({
      type: 'application/pdf',
      body: await printer.print(paths.platform(p.slug), { host: req.headers.host, title: `${p.name}: platform report (${recordId('platform', p.id)})` }),
      headers: { 'Content-Disposition': `attachment; filename="${p.slug}-report.pdf"` },
    }));
  });
}
