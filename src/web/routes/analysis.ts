// Pages of the analysis layer: provision records, clause types, search over provisions, material changes,
// and their PDF exports. Each loads through load-analysis.ts (shared with the API) and goes through respond().
import type { FastifyInstance } from 'fastify';
import { respond, siteOrigin, HTML, type WebContext } from '../respond.ts';
import { HttpError, notFound } from '../errors.ts';
import { idOf, recordIdSchema } from '../params.ts';
import { recordId } from '../../domain/record-id.ts';
import { loadProvision } from '../load-analysis.ts';
import { provisionPage, provisionTitle } from '../templates/provision.ts';
import { sendEvidenceBundle } from './files.ts';
import { provisionById } from '../read/provisions.ts';
import { paths } from '../paths.ts';

type P<T> = { Params: T };

export function registerAnalysisPages(app: FastifyInstance, ctx: WebContext): void {
  const db = ctx.db;
  const html = (body: string) => ({ type: HTML, body });
  const provisionParams = { type: 'object', properties: { provision: recordIdSchema('provision') }, required: ['provision'] } as const;

  app.get<P<{ provision: string }>>('/provisions/:provision', { schema: { params: provisionParams } }, async (req, reply) =>
    respond(ctx, req, reply, async () => {
      const id = idOf(req.params.provision, 'provision', 'path segment provision');
      return html(provisionPage(await loadProvision(ctx, id, siteOrigin(ctx, req))));
    }),
  );

  // The same route pattern as version and snapshot bundles; the bundle itself is the evidence layer's.
  app.get<P<{ provision: string }>>('/provisions/:provision/evidence', { schema: { params: provisionParams } }, (req, reply) =>
    sendEvidenceBundle(ctx, 'provision', req.params.provision, reply, 'path segment provision'),
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
}
